package dev.myelin.spark;

import dev.myelin.cli.Main;
import dev.myelin.cli.run.RemoteData;
import dev.myelin.cli.run.Replica;
import dev.myelin.train.Callback;
import dev.myelin.train.DataParallel;
import dev.myelin.train.TrainContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.Function1;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What each barrier task of a run does: joins the ring of replicas (the addresses exchanged with
 * {@link BarrierTaskContext#allGather}), then runs the ordinary {@code myelin train} in a
 * scratch folder as its {@link Replica}, so one trainer serves both a plain run and a
 * distributed one. Rank 0 copies its run folder and console to the driver ({@link RunMirror});
 * the other ranks print nothing. When the stage is a restart, every replica first fetches the
 * driver's run folder and resumes from its {@code checkpoints/last}.
 */
final class ReplicaTask implements Function1<Iterator<Integer>, Iterator<ReplicaResult>>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String yaml;
    private final List<String> args;
    private final int syncEvery;
    private final String driverHost;
    private final int driverPort;
    private final boolean resume;
    private final int timeoutSeconds;
    /** For the fault test: "RANK:STEP" halts that replica's executor at that step; null for none. */
    private final String killAt;

    ReplicaTask(String name, String yaml, List<String> args, int syncEvery, String driverHost, int driverPort,
                boolean resume, int timeoutSeconds, String killAt) {
        this.name = name;
        this.yaml = yaml;
        this.args = List.copyOf(args);
        this.syncEvery = syncEvery;
        this.driverHost = driverHost;
        this.driverPort = driverPort;
        this.resume = resume;
        this.timeoutSeconds = timeoutSeconds;
        this.killAt = killAt;
    }

    @Override
    public Iterator<ReplicaResult> apply(Iterator<Integer> ignored) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        try {
            return CollectionConverters.asScala(List.of(run(ctx)).iterator());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("replica " + ctx.partitionId() + ": " + e.getMessage(), e);
        }
    }

    private ReplicaResult run(BarrierTaskContext ctx) throws IOException {
        int rank = ctx.partitionId();
        String address = ctx.getTaskInfos()[rank].address();
        String host = address.substring(0, address.lastIndexOf(':'));
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(0));
            List<InetSocketAddress> ring = new ArrayList<>();
            for (String a : ctx.allGather(host + ":" + server.getLocalPort())) {
                int colon = a.lastIndexOf(':');
                ring.add(new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))));
            }
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            try (RingAllReduce replicas = RingAllReduce.join(rank, ring, server, timeout, ctx::isInterrupted)) {
                return train(rank, replicas);
            }
        }
    }

    private ReplicaResult train(int rank, RingAllReduce replicas) throws IOException {
        InetSocketAddress driver = new InetSocketAddress(driverHost, driverPort);
        Path scratch = Files.createTempDirectory("myelin-replica-" + rank + "-");
        Path run = scratch.resolve("run");
        List<String> argv = new ArrayList<>(List.of("train"));
        if (resume) {
            Files.createDirectories(run);
            RunMirror.fetch(driver, run);
            argv.addAll(List.of("--resume", run.toString()));
        } else {
            Path config = scratch.resolve(name + ".yaml");
            Files.writeString(config, yaml);
            argv.addAll(List.of(config.toString(), "--out", run.toString()));
        }
        argv.addAll(args);
        DataParallel dp = new DataParallel(replicas, syncEvery);
        List<Callback> observers = new ArrayList<>();
        RunMirror mirror = rank == 0 ? new RunMirror(driver, run) : null;
        long t0 = System.nanoTime();
        try {
            if (mirror != null) {
                observers.add(mirror);
            }
            if (killAt != null && Integer.parseInt(killAt.split(":")[0]) == rank) {
                observers.add(new Kill(Long.parseLong(killAt.split(":")[1])));
            }
            PrintStream out = mirror != null ? mirror.console(false) : new PrintStream(OutputStream.nullOutputStream());
            PrintStream err = mirror != null ? mirror.console(true) : System.err;
            int code;
            try {
                code = RemoteData.run(new HadoopCopy(scratch), () -> Replica.run(new Replica(dp, observers),
                        () -> Main.run(out, err, argv.toArray(String[]::new))));
            } catch (Exception e) {
                throw new IOException("replica " + rank + ": " + e.getMessage(), e);
            }
            if (mirror != null) {
                mirror.finish();
            }
            return new ReplicaResult(rank, code, (System.nanoTime() - t0) / 1e9, dp.communicationSeconds(),
                    replicas.bytesSent(), dp.floatsReduced());
        } finally {
            if (mirror != null) {
                mirror.close();
            }
            dev.myelin.io.AtomicFolder.deleteTree(scratch);
        }
    }

    /** Ends this executor's process at once at optimizer step {@code step}, as a crash would. */
    private record Kill(long step) implements Callback {
        @Override
        public void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int samples) {
            if (ctx.step() == step) {
                System.err.println("myelin: spark: killing this executor at step " + step + " (fault test)");
                Runtime.getRuntime().halt(137);
            }
        }
    }
}
