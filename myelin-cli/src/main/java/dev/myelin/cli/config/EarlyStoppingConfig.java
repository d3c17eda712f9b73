package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.cli.yaml.Source;
import dev.myelin.train.EarlyStopping;
import java.util.List;
import java.util.Locale;

/**
 * The config's {@code early_stopping} section:
 * {@code {monitor: val_loss, mode: auto, patience: 5, min_delta: 0, restore_best: true, start_from_epoch: 0}}.
 * Defaults as written there; Keras's are patience 0 and restore_best false, which stop at the
 * first bad epoch and keep the last weights, rarely what a config wants. A monitored validation
 * metric needs {@code data.validation}.
 *
 * @param monitor a metrics.csv column (val_loss, val_accuracy, train_loss, ... or an extra column)
 * @param mode    auto, min or max
 */
public record EarlyStoppingConfig(String monitor, String mode, int patience, double minDelta, boolean restoreBest,
                                  int startFromEpoch) {
    /** The metrics.csv columns every run has; others (e.g. {@code penalty}) are checked when training runs. */
    public static final List<String> METRICS = List.of("val_loss", "val_accuracy", "train_loss", "train_accuracy");
    public static final List<String> MODES = List.of("auto", "min", "max");

    /** The callback these settings describe. */
    public EarlyStopping callback() {
        return new EarlyStopping(new EarlyStopping.Options(monitor,
                EarlyStopping.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), patience, minDelta, restoreBest,
                startFromEpoch));
    }

    public ObjectNode toTree() {
        return JsonNodeFactory.instance.objectNode().put("monitor", monitor).put("mode", mode).put("patience", patience)
                .put("min_delta", minDelta).put("restore_best", restoreBest).put("start_from_epoch", startFromEpoch);
    }

    /** Reads the section; null when it is absent. */
    static EarlyStoppingConfig parse(Source src, JsonNode node, DataConfig data) {
        if (node == null) {
            return null;
        }
        Fields f = Fields.of(src, "early_stopping", node, "Write e.g. `early_stopping: {monitor: val_loss, patience: 5}`");
        String monitor = monitor(f);
        String mode = f.choice("mode", "auto", MODES);
        int patience = f.integer("patience", 5, 0, "patience: 5");
        double minDelta = f.number("min_delta", 0.0, "min_delta: 0.001");
        f.check("min_delta", minDelta, minDelta >= 0, "a number >= 0", "min_delta: 0.001");
        boolean restore = f.bool("restore_best", true);
        int start = f.integer("start_from_epoch", 0, 0, "start_from_epoch: 0");
        f.finish();
        if (monitor.startsWith("val_") && data.validation() == 0) {
            throw src.error("early_stopping.monitor", "a validation split to compute " + monitor + " on",
                    "data.validation: 0 (no validation split)",
                    "Set data.validation, e.g. `data: {validation: 0.1}`, to hold out 10% of the training data,"
                            + " or monitor train_loss");
        }
        return new EarlyStoppingConfig(monitor, mode, patience, minDelta, restore, start);
    }

    private static String monitor(Fields f) {
        String m = f.text("monitor", "val_loss", false, "monitor: val_loss");
        String guess = Source.didYouMean(m, METRICS);
        if (!METRICS.contains(m) && guess != null) {
            throw f.error("monitor", "a metrics.csv column (" + String.join(", ", METRICS) + ", or an extra column such"
                    + " as penalty)", f.raw("monitor"), "Did you mean '" + guess + "'?");
        }
        return m;
    }
}
