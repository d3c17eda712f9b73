package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Source;
import dev.myelin.train.EarlyStopping;
import java.util.List;

/**
 * Reads the config's {@code early_stopping} section into the core's {@link EarlyStopping.Options}
 * (its keys, defaults and checks), and checks what only the whole config knows: a monitored
 * validation metric needs {@code data.validation}, and a misspelt column is caught early.
 */
final class EarlyStoppingConfig {
    /** The metrics.csv columns every run has; others (e.g. {@code penalty}) are checked when training runs. */
    static final List<String> METRICS = List.of("val_loss", "val_accuracy", "train_loss", "train_accuracy");

    private EarlyStoppingConfig() {
    }

    /** The section's options; null when it is absent. */
    static EarlyStopping.Options parse(Source src, JsonNode node, DataConfig data) {
        if (node == null) {
            return null;
        }
        EarlyStopping.Options o = Bindings.BINDER.read(EarlyStopping.Options.class, src, "early_stopping", node,
                "`early_stopping: {monitor: val_loss, patience: 5}`");
        checkMonitor(src, "early_stopping.monitor", o.monitor(), data);
        return o;
    }

    /** Checks a monitored metric at {@code path}: a known column (did-you-mean), and a validation split for {@code val_*}. */
    static void checkMonitor(Source src, String path, String m, DataConfig data) {
        String guess = Source.didYouMean(m, METRICS);
        if (!METRICS.contains(m) && guess != null) {
            throw src.error(path, "a metrics.csv column (" + String.join(", ", METRICS)
                    + ", or an extra column such as penalty)", "\"" + m + "\" (a string)", "Did you mean '" + guess + "'?");
        }
        if (m.startsWith("val_") && data.validation() == 0) {
            throw src.error(path, "a validation split to compute " + m + " on",
                    "data.validation: 0 (no validation split)",
                    "Set data.validation, e.g. `data: {validation: 0.1}`, to hold out 10% of the training data,"
                            + " or monitor train_loss");
        }
    }
}
