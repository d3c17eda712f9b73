package dev.myelin.spark;

import dev.myelin.cli.run.RunLock;
import dev.myelin.io.AtomicFolder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Spark driver's end of a run: rank 0 trains into a scratch folder on its executor and
 * sends the folder here after every checkpoint, so the run folder (and {@code checkpoints/last},
 * which a restarted stage resumes from) lives on the driver. Its console lines come here too.
 * A replica that resumes fetches the folder from here.
 *
 * <p>The protocol, over one connection per replica (big-endian, {@link DataOutputStream}):
 * <ul>
 * <li>{@code 'M'}: rank 0's mirror connection, then frames: {@code 'L' line} for the driver's
 *     standard output, {@code 'R' line} for its standard error, {@code 'U' folder count (name
 *     length bytes)*} a folder's files, {@code 'D' folder} a folder that no longer exists, and
 *     {@code 'E'} at the end;</li>
 * <li>{@code 'F'}: fetch; the driver answers with the folder as {@code 'U'} frames and an
 *     {@code 'E'}.</li>
 * </ul>
 * A folder below the run folder ({@code checkpoints/last}) is replaced as a whole
 * ({@link AtomicFolder}); a file at the top is replaced on its own, atomically. A frame is
 * applied only once all its bytes have arrived, so a task killed mid-frame changes nothing.
 */
final class RunSink implements AutoCloseable {
    static final byte MIRROR = 'M';
    static final byte FETCH = 'F';
    static final byte LINE = 'L';
    static final byte ERROR_LINE = 'R';
    static final byte FOLDER = 'U';
    static final byte DELETE = 'D';
    static final byte END = 'E';

    private final Path run;
    private final PrintStream console;
    private final PrintStream err;
    private final ServerSocket server;
    private final Thread acceptor;
    private volatile String scratch = "\u0000";
    private volatile boolean ended;

    RunSink(Path run, PrintStream console, PrintStream err) throws IOException {
        this.run = run;
        this.console = console;
        this.err = err;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(0));
        this.acceptor = new Thread(this::acceptLoop, "myelin-run-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Whether rank 0 has sent its final folder (the run ended) since the last {@link #reset}. */
    boolean ended() {
        return ended;
    }

    void reset() {
        ended = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "myelin-run-sink-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s; DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()))) {
            byte kind = in.readByte();
            if (kind == FETCH) {
                sendFolder(run, out);
            } else if (kind == MIRROR) {
                scratch = in.readUTF();
                receive(in);
            }
        } catch (EOFException | SocketException e) {
            // the task ended or died; what arrived whole is applied
        } catch (IOException e) {
            err.println("myelin: spark: the run folder copy from rank 0 failed: " + e.getMessage());
        }
    }

    private void receive(DataInputStream in) throws IOException {
        while (true) {
            byte frame = in.readByte();
            switch (frame) {
                case LINE -> console.println(in.readUTF().replace(scratch, run.toString()));
                case ERROR_LINE -> err.println(in.readUTF().replace(scratch, run.toString()));
                case FOLDER -> {
                    String folder = in.readUTF();
                    apply(folder, readFiles(in));
                }
                case DELETE -> AtomicFolder.deleteTree(resolve(in.readUTF()));
                case END -> {
                    ended = true;
                    return;
                }
                default -> throw new IOException("unexpected frame " + frame);
            }
        }
    }

    private Path resolve(String folder) throws IOException {
        Path p = run.resolve(folder).normalize();
        if (!p.startsWith(run)) {
            throw new IOException("a folder outside the run: " + folder);
        }
        return p;
    }

    static Map<String, byte[]> readFiles(DataInputStream in) throws IOException {
        int count = in.readInt();
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            files.put(name, bytes);
        }
        return files;
    }

    /** Writes one folder's files: the top folder's one by one, a sub-folder as a whole. */
    private void apply(String folder, Map<String, byte[]> files) throws IOException {
        Path dir = resolve(folder);
        if (dir.equals(run)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                writeAtomically(dir.resolve(f.getKey()), f.getValue());
            }
            return;
        }
        Files.createDirectories(dir.getParent());
        Path tmp = AtomicFolder.begin(dir);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(tmp.resolve(f.getKey()), f.getValue());
        }
        AtomicFolder.commit(dir, null);
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Sends every folder of {@code root} (but the lock and temporaries) as FOLDER frames, then END. */
    static void sendFolder(Path root, DataOutputStream out) throws IOException {
        for (Map.Entry<String, List<Path>> unit : units(root).entrySet()) {
            writeFolder(out, unit.getKey(), unit.getValue());
        }
        out.writeByte(END);
        out.flush();
    }

    static void writeFolder(DataOutputStream out, String folder, List<Path> files) throws IOException {
        out.writeByte(FOLDER);
        out.writeUTF(folder);
        out.writeInt(files.size());
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            out.writeUTF(f.getFileName().toString());
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    /**
     * The files of {@code root} by folder (relative, "" for the top), without the run's lock,
     * half-written temporaries ({@code .tmp}, {@code .old}, {@code .part}) and sub-sub-folders'
     * own listing order: sorted, so the same folder gives the same frames.
     */
    static Map<String, List<Path>> units(Path root) throws IOException {
        Map<String, List<Path>> out = new LinkedHashMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted().toList()) {
                if (!Files.isRegularFile(p) || skipped(root.relativize(p))) {
                    continue;
                }
                String folder = root.relativize(p.getParent()).toString();
                out.computeIfAbsent(folder, k -> new ArrayList<>()).add(p);
            }
        }
        return out;
    }

    private static boolean skipped(Path relative) {
        if (relative.toString().equals(RunLock.FILE_NAME)) {
            return true;
        }
        for (Path part : relative) {
            String s = part.toString();
            if (s.endsWith(".tmp") || s.endsWith(".old") || s.endsWith(".part")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
