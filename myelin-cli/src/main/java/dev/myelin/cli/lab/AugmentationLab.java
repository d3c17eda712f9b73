package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code lab augmentation}: the same small CNN trained on 10,000 Fashion-MNIST images with and
 * without data augmentation (random horizontal flip, random crop with padding 2: a shift of up
 * to 2 pixels); the runs are {@code examples/lab/augmentation/*.yaml}. Sun, "Training DNNs:
 * Tricks": augmentation enlarges the training set with label-preserving transformations, a
 * regularizer; the claim measured here is that it narrows the gap between training and
 * validation accuracy. Training accuracy is measured each epoch on clean (not augmented)
 * training images in eval mode ({@link TrainingSetEvaluation}), so both runs are measured alike.
 */
public final class AugmentationLab {
    /** The lab: its two runs, quick mode's overrides and the clean training-set evaluation. */
    public static final ConfigLab LAB = new ConfigLab("augmentation",
            "a small CNN with and without flip + crop augmentation on 10,000 Fashion-MNIST images: the train/validation gap",
            List.of("plain", "augmented"),
            List.of("data.train_limit=256", "data.validation=0.5", "data.test_limit=128", "epochs=2"),
            List.of(TrainingSetEvaluation::ofValidationSize), AugmentationLab::verdict);

    private AugmentationLab() {
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        for (LabRun r : runs) {
            table.addPerEpoch(r.name(), r.history(), e -> Map.of("gap", e.get("train_eval_accuracy") - e.valAccuracy()));
        }
        Chart.save(ctx.file("augmentation.png"),
                table.chart("training accuracy (clean images)", "epoch", "train_eval_accuracy", "accuracy"),
                table.chart("validation accuracy", "epoch", "val_accuracy", "accuracy"),
                table.chart("gap: training - validation accuracy", "epoch", "gap", "accuracy gap"));
        Map<String, Double> plain = TrainingSetEvaluation.figures(LabRun.named(runs, "plain"));
        Map<String, Double> aug = TrainingSetEvaluation.figures(LabRun.named(runs, "augmented"));
        plain.forEach(ctx.summary().putObject("plain")::put);
        aug.forEach(ctx.summary().putObject("augmented")::put);
        ctx.summary().put("chart", "augmentation.png");
        return verdict(plain, aug, runs.get(0).config().epochs());
    }

    private static String verdict(Map<String, Double> plain, Map<String, Double> aug, int epochs) {
        return String.format(Locale.ROOT, "after %d epochs: without augmentation train %.4f, validation %.4f (gap %.4f),"
                        + " test %.4f; with flip + crop train %.4f, validation %.4f (gap %.4f), test %.4f%n", epochs,
                plain.get("train_accuracy"), plain.get("val_accuracy"), plain.get("gap"), plain.get("test_accuracy"),
                aug.get("train_accuracy"), aug.get("val_accuracy"), aug.get("gap"), aug.get("test_accuracy"))
                + (aug.get("gap") < plain.get("gap")
                ? "As the lecture says: augmentation regularizes, the gap between training and validation accuracy"
                + " narrows" + (aug.get("test_accuracy") > plain.get("test_accuracy") ? " and test accuracy improves."
                : " (test accuracy did not improve in this run).")
                : "Not the lecture's picture in this run: augmentation did not narrow the train/validation gap.");
    }
}
