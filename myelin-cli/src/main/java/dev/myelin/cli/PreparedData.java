package dev.myelin.cli;

import dev.myelin.cli.config.DataConfig;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Cifar10;
import dev.myelin.data.CsvDataset;
import dev.myelin.data.DataException;
import dev.myelin.data.Dataset;
import dev.myelin.data.Disc;
import dev.myelin.data.MnistFormat;
import dev.myelin.data.Splits;
import dev.myelin.data.Standardizer;
import dev.myelin.data.augment.Augment;
import dev.myelin.tensor.Rng;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The data of a run, loaded as the config's {@code data} section says and standardized with
 * statistics of the training part only.
 *
 * @param standardizer the fitted (or saved) standardizer, null for {@code standardize: none}
 * @param classNames   csv classification and cifar10: the label text of each class index; else empty
 */
record PreparedData(Dataset train, Dataset validation, Dataset test, Standardizer standardizer,
                    List<String> classNames) {

    int[] featureShape() {
        return train.featureShape();
    }

    int numClasses() {
        return train.numClasses();
    }

    /**
     * The config's augmentation pipeline for the training loader, or null when it has none. The
     * background (what padding and rotated corners show) is a black pixel in the standardized
     * units the loader sees, so a padded border looks like the images' own border.
     */
    Augment augment(DataConfig d) {
        if (d.augment().isEmpty()) {
            return null;
        }
        float[] black = new float[train.featureSize()];
        if (standardizer != null) {
            standardizer.transform(black, 0, black.length);
        }
        return new Augment(d.augment()).withBackground(black);
    }

    /**
     * Loads and standardizes. Random draws (the disc points, the validation split) come from
     * streams split off {@code root}, so the same seed gives the same data.
     *
     * @param saved a standardizer saved with a checkpoint, used instead of fitting one (and then only
     *              the test part is standardized: evaluation needs nothing else); null to fit
     */
    static PreparedData load(DataConfig d, Rng root, Standardizer saved) {
        Splits raw;
        List<String> classes = List.of();
        switch (d.dataset()) {
            case "fashion-mnist", "mnist" -> {
                var o = new MnistFormat.Options(d.dir() == null ? null : Path.of(d.dir()), d.trainLimit(), d.validation(), 0);
                Rng rng = root.split("validation");
                raw = d.dataset().equals("mnist") ? MnistFormat.mnist(o, rng) : MnistFormat.fashionMnist(o, rng);
            }
            case "cifar10" -> {
                Cifar10.Data c = Cifar10.load(d.dir() == null ? null : Path.of(d.dir()), d.trainLimit());
                classes = c.classNames();
                raw = holdOut(c.train(), c.test(), d, root);
            }
            case "disc" -> raw = holdOut(Disc.generate(d.trainSize(), root.split("data.train")),
                    Disc.generate(d.testSize(), root.split("data.test")), d, root);
            case "csv" -> {
                CsvDataset.Options o = new CsvDataset.Options(d.label(),
                        d.task().equals("regression") ? CsvDataset.Task.REGRESSION : CsvDataset.Task.CLASSIFICATION,
                        List.of(), ',');
                CsvDataset train = CsvDataset.read(d.csvPath(d.train()), o);
                CsvDataset test = CsvDataset.read(d.csvPath(d.test()), o);
                checkSameColumns(d, train, test);
                classes = train.classNames();
                raw = holdOut(train.data(), test.data(), d, root);
            }
            default -> throw new IllegalStateException("unknown data set " + d.dataset());
        }
        if (saved != null) {
            return new PreparedData(raw.train(), raw.validation(), saved.apply(raw.test()), saved, classes);
        }
        Standardizer st = fit(d.standardize(), raw.train());
        Splits done = st == null ? raw : raw.map(st::apply);
        return new PreparedData(done.train(), done.validation(), done.test(), st, classes);
    }

    private static Standardizer fit(String mode, Dataset train) {
        return switch (mode) {
            case "scalar" -> Standardizer.fitScalar(train);
            case "per-feature" -> Standardizer.fitPerFeature(train);
            default -> null;
        };
    }

    /** Applies train_limit and the validation fraction to an in-memory training set. */
    private static Splits holdOut(ArrayDataset train, ArrayDataset test, DataConfig d, Rng root) {
        if (d.trainLimit() > 0 && d.trainLimit() < train.size()) {
            train = train.subset(IntStream.range(0, d.trainLimit()).toArray());
        }
        if (d.validation() == 0) {
            return new Splits(train, null, test);
        }
        int held = (int) Math.round(d.validation() * train.size());
        if (held < 1 || held >= train.size()) {
            throw new DataException("data.validation: " + d.validation() + " of " + train.size()
                    + " training samples holds out " + held + "; expected at least 1 and fewer than all."
                    + " Change data.validation or use more training data");
        }
        ArrayDataset.Split s = train.randomSplit(held, root.split("validation"));
        return new Splits(s.train(), s.validation(), test);
    }

    private static void checkSameColumns(DataConfig d, CsvDataset train, CsvDataset test) {
        if (!train.featureNames().equals(test.featureNames())) {
            throw new DataException(d.csvPath(d.test()) + ": expected the feature columns of the training file "
                    + train.featureNames() + ", found " + test.featureNames() + "; give both files the same columns");
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new DataException(d.csvPath(d.test()) + ": expected the classes of the training file "
                    + train.classNames() + ", found " + test.classNames()
                    + "; the test file must contain every class of the training file (and no others)");
        }
    }
}
