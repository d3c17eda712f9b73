package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.LayerSpec;
import dev.myelin.cli.optim.OptimizerConfig;
import dev.myelin.cli.optim.ScheduleConfig;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.ModelSpec;
import dev.myelin.model.LossSpec;
import dev.myelin.model.ModelInit;
import dev.myelin.model.bind.Fields;
import dev.myelin.model.bind.Source;
import dev.myelin.train.FineTuning;
import dev.myelin.train.ModelCheckpoint;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated training configuration, defaults filled in. {@link #toTree()} is the resolved
 * form written to {@code config.yaml} and into the checkpoint; reading it back gives an equal
 * config.
 *
 * @param name   the run's name (the config file's name without extension)
 * @param source where it was read from, for errors found later (layer shapes against the data)
 * @param spec   the model: the {@code model} layers, the top-level {@code init} and the {@code loss}
 * @param regularization the {@code regularization} section and the {@code constraints} list
 * @param earlyStopping the {@code early_stopping} section, or null when absent
 * @param ensemble      the {@code ensemble} section (bagging), or null when absent
 * @param schedule      the learning-rate schedule, or null for a constant rate
 * @param clip          gradient clipping (and gradient-norm logging), or null for none
 * @param checkpoint    when full checkpoints are written and how many are kept (never null)
 * @param transfer      the {@code transfer} section: pretrained weights to start from, and what is frozen (never null)
 */
public record RunConfig(String name, Source source, long seed, DataConfig data, ModelSpec spec,
                        OptimizerConfig optimizer, int epochs, int batchSize, RegularizationConfig regularization,
                        dev.myelin.train.EarlyStopping.Options earlyStopping, dev.myelin.nn.Ensemble.Options ensemble, ScheduleConfig schedule,
                        dev.myelin.optim.GradClipping.Options clip, ModelCheckpoint.Options checkpoint,
                        FineTuning.Options transfer) {

    /** The model's layers ({@code spec().layers()}). */
    public List<LayerSpec> model() {
        return spec.layers();
    }

    /** The top-level {@code init} ({@code spec().init()}). */
    public ModelInit init() {
        return spec.init();
    }

    /** The {@code loss} ({@code spec().loss()}). */
    public LossSpec loss() {
        return spec.loss();
    }

    /** A copy that trains for {@code n} epochs in all (a resumed run extended with {@code --set epochs=N}). */
    public RunConfig withEpochs(int n) {
        return new RunConfig(name, source, seed, data, spec, optimizer, n, batchSize, regularization, earlyStopping,
                ensemble, schedule, clip, checkpoint, transfer);
    }

    /** A copy with another {@code data} section (e.g. eval's {@code --data DIR}). */
    public RunConfig withData(DataConfig d) {
        return new RunConfig(name, source, seed, d, spec, optimizer, epochs, batchSize, regularization, earlyStopping,
                ensemble, schedule, clip, checkpoint, transfer);
    }

    public ObjectNode toTree() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("seed", seed);
        o.set("data", data.toTree());
        spec.writeTo(o);
        o.set("regularization", regularization.toTree());
        o.set("constraints", regularization.constraintsTree());
        o.set("optimizer", optimizer.toTree());
        if (schedule != null) {
            o.set("schedule", schedule.toTree());
        }
        if (clip != null) {
            o.set("clip", Bindings.BINDER.write(clip));
        }
        o.put("epochs", epochs);
        o.put("batch_size", batchSize);
        if (earlyStopping != null) {
            o.set("early_stopping", dev.myelin.model.bind.Bindings.BINDER.write(earlyStopping));
        }
        if (ensemble != null) {
            o.set("ensemble", Bindings.BINDER.write(ensemble));
        }
        o.set("checkpoint", Bindings.BINDER.write(checkpoint));
        if (transfer.active()) {
            o.set("transfer", Bindings.BINDER.write(transfer));
        }
        return o;
    }

    /** Validates a whole config tree. */
    static RunConfig parse(String name, Source src, JsonNode root, Path baseDir) {
        Fields f = Fields.of(src, "", root, "Write settings such as `epochs: 10` at the top level");
        long seed = f.longInteger("seed", 0);
        DataConfig data = DataConfig.parse(src, f.raw("data"), baseDir);
        f.raw("model");
        f.raw("init");
        f.raw("loss");
        ModelSpec spec = ModelSpec.read(src, root);
        RegularizationConfig regularization = RegularizationConfig.parse(f);
        OptimizerConfig optimizer = OptimizerConfig.parse(src, f.raw("optimizer"), spec.layers().size());
        JsonNode s = f.raw("schedule");
        ScheduleConfig schedule = s == null ? null : ScheduleConfig.parse(src, s, data.validation() > 0);
        JsonNode c = f.raw("clip");
        dev.myelin.optim.GradClipping.Options clip = c == null ? null : Bindings.BINDER.read(
                dev.myelin.optim.GradClipping.Options.class, src, "clip", c, "`clip: {norm: 1.0}` or `clip: {value: 0.5}`");
        int epochs = f.integer("epochs", 10, 1, "epochs: 10");
        int batchSize = f.integer("batch_size", 128, 1, "batch_size: 128");
        dev.myelin.train.EarlyStopping.Options earlyStopping = EarlyStoppingConfig.parse(src, f.raw("early_stopping"), data);
        JsonNode ens = f.raw("ensemble");
        dev.myelin.nn.Ensemble.Options ensemble = ens == null ? null : Bindings.BINDER.read(
                dev.myelin.nn.Ensemble.Options.class, src, "ensemble", ens, "`ensemble: {members: 5}`");
        ModelCheckpoint.Options checkpoint = Bindings.BINDER.read(ModelCheckpoint.Options.class, src, "checkpoint",
                f.raw("checkpoint"), "`checkpoint: {every_steps: 500, keep: 2}`");
        if (checkpoint.monitor() != null) {
            EarlyStoppingConfig.checkMonitor(src, "checkpoint.monitor", checkpoint.monitor(), data);
        }
        FineTuning.Options transfer = transfer(src, f.raw("transfer"), spec.init());
        f.finish();
        return new RunConfig(name, src, seed, data, spec, optimizer, epochs, batchSize, regularization, earlyStopping,
                ensemble, schedule, clip, checkpoint, transfer);
    }

    /**
     * The {@code transfer} section; a relative {@code init_from} is resolved against the working
     * directory and written absolute, so that a resumed or re-read run finds the same file.
     */
    private static FineTuning.Options transfer(Source src, JsonNode n, ModelInit init) {
        FineTuning.Options t = Bindings.BINDER.read(FineTuning.Options.class, src, "transfer", n,
                "`transfer: {init_from: runs/pretrain, ignore: [\"9.*\"], freeze: [\"0.*\", \"3.*\"]}`");
        if (t.initFrom() != null && init.lsuv() != null) {
            throw src.error("transfer.init_from", "pretrained weights or init: lsuv, not both", t.initFrom(),
                    "LSUV would overwrite the loaded weights; remove `init: lsuv` (or init_from)");
        }
        if (t.initFrom() == null || Path.of(t.initFrom()).isAbsolute()) {
            return t;
        }
        String absolute = Path.of(t.initFrom()).toAbsolutePath().normalize().toString();
        return new FineTuning.Options(absolute, t.rename(), t.ignore(), t.strict(), t.freeze(), t.unfreeze());
    }
}
