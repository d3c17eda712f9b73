package dev.myelin.spark;

import dev.myelin.cli.run.RunFolder;
import dev.myelin.train.Callback;
import dev.myelin.train.TrainContext;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Rank 0's end of {@link RunSink}: after every epoch, and whenever a checkpoint was written
 * mid-epoch, the folders of the scratch run folder that changed go to the driver; the console
 * lines go there as they are printed. Added as the trainer's last callback, so it sees the
 * checkpoints of the same snapshot point.
 */
final class RunMirror implements Callback, AutoCloseable {
    private final Path run;
    private final Socket socket;
    private final DataOutputStream out;
    private final Map<Path, String> sent = new HashMap<>();
    private final Set<String> folders = new HashSet<>();
    private FileTime checkpoints;

    RunMirror(InetSocketAddress driver, Path run) throws IOException {
        this.run = run;
        this.socket = new Socket();
        socket.connect(driver, 30_000);
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        out.writeByte(RunSink.MIRROR);
        out.writeUTF(run.toString());
        out.flush();
    }

    /** Copies the driver's run folder into {@code into} (a replica that resumes). */
    static void fetch(InetSocketAddress driver, Path into) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(driver, 30_000);
            s.setSoTimeout(300_000);
            DataOutputStream o = new DataOutputStream(s.getOutputStream());
            o.writeByte(RunSink.FETCH);
            o.flush();
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
            while (true) {
                byte frame = in.readByte();
                if (frame == RunSink.END) {
                    return;
                }
                if (frame != RunSink.FOLDER) {
                    throw new IOException("the driver sent frame " + frame);
                }
                Path dir = into.resolve(in.readUTF()).normalize();
                Files.createDirectories(dir);
                for (Map.Entry<String, byte[]> f : RunSink.readFiles(in).entrySet()) {
                    Files.write(dir.resolve(f.getKey()), f.getValue());
                }
            }
        }
    }

    /** A console whose lines go to the driver's standard output ({@code error}: standard error). */
    PrintStream console(boolean error) {
        return new PrintStream(new LineSink(error ? RunSink.ERROR_LINE : RunSink.LINE), true, StandardCharsets.UTF_8);
    }

    @Override
    public void onSnapshotPoint(TrainContext ctx, boolean epochEnd) {
        try {
            Path folder = run.resolve(RunFolder.CHECKPOINTS);
            FileTime now = Files.isDirectory(folder) ? Files.getLastModifiedTime(folder) : null;
            if (epochEnd || !Objects.equals(now, checkpoints)) {
                checkpoints = now;
                mirror();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying the run folder to the Spark driver: " + e.getMessage(), e);
        }
    }

    /** Sends every folder with a new, changed or removed file, and the folders that are gone. */
    synchronized void mirror() throws IOException {
        Map<String, List<Path>> units = RunSink.units(run);
        for (Map.Entry<String, List<Path>> u : units.entrySet()) {
            boolean changed = !folders.contains(u.getKey());
            for (Path f : u.getValue()) {
                String stamp = Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis();
                if (!Objects.equals(sent.put(f, stamp), stamp)) {
                    changed = true;
                }
            }
            if (changed) {
                RunSink.writeFolder(out, u.getKey(), u.getValue());
            }
        }
        for (String gone : Set.copyOf(folders)) {
            if (!units.containsKey(gone)) {
                out.writeByte(RunSink.DELETE);
                out.writeUTF(gone);
                folders.remove(gone);
            }
        }
        folders.addAll(units.keySet());
        sent.keySet().removeIf(p -> !Files.exists(p));
        out.flush();
    }

    /** The last copy, then the end of the run. */
    synchronized void finish() throws IOException {
        mirror();
        out.writeByte(RunSink.END);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private synchronized void line(byte kind, String text) {
        try {
            out.writeByte(kind);
            out.writeUTF(text);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("sending a console line to the Spark driver: " + e.getMessage(), e);
        }
    }

    /** Cuts what is printed into lines; a carriage return (a progress bar's redraw) starts over. */
    private final class LineSink extends OutputStream {
        private final byte kind;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        LineSink(byte kind) {
            this.kind = kind;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                line(kind, pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            } else if (b == '\r') {
                pending.reset();
            } else {
                pending.write(b);
            }
        }

        @Override
        public void flush() {
            // whole lines only
        }
    }
}
