package dev.myelin.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The ring all-reduce between threads over loopback sockets: sums, their determinism, broadcast, and faults. */
class RingAllReduceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Runs {@code body} on {@code n} replicas joined in a ring; returns each one's result. */
    private static <T> List<T> onRing(int n, Duration timeout, Function<RingAllReduce, T> body) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            servers.add(s);
            addresses.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                fs.add(pool.submit(() -> {
                    try (ServerSocket s = servers.get(rank);
                         RingAllReduce ring = RingAllReduce.join(rank, addresses, s, timeout, () -> false)) {
                        return body.apply(ring);
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static float[] values(int rank, int length) {
        Random random = new Random(rank * 31L + 7);
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    @Test
    void everyReplicaGetsTheSameSumAndRerunsRepeatIt() throws Exception {
        for (int n : new int[] {1, 2, 3, 4}) {
            int length = 10_007; // chunks of unequal sizes
            List<float[]> first = onRing(n, TIMEOUT, ring -> {
                float[] a = values(ring.rank(), length);
                ring.sum(a, 0, length);
                return a;
            });
            List<float[]> again = onRing(n, TIMEOUT, ring -> {
                float[] a = values(ring.rank(), length);
                ring.sum(a, 0, length);
                return a;
            });
            for (int r = 0; r < n; r++) {
                assertArrayEquals(first.get(0), first.get(r), n + " replicas: replica " + r + " holds other bits");
                assertArrayEquals(first.get(r), again.get(r), n + " replicas: a rerun gives other bits");
            }
            for (int i = 0; i < length; i += 97) {
                double exact = 0;
                for (int r = 0; r < n; r++) {
                    exact += values(r, length)[i];
                }
                assertEquals(exact, first.get(0)[i], 1e-5, "element " + i + " of " + n + " replicas");
            }
        }
    }

    @Test
    void sumsAPartOfTheArrayAndLeavesTheRest() throws Exception {
        List<float[]> out = onRing(3, TIMEOUT, ring -> {
            float[] a = {9, 1, 2, 9};
            ring.sum(a, 1, 2);
            return a;
        });
        assertArrayEquals(new float[] {9, 3, 6, 9}, out.get(2));
    }

    @Test
    void doublesAreAddedInRankOrder() throws Exception {
        List<double[]> out = onRing(3, TIMEOUT, ring -> {
            double[] a = {ring.rank() == 0 ? 1e16 : 1.0, ring.rank() + 0.5};
            ring.sum(a);
            return a;
        });
        double expected = (1e16 + 1.0) + 1.0; // rank 0 first, then 1, then 2
        for (double[] a : out) {
            assertEquals(expected, a[0]);
            assertEquals(0.5 + 1.5 + 2.5, a[1]);
        }
    }

    @Test
    void broadcastCopiesRankZero() throws Exception {
        List<float[]> out = onRing(4, TIMEOUT, ring -> {
            float[] a = values(ring.rank(), 1000);
            ring.broadcast(a, 0, 1000);
            return a;
        });
        for (float[] a : out) {
            assertArrayEquals(values(0, 1000), a);
        }
    }

    @Test
    void aReplicaThatLeavesEndsItsPeersWaitAtOnce() throws Exception {
        long t0 = System.nanoTime();
        List<String> out = onRing(2, TIMEOUT, ring -> {
            if (ring.rank() == 1) {
                ring.close(); // its task failed
                return "closed";
            }
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ring.sum(new float[8], 0, 8));
            return e.getMessage();
        });
        assertTrue(out.get(0).contains("replica 1 closed its connection"), out.get(0));
        assertTrue(System.nanoTime() - t0 < TIMEOUT.toNanos() / 2, "not a time-out");
    }

    @Test
    void aSilentReplicaTimesOutWithItsName() throws Exception {
        List<String> out = onRing(2, Duration.ofSeconds(1), ring -> {
            if (ring.rank() == 1) {
                try {
                    Thread.sleep(2500); // stuck, connection open
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "slept";
            }
            return assertThrows(UncheckedIOException.class, () -> ring.sum(new double[1])).getMessage();
        });
        assertTrue(out.get(0).contains("no data from replica 1 for 1 s"), out.get(0));
    }
}
