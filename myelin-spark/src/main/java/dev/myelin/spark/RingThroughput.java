package dev.myelin.spark;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures the ring all-reduce on this machine's loopback: R replicas (threads, each with its
 * own sockets) sum an array of F floats again and again, and the time per sum, the bytes each
 * replica sends and the resulting throughput are printed; then the latency of the 4-double
 * sum every step makes. The inputs of the scaling projection in docs/spark.md.
 *
 * <pre>java -cp myelin-spark.jar:SPARK_JARS dev.myelin.spark.RingThroughput [R=2] [F=270346] [ROUNDS=200]</pre>
 */
public final class RingThroughput {
    private RingThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int floats = args.length > 1 ? Integer.parseInt(args[1]) : 270_346; // workload A's gradient
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        List<ServerSocket> servers = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int r = 0; r < replicas; r++) {
            ServerSocket s = new ServerSocket(0, 50, loopback);
            servers.add(s);
            addresses.add(new InetSocketAddress(loopback, s.getLocalPort()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        List<Future<double[]>> results = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            int rank = r;
            results.add(pool.submit(() -> {
                try (ServerSocket s = servers.get(rank);
                     RingAllReduce ring = RingAllReduce.join(rank, addresses, s, Duration.ofSeconds(60), () -> false)) {
                    float[] a = new float[floats];
                    for (int i = 0; i < rounds / 10 + 1; i++) {
                        ring.sum(a, 0, floats); // warm-up
                    }
                    long sent0 = ring.bytesSent();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < rounds; i++) {
                        ring.sum(a, 0, floats);
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long sent = ring.bytesSent() - sent0;
                    double[] small = new double[4];
                    long t1 = System.nanoTime();
                    for (int i = 0; i < rounds * 5; i++) {
                        ring.sum(small);
                    }
                    double latency = (System.nanoTime() - t1) / 1e9 / (rounds * 5);
                    return new double[] {seconds / rounds, (double) sent / rounds, latency};
                }
            }));
        }
        double[] zero = results.get(0).get();
        for (Future<double[]> f : results) {
            f.get();
        }
        pool.shutdown();
        System.out.printf(Locale.ROOT, "ring of %d on loopback, %,d floats (%.2f MB): %.3f ms per sum, %.2f MB sent per"
                        + " replica per sum, %.0f MB/s per replica; 4-double sum: %.1f us%n", replicas, floats,
                floats * 4 / 1e6, zero[0] * 1e3, zero[1] / 1e6, zero[1] / 1e6 / zero[0], zero[2] * 1e6);
    }
}
