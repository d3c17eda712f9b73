package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.History;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-epoch rows and summary figures of classification runs whose "validation" loader is the test
 * split (the lectures' experiments plot test error per epoch, as {@code bench/pytorch_reference.py}).
 */
final class LabRuns {
    private LabRuns() {
    }

    /** One row per epoch: epoch, train_loss, train_error, test_loss, test_error, seconds. */
    static void addEpochs(Table table, String run, History h) {
        for (EpochMetrics m : h.epochs()) {
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("epoch", (double) m.epoch());
            v.put("train_loss", m.trainLoss());
            v.put("train_error", 1 - m.trainAccuracy());
            v.put("test_loss", m.valLoss());
            v.put("test_error", 1 - m.valAccuracy());
            v.put("seconds", m.seconds());
            table.add(run, v);
        }
    }

    /** final/best test error, final training loss, epochs run, seconds, and why training stopped (if it did). */
    static void summarize(ObjectNode o, History h) {
        List<EpochMetrics> e = h.epochs();
        LabContext.number(o, "final_test_error", e.isEmpty() ? Double.NaN : 1 - h.last().valAccuracy());
        LabContext.number(o, "best_test_error", e.stream().mapToDouble(m -> 1 - m.valAccuracy()).min().orElse(Double.NaN));
        LabContext.number(o, "final_test_accuracy", e.isEmpty() ? Double.NaN : h.last().valAccuracy());
        LabContext.number(o, "final_train_loss", e.isEmpty() ? Double.NaN : h.last().trainLoss());
        o.put("epochs", e.size());
        o.put("train_seconds", e.stream().mapToDouble(EpochMetrics::seconds).sum());
        o.put("stop_reason", h.stopReason());
    }

}
