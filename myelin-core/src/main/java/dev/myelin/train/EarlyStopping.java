package dev.myelin.train;

import dev.myelin.nn.Module;
import dev.myelin.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Early stopping (Huang, "Training Deep Neural Networks", "Early Stopping"; Sun, "Training DNNs: Tricks":
 * "stop when validation error doesn't improve"): watches one metric of {@code metrics.csv} after
 * every epoch and stops training when it has not improved for {@code patience} epochs; with
 * {@code restoreBest} the model ends with the parameters and buffers of its best epoch. The
 * semantics are Keras's {@code EarlyStopping} (Prechelt 1998, "Early stopping — but when?"):
 * <pre>
 * improved(v)  =  v &lt; best − min_delta   (mode min)     v &gt; best + min_delta   (mode max)
 * after each epoch e &gt; start_from_epoch:
 *     wait += 1
 *     if improved(v): best = v, best_epoch = e, wait = 0, keep a copy of the state dict
 *     else if wait &ge; patience and e is not the first epoch: stop after e
 * at the end of training (stopped or not): load the kept state dict when restore_best
 * </pre>
 * Mode {@code auto} picks max for names containing "acc" or "auc" and min otherwise (losses,
 * errors). A NaN value never improves. Epochs are 1-based here (Keras counts from 0, so Keras's
 * {@code start_from_epoch = k} ignores the same first k epochs).
 * Defaults ({@link Options#defaults()}): monitor {@code val_loss}, mode auto, patience 5,
 * min_delta 0, restore_best true, start_from_epoch 0. <b>Departure from Keras</b> (patience 0,
 * restore_best false): those stop at the first epoch without improvement and keep the last,
 * worse weights, which is rarely what early stopping is for.
 *
 * <p>Departure from Keras: a validation metric that is NaN at the first monitored epoch is an
 * error (there is no validation split), where Keras only warns and never stops.
 */
public final class EarlyStopping implements Callback, Stateful {
    /** Whether smaller or larger values of the monitored metric are better. */
    public enum Mode { MIN, MAX, AUTO }

    /**
     * @param monitor        a metrics.csv column, e.g. {@code val_loss} or {@code val_accuracy}
     * @param mode           MIN, MAX or AUTO (from the name)
     * @param patience       epochs without improvement before stopping (0: stop at the first)
     * @param minDelta       the smallest change that counts as an improvement (its sign is ignored)
     * @param restoreBest    load the best epoch's state dict when training ends
     * @param startFromEpoch epochs ignored at the start (warm-up), 0 for none
     */
    public record Options(String monitor, Mode mode, int patience, double minDelta, boolean restoreBest,
                          int startFromEpoch) {
        public Options {
            dev.myelin.options.Check.that(monitor != null && !monitor.isBlank(), "monitor",
                    "a metric name to monitor, e.g. val_loss", monitor);
            dev.myelin.options.Check.present("mode", mode, "auto, min or max");
            dev.myelin.options.Check.atLeast("patience", patience, 0);
            dev.myelin.options.Check.atLeast("start_from_epoch", startFromEpoch, 0);
            dev.myelin.options.Check.finite("min_delta", minDelta);
            minDelta = Math.abs(minDelta);
        }

        /** The defaults: val_loss, auto mode, patience 5, min_delta 0, best weights restored, from epoch 0. */
        public static Options defaults() {
            return of("val_loss", 5);
        }

        /** {@code monitor} with the given patience, min_delta 0, auto mode, best weights restored. */
        public static Options of(String monitor, int patience) {
            return new Options(monitor, Mode.AUTO, patience, 0, true, 0);
        }
    }

    private final Options options;
    private final boolean maximize;
    private double best;
    private int bestEpoch;
    private int wait;
    private int stoppedEpoch;
    private int restoredEpoch;
    private boolean seenValue;
    private Map<String, Tensor> bestState;

    public EarlyStopping(Options options) {
        this.options = options;
        this.maximize = switch (options.mode()) {
            case MIN -> false;
            case MAX -> true;
            case AUTO -> isHigherBetter(options.monitor());
        };
    }

    /** AUTO's rule: accuracies and AUCs are maximized, everything else (losses, errors) minimized. */
    static boolean isHigherBetter(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.contains("acc") || m.contains("auc");
    }

    public Options options() {
        return options;
    }

    /** True when larger values are better (mode max, or auto on an accuracy). */
    public boolean maximizes() {
        return maximize;
    }

    @Override
    public void onTrainBegin(TrainContext ctx) {
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        bestEpoch = 0;
        wait = 0;
        stoppedEpoch = 0;
        restoredEpoch = 0;
        seenValue = false;
        bestState = null;
    }

    @Override
    public void onEpochEnd(TrainContext ctx, EpochMetrics m) {
        int epoch = m.epoch();
        if (epoch <= options.startFromEpoch()) {
            return;
        }
        double v = value(m);
        if (options.restoreBest() && bestState == null) {
            // Until some epoch improves, the first monitored epoch is the best one there is (Keras).
            bestState = snapshot(ctx.model());
            bestEpoch = epoch;
        }
        wait++;
        if (improves(v)) {
            best = v;
            bestEpoch = epoch;
            wait = 0;
            if (options.restoreBest()) {
                bestState = snapshot(ctx.model());
            }
            return;
        }
        if (wait >= options.patience() && epoch > 1) {
            stoppedEpoch = epoch;
            ctx.requestStop(reason(epoch));
        }
    }

    @Override
    public void onTrainEnd(TrainContext ctx, History history) {
        if (options.restoreBest() && bestState != null) {
            ctx.model().loadStateDict(bestState, true);
            restoredEpoch = bestEpoch;
        }
    }

    private double value(EpochMetrics m) {
        double v = m.get(options.monitor());
        if (!Double.isNaN(v)) {
            seenValue = true;
        } else if (!seenValue && options.monitor().startsWith("val_")) {
            throw new IllegalStateException("EarlyStopping monitors " + options.monitor() + ", which is NaN at epoch "
                    + m.epoch() + ": there is no validation split (or the model's validation outputs are not finite)."
                    + " Pass a validation DataLoader to fit (in a config: set data.validation, e.g. 0.1), or monitor"
                    + " a training metric such as train_loss");
        }
        return v;
    }

    /** Keras's rule: {@code v − min_delta > best} (max) or {@code v + min_delta < best} (min); NaN never improves. */
    boolean improves(double v) {
        return maximize ? v - options.minDelta() > best : v + options.minDelta() < best;
    }

    private String reason(int epoch) {
        String bestText = bestEpoch == 0 || Double.isInfinite(best) ? "no epoch improved it"
                : "best " + options.monitor() + " " + shortNumber(best) + " at epoch " + bestEpoch;
        return String.format(Locale.ROOT, "early stopping: %s did not improve%s for %d epoch%s (patience %d); stopped"
                        + " after epoch %d; %s%s", options.monitor(),
                options.minDelta() > 0 ? " by more than " + options.minDelta() : "", wait, wait == 1 ? "" : "s",
                options.patience(), epoch, bestText,
                options.restoreBest() && bestState != null ? "; restored the weights of epoch " + bestEpoch : "");
    }

    /** Six significant digits without trailing zeros: 0.25, 0.301234. */
    static String shortNumber(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static Map<String, Tensor> snapshot(Module model) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> copy.put(k, t.copy()));
        return copy;
    }

    /** The best value seen (±infinity before any epoch improved). */
    public double best() {
        return best;
    }

    /** The epoch of the best value, 0 when none was monitored yet. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The epoch after which training was stopped, or 0 when it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch whose weights were loaded back at the end of training, or 0 when none were. */
    public int restoredEpoch() {
        return restoredEpoch;
    }

    @Override
    public String stateName() {
        return "early_stopping";
    }

    @Override
    public void saveState(TrainState into) {
        into.put("best", best).put("best_epoch", bestEpoch).put("wait", wait).put("stopped_epoch", stoppedEpoch)
                .put("seen_value", seenValue).put("has_best_state", bestState != null);
        if (bestState != null) {
            into.putAll("best_state", bestState);
        }
    }

    @Override
    public void loadState(TrainState from) {
        best = from.getDouble("best");
        bestEpoch = from.getInt("best_epoch");
        wait = from.getInt("wait");
        stoppedEpoch = from.getInt("stopped_epoch");
        seenValue = from.getBoolean("seen_value");
        bestState = from.getBoolean("has_best_state") ? new LinkedHashMap<>(from.tensors("best_state")) : null;
    }
}
