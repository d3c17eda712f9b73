package dev.myelin.bench;

/** Entry point of the workload benchmarks. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.out.println("myelin-bench: under construction");
    }
}
