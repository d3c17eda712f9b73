package dev.myelin.train;

import dev.myelin.io.CheckpointException;
import dev.myelin.io.SafeTensors;
import dev.myelin.nn.Freezing;
import dev.myelin.nn.LoadReport;
import dev.myelin.nn.Module;
import dev.myelin.nn.WeightTransfer;
import dev.myelin.options.Check;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transfer learning as the lectures teach it (Huang, "Training Deep Neural Networks", transfer
 * learning; Géron, Hands-On Machine Learning, ch. 11, "Reusing Pretrained Layers"):
 * <ol>
 *   <li>initialize the reused layers from a pretrained model ({@link #initialize}: a Myelin run
 *       folder, checkpoint or any safetensors state dict, e.g. PyTorch's, through
 *       {@link WeightTransfer});</li>
 *   <li>freeze them and train the new head ({@code freeze});</li>
 *   <li>then unfreeze the top reused layers at a later epoch ({@code unfreeze}), usually with a
 *       lower learning rate: give those layers a parameter group of their own, whose lr
 *       schedules scale like every group's.</li>
 * </ol>
 * As a callback, it sets what is frozen at the start of every epoch from the epoch number
 * alone: everything {@code freeze} names, less what the {@code unfreeze} entries due by then
 * name. So a resumed run freezes exactly what the uninterrupted one did.
 */
public final class FineTuning implements Callback {
    /** Myelin keeps the fitted input preprocessing under keys of this prefix; they are not model weights. */
    public static final String RESERVED_PREFIX = "myelin.";
    private static final String WEIGHTS_FILE = "model.safetensors";

    /**
     * Thaw {@code layers} (name patterns) from epoch {@code epoch} (1-based) on.
     *
     * @param epoch  the first epoch in which they train
     * @param layers name patterns ({@link dev.myelin.nn.NamePattern}) of what to thaw, e.g. {@code ["3.*"]}
     */
    public record Unfreeze(int epoch, List<String> layers) {
        public Unfreeze {
            Check.atLeast("epoch", epoch, 1);
            layers = layers == null ? List.of() : List.copyOf(layers);
            Check.that(!layers.isEmpty(), "layers", "a non-empty list of name patterns such as [\"3.*\"]", layers);
        }

        public static Unfreeze of(int epoch, List<String> layers) {
            return new Unfreeze(epoch, layers);
        }
    }

    /**
     * @param initFrom the pretrained weights: a safetensors file, a Myelin run or checkpoint
     *                 folder (its {@code model.safetensors}); null to keep the initialization
     * @param rename   source key prefix to the model's ({@link WeightTransfer.Options#rename()})
     * @param ignore   name patterns of keys to leave alone, e.g. the new head {@code ["9.*"]}
     * @param strict   whether a key that is missing, unexpected or of another shape is an error (default true)
     * @param freeze   name patterns of what does not train ({@link Freezing})
     * @param unfreeze what thaws, and from which epoch
     */
    public record Options(String initFrom, Map<String, String> rename, List<String> ignore, boolean strict,
                          List<String> freeze, List<Unfreeze> unfreeze) {
        public Options {
            WeightTransfer.Options checked = new WeightTransfer.Options(rename, ignore, strict);
            rename = checked.rename();
            ignore = checked.ignore();
            freeze = freeze == null ? List.of() : List.copyOf(freeze);
            unfreeze = unfreeze == null ? List.of() : List.copyOf(unfreeze);
            for (String p : freeze) {
                Check.that(p != null && !p.isBlank(), "freeze", "name patterns such as \"0.*\"", p);
            }
            Check.that(initFrom == null || !initFrom.isBlank(), "init_from", "a path to a run folder or a safetensors file",
                    initFrom);
            Check.that(unfreeze.isEmpty() || !freeze.isEmpty(), "unfreeze",
                    "entries only beside freeze (unfreeze thaws what freeze froze)", unfreeze);
        }

        /** Nothing loaded, nothing frozen. */
        public static Options defaults() {
            return new Options(null, Map.of(), List.of(), true, List.of(), List.of());
        }

        /** How the weights are matched to the model. */
        public WeightTransfer.Options loading() {
            return new WeightTransfer.Options(rename, ignore, strict);
        }

        /** True when these options do anything. */
        public boolean active() {
            return initFrom != null || !freeze.isEmpty();
        }
    }

    private final Options options;

    public FineTuning(Options options) {
        this.options = options;
    }

    /**
     * Loads the weights {@code from} names into {@code model} as {@code options} say.
     *
     * @throws IOException              when the file cannot be read (the message names it)
     * @throws IllegalArgumentException when the weights do not fit and loading is strict
     */
    public static LoadReport initialize(Module model, Path from, WeightTransfer.Options options) throws IOException {
        return WeightTransfer.load(model, weights(from), options);
    }

    /**
     * The state dict in {@code from}: a safetensors file, or a folder holding {@code model.safetensors}
     * (a run folder, or {@code checkpoints/last}); keys under {@value #RESERVED_PREFIX} are left out.
     */
    public static Map<String, Tensor> weights(Path from) throws IOException {
        Path file = Files.isDirectory(from) ? from.resolve(WEIGHTS_FILE) : from;
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "no such file; expected a safetensors file, or a run or checkpoint"
                    + " folder holding " + WEIGHTS_FILE);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        SafeTensors.read(file).tensors().forEach((k, t) -> {
            if (!k.startsWith(RESERVED_PREFIX)) {
                out.put(k, t);
            }
        });
        return out;
    }

    /** Freezes what is frozen in {@code epoch} (1-based) and thaws the rest of what freeze names. */
    public void applyFor(Module model, int epoch) {
        if (options.freeze().isEmpty()) {
            return;
        }
        Freezing.unfreeze(model, options.freeze());
        Freezing.freeze(model, options.freeze());
        List<String> thawed = new ArrayList<>();
        for (Unfreeze u : options.unfreeze()) {
            if (u.epoch() <= epoch) {
                thawed.addAll(u.layers());
            }
        }
        if (!thawed.isEmpty()) {
            Freezing.unfreeze(model, thawed);
        }
    }

    @Override
    public void onEpochBegin(TrainContext ctx, int epoch) {
        applyFor(ctx.model(), epoch);
    }
}
