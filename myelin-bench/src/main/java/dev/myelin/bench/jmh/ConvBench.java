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
 * JMH benchmark of the convolution passes ({@link ConvCase}: workload B's two convolutions at
 * batch 128, workload C's 64-channel one). Reports calls per second; GFLOP/s = score · 2·N·O·P·K
 * / 1e9 (B.conv1: 0.0578 GFLOP per call, B.conv2: 0.925, C.conv64: 0.462). {@link ConvGflops}
 * prints GFLOP/s directly, beside the GEMM's own.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp myelin-bench/target/myelin-bench.jar \
 *     org.openjdk.jmh.Main ConvBench -p threads=1,2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBench {
    @Param({"B.conv1", "B.conv2", "C.conv64"})
    public String conv;

    @Param({"FORWARD", "INPUT_GRAD", "WEIGHT_GRAD"})
    public String pass;

    @Param({"vector"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    private ConvCase c;
    private ConvCase.Pass p;
    private Kernels impl;

    @Setup
    public void setup() {
        c = new ConvCase(conv);
        p = ConvCase.Pass.valueOf(pass);
        impl = "scalar".equals(kernels) ? new ScalarKernels() : VectorKernels.createIfSupported();
        if (impl == null) {
            throw new IllegalStateException("kernels=vector: the CPU's vectors are under 256 bits");
        }
        Parallel.setThreads(threads);
    }

    @Benchmark
    public void run() {
        c.run(impl, p);
    }
}
