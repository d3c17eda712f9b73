package dev.myelin.data;

import dev.myelin.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads MNIST and Fashion-MNIST (Xiao, Rasul and Vollgraf, "Fashion-MNIST: a Novel Image Dataset
 * for Benchmarking Machine Learning Algorithms", 2017) from their four IDX files.
 *
 * <p>Where the files are looked for, in order: the {@code dir} option (the CLI's {@code --data}),
 * else the {@code MYELIN_DATA} environment variable, else the default
 * {@code /usr/share/datasets/fashion-mnist} (Debian's {@code dataset-fashion-mnist} package).
 * A given directory {@code D} is tried as {@code D} and then as {@code D/fashion-mnist} (or
 * {@code D/mnist}), so {@code MYELIN_DATA} may point at one data set or at a folder of them.
 * Each file may be gzip-compressed ({@code train-images-idx3-ubyte.gz}) or not
 * ({@code train-images-idx3-ubyte}).
 *
 * <p>Samples: features {@code [1, 28, 28]}, pixels scaled to [0, 1] ({@code byte / 255}); labels
 * 0..9. Standardizing is left to {@link Standardizer}, fitted on the training part.
 */
public final class MnistFormat {
    /** The environment variable that names a data directory. */
    public static final String DATA_ENV = "MYELIN_DATA";
    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The conventional place for MNIST (no Debian package ships it). */
    public static final Path MNIST_DIR = Path.of("/usr/share/datasets/mnist");
    /** The four file names, without {@code .gz}. */
    public static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static final int NUM_CLASSES = 10;

    private record Kind(String title, String subdir, Path defaultDir, String install) {
    }

    private static final Kind FASHION = new Kind("Fashion-MNIST", "fashion-mnist", FASHION_MNIST_DIR,
            "install it with `apt-get install -y dataset-fashion-mnist` or pass --data DIR");
    private static final Kind DIGITS = new Kind("MNIST", "mnist", MNIST_DIR,
            "download the four MNIST IDX files and pass --data DIR (or set MYELIN_DATA)");

    /**
     * What to load.
     *
     * @param dir                the data directory, or null to use {@code MYELIN_DATA} or the default
     * @param trainLimit         keep only the first {@code trainLimit} training samples; 0 keeps all
     * @param validationFraction the share of the (limited) training set held out for validation; 0 for none
     * @param validationCount    or the number of samples held out; 0 for none (give one of the two)
     */
    public record Options(Path dir, int trainLimit, double validationFraction, int validationCount) {
        public Options {
            if (trainLimit < 0) {
                throw new IllegalArgumentException("trainLimit: expected >= 0 (0 = all), received " + trainLimit);
            }
            if (!Splits.isValidationFraction(validationFraction)) {
                throw new IllegalArgumentException("validationFraction: expected " + Splits.VALIDATION_FRACTION
                        + ", received " + validationFraction);
            }
            if (validationCount < 0) {
                throw new IllegalArgumentException("validationCount: expected >= 0, received " + validationCount);
            }
            if (validationFraction > 0 && validationCount > 0) {
                throw new IllegalArgumentException("validation: give a fraction or a count, not both; received fraction "
                        + validationFraction + " and count " + validationCount);
            }
        }

        /** The whole training set, no validation split, directory from {@code MYELIN_DATA} or the default. */
        public static Options defaults() {
            return new Options(null, 0, 0, 0);
        }

        public Options withDir(Path d) {
            return new Options(d, trainLimit, validationFraction, validationCount);
        }

        public Options withTrainLimit(int limit) {
            return new Options(dir, limit, validationFraction, validationCount);
        }

        public Options withValidationFraction(double fraction) {
            return new Options(dir, trainLimit, fraction, 0);
        }

        public Options withValidationCount(int count) {
            return new Options(dir, trainLimit, 0, count);
        }
    }

    private MnistFormat() {
    }

    /** Fashion-MNIST from {@code dir} (or, when null, {@code MYELIN_DATA} or the default), no validation split. */
    public static Splits fashionMnist(Path dir) {
        return fashionMnist(Options.defaults().withDir(dir), null);
    }

    /** Fashion-MNIST; {@code rng} draws the validation split (may be null when there is none). */
    public static Splits fashionMnist(Options options, Rng rng) {
        return load(FASHION, options, rng, System.getenv());
    }

    /** MNIST; {@code rng} draws the validation split (may be null when there is none). */
    public static Splits mnist(Options options, Rng rng) {
        return load(DIGITS, options, rng, System.getenv());
    }

    /** Fashion-MNIST with an explicit environment, for tests of the directory resolution. */
    static Splits fashionMnist(Options options, Rng rng, Map<String, String> env) {
        return load(FASHION, options, rng, env);
    }

    private static Splits load(Kind kind, Options options, Rng rng, Map<String, String> env) {
        Path dir = locate(kind, options.dir(), env);
        ArrayDataset train = read(dir.resolve(FILES.get(0)), dir.resolve(FILES.get(1)), options.trainLimit());
        ArrayDataset test = read(dir.resolve(FILES.get(2)), dir.resolve(FILES.get(3)), 0);
        int held = options.validationCount() > 0 ? options.validationCount()
                : (int) Math.round(options.validationFraction() * train.size());
        if (held == 0) {
            return new Splits(train, null, test);
        }
        if (held >= train.size()) {
            throw new DataException(kind.title() + ": validation: expected fewer than the " + train.size()
                    + " training samples, received " + held + "; lower the validation count or the train limit");
        }
        if (rng == null) {
            throw new IllegalArgumentException(kind.title() + ": a validation split needs an Rng"
                    + " (e.g. rootRng.split(\"validation\")), received null");
        }
        ArrayDataset.Split split = train.randomSplit(held, rng);
        return new Splits(split.train(), split.validation(), test);
    }

    /** The first candidate directory that holds all four files, or an error listing what was tried. */
    private static Path locate(Kind kind, Path explicit, Map<String, String> env) {
        List<Path> candidates = new ArrayList<>();
        String source;
        String fromEnv = env.get(DATA_ENV);
        if (explicit != null) {
            source = "the data directory given (--data)";
            candidates.add(explicit);
            candidates.add(explicit.resolve(kind.subdir()));
        } else if (fromEnv != null && !fromEnv.isBlank()) {
            source = DATA_ENV + "=" + fromEnv;
            candidates.add(Path.of(fromEnv));
            candidates.add(Path.of(fromEnv).resolve(kind.subdir()));
        } else {
            source = "the default; neither --data nor " + DATA_ENV + " was given";
            candidates.add(kind.defaultDir());
        }
        StringBuilder tried = new StringBuilder();
        for (Path dir : candidates) {
            List<String> missing = missingFiles(dir);
            if (missing.isEmpty()) {
                return dir;
            }
            tried.append("\n  ").append(dir).append(": ")
                    .append(Files.isDirectory(dir) ? "missing " + String.join(", ", missing) : "no such directory");
        }
        throw new DataException(kind.title() + " not found (looked in " + source + "):" + tried
                + "\nExpected the files " + String.join(", ", FILES) + " (each may end in .gz). To fix: "
                + kind.install() + ".");
    }

    private static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f + ".gz")) && !Files.isRegularFile(dir.resolve(f))) {
                missing.add(f + "[.gz]");
            }
        }
        return missing;
    }

    /** Reads one images/labels pair (each file found gzipped or raw). */
    static ArrayDataset read(Path imagesBase, Path labelsBase, int limit) {
        IdxReader.Idx images = IdxReader.readImages(existing(imagesBase), limit); // train_limit before reading
        IdxReader.Idx labels = IdxReader.readLabels(existing(labelsBase), limit);
        if (images.count() != labels.count()) {
            throw new DataException(images.file() + " holds " + images.count() + " images but " + labels.file()
                    + " holds " + labels.count() + " labels; expected one label per image: the two files do not belong"
                    + " together");
        }
        int n = limit > 0 ? Math.min(limit, images.count()) : images.count();
        int rows = images.dims()[1];
        int cols = images.dims()[2];
        return new ArrayDataset(pixels(images, n * rows * cols), new int[] {1, rows, cols}, labelValues(labels, n),
                NUM_CLASSES);
    }

    private static Path existing(Path base) {
        Path gz = base.resolveSibling(base.getFileName() + ".gz");
        return Files.isRegularFile(gz) ? gz : base;
    }

    private static float[] pixels(IdxReader.Idx images, int count) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = images.unsigned(i) / 255f;
        }
        return x;
    }

    private static float[] labelValues(IdxReader.Idx labels, int count) {
        float[] y = new float[count];
        for (int i = 0; i < count; i++) {
            int v = labels.unsigned(i);
            if (v >= NUM_CLASSES) {
                throw new DataException(labels.file() + ": label " + i + " is " + v + "; expected a class in 0.."
                        + (NUM_CLASSES - 1));
            }
            y[i] = v;
        }
        return y;
    }
}
