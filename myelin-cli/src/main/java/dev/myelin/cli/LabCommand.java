package dev.myelin.cli;

import dev.myelin.io.Version;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.lab.ConfigLab;
import dev.myelin.cli.lab.Experiment;
import dev.myelin.cli.lab.LabContext;
import dev.myelin.cli.lab.Labs;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.cli.run.RunLock;
import dev.myelin.cli.run.UserException;
import dev.myelin.model.bind.Source;
import dev.myelin.kernel.KernelProvider;
import dev.myelin.kernel.Parallel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin lab NAME}: reproduces one experiment of the lectures and writes a run folder
 * with {@code metrics.csv}, {@code summary.json} and the chart(s); {@code myelin lab --list}
 * lists them.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs an experiment from the lectures and writes a run folder:%n"
                + "metrics.csv, summary.json and charts (PNG). --list shows the experiments.",
        footer = {"%nExample: myelin lab bn-disc     (myelin lab --list for all)"})
final class LabCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The experiment (see --list).")
    private String name;

    @Option(names = "--list", description = "List the experiments with a line each.")
    private boolean list;

    @Option(names = "--quick", description = "A seconds-long version on tiny data (what the tests run).")
    private boolean quick;

    @Option(names = "--seed", paramLabel = "N", description = "The seed of every random stream (default: 0).")
    private long seed;

    @Option(names = "--data", paramLabel = "DIR", description = "The Fashion-MNIST directory (default: $MYELIN_DATA"
            + " or /usr/share/datasets/fashion-mnist).")
    private Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: runs/lab-NAME-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Changes a setting: for a lab of run configs"
            + " (examples/lab/NAME/), a config value of every run, as in myelin train (e.g. epochs=10), or of one"
            + " run with RUN:KEY=VALUE (e.g. cosine:schedule.t_max=100). The labs that are programs take none."
            + " Repeatable.")
    private List<String> sets = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintStream console = main.out();
        if (list || name == null) {
            printList(console);
            if (name == null && !list) {
                main.err().println("myelin: error: name an experiment, e.g. `myelin lab "
                        + (Labs.all().isEmpty() ? "NAME" : Labs.all().get(0).name()) + "`");
                return Main.USER;
            }
            return 0;
        }
        Experiment e = Labs.find(name).orElseThrow(() -> unknown(name));
        if (!e.takesSets() && !sets.isEmpty()) {
            throw new UserException("lab " + e.name() + ": --set " + sets.get(0) + ": this lab is a program, not a"
                    + " folder of run configs, and takes no --set; --quick, --seed and --data are its options");
        }
        common.applyThreads();
        try (RunLock lock = RunFolder.create(out, "lab-" + e.name())) {
            Path dir = lock.folder();
            LabContext ctx = new LabContext(dir, console, seed, quick, data, sets);
            console.println("lab " + e.name() + ": " + e.description() + (quick ? " (quick)" : ""));
            long t0 = System.nanoTime();
            String verdict = e.run(ctx);
            double wall = (System.nanoTime() - t0) / 1e9;
            writeSummary(ctx, e, verdict, wall);
            console.println();
            console.println(verdict.strip());
            console.println("run folder: " + dir);
            List<String> undrawn = Chart.takeUndrawn();
            if (!undrawn.isEmpty()) {
                main.err().println("myelin: error: the lab ran and its numbers, verdict and summary are in " + dir
                        + ", but Java could not draw " + String.join(", ", undrawn) + ". Charts need fonts: "
                        + Chart.FONTS + ", then run the lab again");
                return Main.INTERNAL;
            }
        }
        return 0;
    }

    private static void printList(PrintStream out) {
        int width = Labs.names().stream().mapToInt(String::length).max().orElse(0);
        for (Experiment e : Labs.all()) {
            out.printf("%-" + width + "s  %s%n", e.name(), e.description());
            if (e instanceof ConfigLab c) {
                String runs = c.runs().size() == 1 ? c.runs().get(0) : "{" + String.join(",", c.runs()) + "}";
                out.printf("%-" + width + "s    runs: examples/lab/%s/%s.yaml (--set KEY=VALUE changes %s%s)%n", "",
                        c.name(), runs, c.runs().size() == 1 ? "it" : "them all", c.runs().size() == 1 ? ""
                                : ", --set RUN:KEY=VALUE one");
            }
        }
        if (Labs.all().isEmpty()) {
            out.println("(no experiments)");
        }
    }

    private static UserException unknown(String name) {
        List<String> names = Labs.names();
        String guess = Source.didYouMean(name, names);
        return new UserException("lab: no experiment named '" + name + "'; expected one of " + String.join(", ", names)
                + (guess != null ? ". Did you mean '" + guess + "'?" : ". See `myelin lab --list`."));
    }

    private void writeSummary(LabContext ctx, Experiment e, String verdict, double wall) throws java.io.IOException {
        ObjectNode s = new ObjectMapper().createObjectNode();
        s.put("lab", e.name());
        s.put("description", e.description());
        s.put("seed", seed);
        s.put("quick", quick);
        s.put("wall_seconds", wall);
        s.put("threads", Parallel.threads());
        s.put("kernels", KernelProvider.get().name());
        s.put("java_version", Runtime.version().toString());
        s.put("myelin_version", Version.get());
        s.setAll(ctx.summary());
        s.put("verdict", verdict.strip());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(ctx.file(RunFolder.SUMMARY).toFile(), s);
    }
}
