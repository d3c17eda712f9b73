package dev.myelin.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What {@link Trainer#fit} did: the metrics of each epoch and, if it stopped early, why. */
public final class History {
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private String stopReason;
    private boolean diverged;

    void add(EpochMetrics m) {
        epochs.add(m);
    }

    void stop(String reason, boolean divergedRun) {
        this.stopReason = reason;
        this.diverged = divergedRun;
    }

    public List<EpochMetrics> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The last completed epoch, or null when none completed. */
    public EpochMetrics last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** Why training stopped before the last epoch, or null when it ran to the end. */
    public String stopReason() {
        return stopReason;
    }

    /** True when training stopped because the loss became NaN or infinite. */
    public boolean diverged() {
        return diverged;
    }
}
