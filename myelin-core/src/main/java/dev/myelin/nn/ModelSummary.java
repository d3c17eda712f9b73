package dev.myelin.nn;

import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's layers with their output shapes and parameter counts, as Keras's
 * {@code model.summary()} and torchinfo's {@code summary(model, input_size)}: one row per layer
 * of a {@link Sequential} (one row for any other module), then the totals and the memory they take.
 * The output shapes are measured, not derived: {@link #of} runs one sample of zeros through
 * the model in evaluation mode without recording a graph, so every layer reports what it
 * really produces. A layer made of modules (a ResNet, a residual block) is followed by rows
 * for its children, two levels deep, with their parameters; their outputs are inside the
 * layer's forward pass, so those rows have no output shape, and the activation count holds
 * the top-level layers' outputs only.
 *
 * @param rows             the layers in order
 * @param inputShape       the shape of one sample
 * @param buffers          the values of the buffers (batch norm's running statistics), which
 *                         are state but not parameters
 * @param activationValues the values of all layers' outputs for one sample: what one forward
 *                         pass keeps for backpropagation, per sample
 */
public record ModelSummary(List<Row> rows, int[] inputShape, long buffers, long activationValues) {
    /** Bytes per stored value (float32). */
    public static final int BYTES = Float.BYTES;

    /**
     * One layer.
     *
     * @param name        its state-dict prefix ({@code 1} for the keys {@code 1.weight}, ...;
     *                    {@code 0.layer1} for a child)
     * @param depth       0 for a layer of the model, 1 for its child, 2 for a grandchild
     * @param type        its kind ({@code Linear}, {@code ReLU}, {@code BasicBlock})
     * @param description its one-line description ({@code Linear(784, 256, bias=true)})
     * @param outputShape the shape of its output for one sample; null for a child
     * @param trainable   its parameters' values that require a gradient
     * @param frozen      its parameters' values that do not ({@link Freezing})
     */
    public record Row(String name, int depth, String type, String description, int[] outputShape, long trainable,
                      long frozen) {
        /** All its parameters' values. */
        public long parameters() {
            return trainable + frozen;
        }

        /** "yes", "frozen", "partly", or "" for a layer without parameters. */
        public String trainability() {
            return parameters() == 0 ? "" : frozen == 0 ? "yes" : trainable == 0 ? "frozen" : "partly";
        }
    }

    /** How many levels of children follow a layer made of modules. */
    public static final int CHILD_DEPTH = 2;

    public ModelSummary {
        rows = List.copyOf(rows);
        inputShape = inputShape.clone();
    }

    /**
     * The summary of {@code model} for samples of {@code sampleShape}. The model is left in the
     * mode it was in ({@link Module#train(boolean)} with its root's mode).
     *
     * @throws IllegalArgumentException when the model does not accept samples of that shape
     */
    public static ModelSummary of(Module model, int... sampleShape) {
        List<Module> layers = model instanceof Sequential s ? s.layers() : List.of(model);
        List<Tensor> outputs = new ArrayList<>();
        boolean training = model.isTraining();
        int[] batch = new int[sampleShape.length + 1];
        batch[0] = 1;
        System.arraycopy(sampleShape, 0, batch, 1, sampleShape.length);
        model.eval();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor x = Tensor.zeros(batch);
            if (model instanceof Sequential s) {
                s.forward(x, (i, layer, out) -> outputs.add(out));
            } else {
                outputs.add(model.forward(x));
            }
        } finally {
            model.train(training);
        }
        List<Row> rows = new ArrayList<>();
        long activations = 0;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            int[] shape = outputs.get(i).shape();
            activations += outputs.get(i).numel();
            String name = model instanceof Sequential ? Integer.toString(i) : "";
            rows.add(row(name, 0, m, Arrays.copyOfRange(shape, 1, shape.length)));
            children(name, 1, m, rows);
        }
        long buffers = 0;
        Map<String, Tensor> parameters = model.namedParameters();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            if (!parameters.containsKey(e.getKey())) {
                buffers += e.getValue().numel();
            }
        }
        return new ModelSummary(rows, sampleShape, buffers, activations);
    }

    private static void children(String prefix, int depth, Module m, List<Row> rows) {
        if (depth > CHILD_DEPTH) {
            return;
        }
        m.children().forEach((k, c) -> {
            String name = prefix.isEmpty() ? k : prefix + "." + k;
            rows.add(row(name, depth, c, null));
            children(name, depth + 1, c, rows);
        });
    }

    private static Row row(String name, int depth, Module m, int[] shape) {
        long trainable = 0;
        long frozen = 0;
        for (Tensor p : m.parameters()) {
            if (p.requiresGrad()) {
                trainable += p.numel();
            } else {
                frozen += p.numel();
            }
        }
        String description = m.toString().lines().findFirst().orElse("").strip();
        int paren = description.indexOf('(');
        String type = paren > 0 ? description.substring(0, paren) : description;
        return new Row(name, depth, type, description, shape, trainable, frozen);
    }

    /** All parameters' values. */
    public long parameters() {
        return trainable() + frozen();
    }

    /** The parameters' values that require a gradient. */
    public long trainable() {
        return layers().stream().mapToLong(Row::trainable).sum();
    }

    /** The parameters' values that are frozen. */
    public long frozen() {
        return layers().stream().mapToLong(Row::frozen).sum();
    }

    /** The rows of the model's own layers (depth 0), without their children. */
    public List<Row> layers() {
        return rows.stream().filter(r -> r.depth() == 0).toList();
    }

    /**
     * The table as text, within 80 columns for the usual layers, then the totals; with a
     * {@code batchSize} above 0, the activation memory of one training batch as well.
     */
    public String render(int batchSize) {
        StringBuilder sb = new StringBuilder();
        int nameWidth = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        int typeWidth = Math.max(5, rows.stream().mapToInt(r -> 2 * r.depth() + r.type().length()).max().orElse(0));
        int shapeWidth = Math.max(Math.max(12, shape(inputShape).length()),
                rows.stream().mapToInt(r -> shape(r.outputShape()).length()).max().orElse(0));
        String format = "%-" + nameWidth + "s %-" + typeWidth + "s  %-" + shapeWidth + "s %12s  %s%n";
        sb.append(String.format(Locale.ROOT, format, "name", "layer", "output shape", "parameters", "trainable"));
        sb.append(String.format(Locale.ROOT, format, "", "input", shape(inputShape), "", ""));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, format, r.name(), "  ".repeat(r.depth()) + r.type(),
                    shape(r.outputShape()), String.format(Locale.ROOT, "%,d", r.parameters()), r.trainability()));
        }
        sb.append(String.format(Locale.ROOT, "parameters: %,d (%s), %,d trainable, %,d frozen%n", parameters(),
                bytes(parameters()), trainable(), frozen()));
        sb.append(String.format(Locale.ROOT, "buffers: %,d values (%s)%n", buffers, bytes(buffers)));
        boolean nested = rows.stream().anyMatch(r -> r.depth() > 0);
        sb.append(String.format(Locale.ROOT, "%s: %,d values per sample (%s)", nested ? "layer outputs"
                : "activations", activationValues, bytes(activationValues)));
        if (batchSize > 0) {
            sb.append(String.format(Locale.ROOT, ", %s per batch of %,d", bytes(activationValues * batchSize),
                    batchSize));
        }
        sb.append(String.format("%n"));
        return sb.toString().replaceAll(" +(\\R)", "$1");
    }

    /** A sample's shape as {@code [N, 256]}: N stands for the batch; "" for null. */
    public static String shape(int[] sample) {
        if (sample == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("[N");
        for (int d : sample) {
            sb.append(", ").append(d);
        }
        return sb.append(']').toString();
    }

    /** {@code values} float32 values in B, KiB, MiB or GiB. */
    public static String bytes(long values) {
        double b = (double) values * BYTES;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.2f %s", b, units[u]);
    }
}
