package dev.myelin.spark;

import dev.myelin.train.Replicas;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * {@link Replicas} over TCP: each replica connects to the next one in a ring and accepts the
 * previous one, and a sum is the bandwidth-optimal ring all-reduce (Patarasuk and Yuan 2009,
 * "Bandwidth optimal all-reduce algorithms for clusters of workstations"; Horovod's).
 *
 * <p>For {@code R} replicas the array is cut into {@code R} chunks. In the reduce-scatter phase
 * ({@code R-1} steps) replica {@code r} sends chunk {@code r-s} to the next replica and adds the
 * chunk {@code r-s-1} it receives from the previous one to its own, so that afterwards it holds
 * the full sum of chunk {@code r+1}. In the all-gather phase ({@code R-1} steps) those sums go
 * round the ring and overwrite. Each replica sends {@code 2(R-1)/R} times the array's bytes,
 * whatever {@code R} is. The additions for a chunk happen in ring order starting at the chunk's
 * index, fixed by the ranks, so the sum has the same bits on every run and on every replica.
 *
 * <p>Sending runs on a thread of its own while the caller receives, so that no replica waits
 * for another to read. Every read gives up after {@code timeout} without data, and at once
 * when {@code cancelled} says so (Spark killed the task), with an error that names the peer;
 * a peer that dies closes its connection and ends the wait at once.
 */
public final class RingAllReduce implements Replicas, AutoCloseable {
    private static final int MAGIC = 0x4d59524e; // "MYRN"
    /** How often a blocked read wakes to check for cancellation. */
    private static final int POLL_MILLIS = 200;

    private final int rank;
    private final int size;
    private final Duration timeout;
    private final BooleanSupplier cancelled;
    private final Socket next;
    private final Socket previous;
    private final OutputStream out;
    private final InputStream in;
    private final ExecutorService sender;
    private byte[] sendBuffer = new byte[0];
    private byte[] receiveBuffer = new byte[0];
    private long bytesSent;
    private long nanos;

    private RingAllReduce(int rank, int size, Duration timeout, BooleanSupplier cancelled, Socket next, Socket previous)
            throws IOException {
        this.rank = rank;
        this.size = size;
        this.timeout = timeout;
        this.cancelled = cancelled;
        this.next = next;
        this.previous = previous;
        this.out = next == null ? null : new BufferedOutputStream(next.getOutputStream(), 1 << 16);
        this.in = previous == null ? null : new BufferedInputStream(previous.getInputStream(), 1 << 16);
        this.sender = size == 1 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "myelin-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the ring: {@code server} is this replica's listening socket, whose address is
     * {@code addresses.get(rank)}; connects to replica {@code rank+1} and accepts replica
     * {@code rank-1}, each within {@code timeout}.
     */
    public static RingAllReduce join(int rank, List<InetSocketAddress> addresses, ServerSocket server, Duration timeout,
                                     BooleanSupplier cancelled) throws IOException {
        int size = addresses.size();
        if (rank < 0 || rank >= size) {
            throw new IllegalArgumentException("ring: rank " + rank + " is not in [0, " + size + ")");
        }
        if (size == 1) {
            return new RingAllReduce(0, 1, timeout, cancelled, null, null);
        }
        int to = (rank + 1) % size;
        int from = (rank - 1 + size) % size;
        Socket next = connect(addresses.get(to), to, timeout, cancelled);
        Socket previous = null;
        try {
            DataOutputStream hello = new DataOutputStream(next.getOutputStream());
            hello.writeInt(MAGIC);
            hello.writeInt(rank);
            hello.writeInt(size);
            hello.flush();
            previous = accept(server, from, size, timeout, cancelled);
            return new RingAllReduce(rank, size, timeout, cancelled, next, previous);
        } catch (IOException | RuntimeException e) {
            closeQuietly(next);
            closeQuietly(previous);
            throw e;
        }
    }

    private static Socket connect(InetSocketAddress to, int peer, Duration timeout, BooleanSupplier cancelled)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(to, POLL_MILLIS * 5);
                s.setSoTimeout(POLL_MILLIS);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                if (cancelled.getAsBoolean() || System.nanoTime() > deadline) {
                    throw new IOException("ring: replica could not connect to replica " + peer + " at " + to
                            + " within " + timeout.toSeconds() + " s (" + e.getMessage() + "); check that the"
                            + " executors can reach each other on that port", e);
                }
                sleep();
            }
        }
    }

    private static Socket accept(ServerSocket server, int peer, int size, Duration timeout, BooleanSupplier cancelled)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        server.setSoTimeout(POLL_MILLIS);
        while (true) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                s.setSoTimeout(POLL_MILLIS * 25);
                DataInputStream hello = new DataInputStream(s.getInputStream());
                int magic = hello.readInt();
                int from = hello.readInt();
                int of = hello.readInt();
                if (magic != MAGIC || from != peer || of != size) {
                    closeQuietly(s);
                    throw new IOException("ring: expected replica " + peer + " of " + size + " to connect, found "
                            + (magic != MAGIC ? "another program" : "replica " + from + " of " + of));
                }
                s.setSoTimeout(POLL_MILLIS);
                return s;
            } catch (SocketTimeoutException e) {
                if (cancelled.getAsBoolean() || System.nanoTime() > deadline) {
                    throw new IOException("ring: replica " + peer + " did not connect within " + timeout.toSeconds()
                            + " s; did its task start?", e);
                }
            }
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    /** Bytes this replica has sent to the next one. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Seconds spent inside this ring's operations. */
    public double seconds() {
        return nanos / 1e9;
    }

    private int chunkStart(int c, int length) {
        return (int) ((long) c * length / size);
    }

    @Override
    public void sum(float[] data, int offset, int length) {
        if (size == 1) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            for (int s = 0; s < size - 1; s++) {
                int send = Math.floorMod(rank - s, size);
                int receive = Math.floorMod(rank - s - 1, size);
                exchange(data, offset, length, send, receive, true);
            }
            for (int s = 0; s < size - 1; s++) {
                int send = Math.floorMod(rank + 1 - s, size);
                int receive = Math.floorMod(rank - s, size);
                exchange(data, offset, length, send, receive, false);
            }
        } catch (IOException e) {
            throw failure(e);
        }
        nanos += System.nanoTime() - t0;
    }

    /** Sends chunk {@code send} to the next replica while receiving chunk {@code receive}, added or copied. */
    private void exchange(float[] data, int offset, int length, int send, int receive, boolean add) throws IOException {
        int sFrom = chunkStart(send, length);
        int sLen = chunkStart(send + 1, length) - sFrom;
        int rFrom = chunkStart(receive, length);
        int rLen = chunkStart(receive + 1, length) - rFrom;
        byte[] outBytes = sendBytes(sLen * 4);
        ByteBuffer.wrap(outBytes, 0, sLen * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .put(data, offset + sFrom, sLen);
        Future<?> sent = sender.submit(() -> write(outBytes, sLen * 4));
        byte[] inBytes = receiveBytes(rLen * 4);
        readFully(inBytes, rLen * 4);
        var floats = ByteBuffer.wrap(inBytes, 0, rLen * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int at = offset + rFrom;
        if (add) {
            for (int i = 0; i < rLen; i++) {
                data[at + i] = floats.get(i) + data[at + i];
            }
        } else {
            floats.get(data, at, rLen);
        }
        await(sent);
    }

    @Override
    public void sum(double[] data) {
        if (size == 1) {
            return;
        }
        long t0 = System.nanoTime();
        // Small: every replica's array goes round the ring, then each adds them in rank order.
        double[][] all = new double[size][];
        all[rank] = data.clone();
        int n = data.length;
        try {
            for (int s = 0; s < size - 1; s++) {
                double[] mine = all[Math.floorMod(rank - s, size)];
                byte[] outBytes = new byte[n * 8];
                ByteBuffer.wrap(outBytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(mine);
                Future<?> sent = sender.submit(() -> write(outBytes, n * 8));
                byte[] inBytes = new byte[n * 8];
                readFully(inBytes, n * 8);
                double[] theirs = new double[n];
                ByteBuffer.wrap(inBytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(theirs);
                all[Math.floorMod(rank - s - 1, size)] = theirs;
                await(sent);
            }
        } catch (IOException e) {
            throw failure(e);
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int r = 0; r < size; r++) {
                s += all[r][i];
            }
            data[i] = s;
        }
        nanos += System.nanoTime() - t0;
    }

    @Override
    public void broadcast(float[] data, int offset, int length) {
        if (size == 1) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            if (rank != 0) {
                byte[] inBytes = receiveBytes(length * 4);
                readFully(inBytes, length * 4);
                ByteBuffer.wrap(inBytes, 0, length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                        .get(data, offset, length);
            }
            if ((rank + 1) % size != 0) {
                byte[] outBytes = sendBytes(length * 4);
                ByteBuffer.wrap(outBytes, 0, length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                        .put(data, offset, length);
                await(sender.submit(() -> write(outBytes, length * 4)));
            }
        } catch (IOException e) {
            throw failure(e);
        }
        nanos += System.nanoTime() - t0;
    }

    private byte[] sendBytes(int n) {
        if (sendBuffer.length < n) {
            sendBuffer = new byte[n];
        }
        return sendBuffer;
    }

    private byte[] receiveBytes(int n) {
        if (receiveBuffer.length < n) {
            receiveBuffer = new byte[n];
        }
        return receiveBuffer;
    }

    private Void write(byte[] bytes, int n) throws IOException {
        out.write(bytes, 0, n);
        out.flush();
        bytesSent += n;
        return null;
    }

    private void readFully(byte[] b, int n) throws IOException {
        int from = Math.floorMod(rank - 1, size);
        long deadline = System.nanoTime() + timeout.toNanos();
        int at = 0;
        while (at < n) {
            try {
                int k = in.read(b, at, n - at);
                if (k < 0) {
                    throw new EOFException("ring: replica " + from + " closed its connection (its task failed or"
                            + " was stopped)");
                }
                at += k;
                deadline = System.nanoTime() + timeout.toNanos();
            } catch (SocketTimeoutException e) {
                if (cancelled.getAsBoolean()) {
                    throw new IOException("ring: replica " + rank + " was cancelled while waiting for replica " + from);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("ring: no data from replica " + from + " for " + timeout.toSeconds()
                            + " s; it may be stuck or far slower than this one");
                }
            }
        }
    }

    private void await(Future<?> sent) throws IOException {
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new IOException("ring: replica " + (rank + 1) % size + " read nothing for " + timeout.toSeconds()
                    + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("ring: interrupted while sending to replica " + (rank + 1) % size);
        }
    }

    private UncheckedIOException failure(IOException e) {
        close();
        return new UncheckedIOException(e.getMessage(), e);
    }

    @Override
    public void close() {
        closeQuietly(next);
        closeQuietly(previous);
        if (sender != null) {
            sender.shutdownNow();
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing on the way out
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
