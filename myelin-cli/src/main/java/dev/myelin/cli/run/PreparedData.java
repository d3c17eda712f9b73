package dev.myelin.cli.run;

import dev.myelin.cli.config.DataConfig;
import dev.myelin.model.bind.Source;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Cifar10;
import dev.myelin.data.CsvDataset;
import dev.myelin.data.DataException;
import dev.myelin.data.Dataset;
import dev.myelin.data.Disc;
import dev.myelin.data.MnistFormat;
import dev.myelin.data.Splits;
import dev.myelin.data.Preprocessing;
import dev.myelin.data.augment.Augment;
import dev.myelin.tensor.Rng;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The data of a run, loaded as the config's {@code data} section says and preprocessed
 * ({@code data.preprocess}) with statistics of the training part only.
 *
 * @param preprocessing the fitted (or saved) input transforms; empty for none
 * @param classNames    csv classification and cifar10: the label text of each class index; else empty
 * @param featureNames  csv: the feature columns' names, in the order of the features; else empty
 * @param inputShape    the shape of one sample as read, before preprocessing (what input files hold)
 */
public record PreparedData(Dataset train, Dataset validation, Dataset test, Preprocessing preprocessing,
                    List<String> classNames, List<String> featureNames, int[] inputShape) {

    /** The shape of one sample as the model sees it (after preprocessing; a PCA step makes it [k]). */
    public int[] featureShape() {
        return test.featureShape();
    }

    public int numClasses() {
        return train.numClasses();
    }

    /**
     * The config's augmentation pipeline for the training loader, or null when it has none. The
     * background (what padding and rotated corners show) is a black image in the preprocessed
     * units the loader sees, so a padded border looks like the images' own border.
     */
    public Augment augment(DataConfig d) {
        if (d.augment().isEmpty()) {
            return null;
        }
        ArrayDataset black = new ArrayDataset(new float[ArrayDataset.product(inputShape)], inputShape, new float[1],
                train.numClasses());
        float[] background = new float[train.featureSize()];
        preprocessing.apply(black).features(0, background, 0);
        return new Augment(d.augment()).withBackground(background);
    }

    /**
     * Loads and preprocesses. Random draws (the disc points, the validation split) come from
     * streams split off {@code root}, so the same seed gives the same data.
     *
     * @param source where the config came from, named by errors of the preprocessing fit
     * @param saved  the preprocessing saved with a checkpoint, used instead of fitting it (and then only
     *               the test part is transformed: evaluation needs nothing else); null to fit
     */
    public static PreparedData load(DataConfig config, Source source, Rng root, Preprocessing saved) {
        DataConfig d = RemoteData.local(config, source);
        Splits raw;
        List<String> classes = List.of();
        List<String> features = List.of();
        switch (d.dataset()) {
            case "fashion-mnist", "mnist" -> {
                boolean subset = !d.classes().isEmpty();
                var o = new MnistFormat.Options(d.dir() == null ? null : Path.of(d.dir()), subset ? 0 : d.trainLimit(),
                        subset ? 0 : d.validation(), 0);
                Rng rng = root.split("validation");
                raw = d.dataset().equals("mnist") ? MnistFormat.mnist(o, rng) : MnistFormat.fashionMnist(o, rng);
                if (subset) {
                    // the limit and the validation share count samples of the kept classes
                    raw = holdOut(keep(raw.train(), d), keep(raw.test(), d), d, root);
                    classes = d.classes().stream().map(String::valueOf).toList();
                }
            }
            case "cifar10" -> {
                Cifar10.Data c = Cifar10.load(d.dir() == null ? null : Path.of(d.dir()), d.classes().isEmpty()
                        ? d.trainLimit() : 0);
                classes = d.classes().isEmpty() ? c.classNames()
                        : d.classes().stream().map(c.classNames()::get).toList();
                raw = holdOut(keep(c.train(), d), keep(c.test(), d), d, root);
            }
            case "disc" -> raw = holdOut(Disc.generate(d.trainSize(), root.split("data.train")),
                    Disc.generate(d.testSize(), root.split("data.test")), d, root);
            case "csv" -> {
                CsvDataset.Options o = d.csv();
                CsvDataset train = CsvDataset.read(d.csvPath(d.train()), o);
                // the test file's columns are found by name: its column order may differ
                CsvDataset test = CsvDataset.read(d.csvPath(d.test()), o.withFeatures(train.featureNames()));
                checkSameColumns(d, train, test);
                classes = train.classNames();
                features = train.featureNames();
                raw = holdOut(train.data(), test.data(), d, root);
            }
            default -> throw new IllegalStateException("unknown data set " + d.dataset());
        }
        if (d.testLimit() > 0) {
            raw = new Splits(raw.train(), raw.validation(), ArrayDataset.firstOf(raw.test(), d.testLimit()));
        }
        int[] shape = raw.train().featureShape();
        if (saved != null) {
            return new PreparedData(raw.train(), raw.validation(), saved.apply(raw.test()), saved, classes, features,
                    shape);
        }
        Preprocessing p = fit(d, source, raw.train());
        Splits done = p.apply(raw);
        return new PreparedData(done.train(), done.validation(), done.test(), p, classes, features, shape);
    }

    /** The samples of the classes {@code data.classes} keeps (all when it is empty), relabeled 0, 1, ... . */
    private static ArrayDataset keep(Dataset data, DataConfig d) {
        ArrayDataset a = ArrayDataset.copyOf(data);
        return d.classes().isEmpty() ? a : a.withClasses(d.classes().stream().mapToInt(Integer::intValue).toArray());
    }

    /** Fits {@code data.preprocess} on the training part (after the validation hold-out) only. */
    private static Preprocessing fit(DataConfig d, Source source, Dataset train) {
        try {
            return Preprocessing.fit(d.preprocess(), train);
        } catch (DataException e) {
            // "preprocess[1]: pca: expected ..." becomes "FILE: field 'data.preprocess[1]': pca: expected ..."
            String m = e.getMessage();
            int colon = m.indexOf(": ");
            throw new DataException(source.label() + ": field 'data." + m.substring(0, colon) + "': "
                    + m.substring(colon + 2), e);
        }
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
