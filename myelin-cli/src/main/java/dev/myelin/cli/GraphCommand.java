package dev.myelin.cli;

import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.run.ModelTraining;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.cli.run.UserException;
import dev.myelin.data.Batch;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Autograd;
import dev.myelin.tensor.Graph;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin graph CONFIG}: the computational graph of one training step's forward pass, from
 * two training samples to the loss ({@link Graph}), or with {@code --backward} the graph that
 * computing the parameters' gradients records; drawn by Graphviz's {@code dot} when it is
 * installed, else written as DOT with the command that renders it.
 */
@Command(name = "graph", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draws the computational graph of one forward pass (two training samples to the loss):%n"
                + "ops with their output shapes, parameters by their state-dict names (needs graphviz's dot%n"
                + "for SVG or PNG; FILE.dot is written without it).",
        footer = {"%nExample: myelin graph examples/fashion-cnn.yaml --out cnn.svg"})
final class GraphCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML config (see examples/).")
    private Path config;

    @Option(names = "--backward", description = "Draw the graph of the backward pass (the gradients' computation).")
    private boolean backward;

    @Option(names = "--out", paramLabel = "FILE", description = "FILE.svg, .png, .pdf or .dot (default: <config>-graph.svg).")
    private Path out;

    @Mixin
    private ConfigOverrides overrides;

    @Override
    public Integer call() throws IOException, InterruptedException {
        RunConfig c = overrides.load(config);
        common.applyThreads();
        Rng root = new Rng(c.seed());
        PreparedData d = PreparedData.load(c.data(), c.source(), root, null);
        Sequential model = ModelTraining.startingModel(c, d, root);
        Batch b = new DataLoader(d.train(), Math.min(2, d.train().size())).iterator().next();
        model.train();
        Tensor loss = c.loss().create().apply(model.forward(b.x()), b.y());
        Map<String, Tensor> params = model.namedParameters();
        List<Tensor> trainable = params.values().stream().filter(Tensor::requiresGrad).toList();
        Graph g = backward
                ? Graph.of(Autograd.grad(loss, trainable, null, true), params, Map.of("input", b.x(), "target", b.y()))
                : Graph.of(loss, params, Map.of("input", b.x(), "target", b.y()));
        Path file = out != null ? out : Path.of(ConfigLoader.runName(config) + (backward ? "-backward" : "")
                + "-graph.svg");
        String wrote = write(g.toDot(), file);
        main.out().printf(Locale.ROOT, "%s: %s of %s, %d ops, %d of the model's %d parameter tensors, input %s%n", wrote,
                backward ? "the backward pass" : "the forward pass to the loss", c.name(), g.count("op"),
                g.count("parameter"), params.size(), java.util.Arrays.toString(b.x().shape()));
        return 0;
    }

    /** Writes FILE.dot, or renders FILE with dot; without dot, writes the .dot and says how to render it. */
    private String write(String dot, Path file) throws IOException, InterruptedException {
        String name = file.getFileName().toString();
        int dotAt = name.lastIndexOf('.');
        String ext = dotAt < 0 ? "" : name.substring(dotAt + 1).toLowerCase(Locale.ROOT);
        if (ext.equals("dot") || ext.equals("gv")) {
            Files.writeString(file, dot);
            return "wrote " + file;
        }
        if (!List.of("svg", "png", "pdf").contains(ext)) {
            throw new UserException("--out " + file + ": expected a file ending in .svg, .png, .pdf or .dot");
        }
        Path source = file.resolveSibling(name.substring(0, dotAt) + ".dot");
        Files.writeString(source, dot);
        List<String> cmd = new ArrayList<>(List.of("dot", "-T" + ext, source.toString(), "-o", file.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            main.err().println("myelin: note: Graphviz's dot is not installed, so " + file + " was not drawn; install it"
                    + " (apt-get install -y graphviz) and run: dot -T" + ext + " " + source + " -o " + file);
            return "wrote " + source;
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new UserException("dot -T" + ext + " " + source + " failed: " + log.strip());
        }
        Files.delete(source);
        return "wrote " + file;
    }
}
