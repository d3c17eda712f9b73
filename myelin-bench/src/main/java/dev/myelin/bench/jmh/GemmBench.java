package dev.myelin.bench.jmh;

import dev.myelin.kernel.Kernels;
import dev.myelin.kernel.Parallel;
import dev.myelin.kernel.ScalarKernels;
import dev.myelin.kernel.VectorKernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmark of {@link Kernels#gemm} on the MLP's shapes ({@link GemmCase#MLP}). Reports
 * calls per second; GFLOP/s = score · 2·m·n·k / 1e9.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp myelin-bench/target/myelin-bench.jar \
 *     org.openjdk.jmh.Main GemmBench -p kernels=vector -p threads=2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {
    @Param({
        "128x256x784/NT", "128x256x256/NT", "128x10x256/NT",
        "256x784x128/TN", "256x256x128/TN", "10x256x128/TN",
        "128x784x256/NN", "128x256x256/NN", "128x256x10/NN",
        "100x32x32/NT", "32x32x100/TN", "100x32x32/NN",
    })
    public String shape;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    private GemmCase gemm;
    private Kernels impl;

    @Setup
    public void setup() {
        gemm = new GemmCase(shape);
        impl = "scalar".equals(kernels) ? new ScalarKernels() : VectorKernels.createIfSupported();
        if (impl == null) {
            throw new IllegalStateException("kernels=vector: the CPU's vectors are under 256 bits");
        }
        Parallel.setThreads(threads);
    }

    @Benchmark
    public float[] gemm() {
        return gemm.run(impl);
    }
}
