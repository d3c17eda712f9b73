package dev.myelin.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads CIFAR-10 in its binary version (Krizhevsky, "Learning Multiple Layers of Features from
 * Tiny Images", 2009; https://www.cs.toronto.edu/~kriz/cifar.html, {@code cifar-10-binary.tar.gz}):
 * <pre>
 * data_batch_1.bin ... data_batch_5.bin   training images (10,000 each)
 * test_batch.bin                          test images (10,000)
 * batches.meta.txt                        the class names, one per line (optional)
 *
 * each file: records of 3073 bytes, no header
 *   byte 0          the label, 0..9
 *   bytes 1..3072   the pixels, channel by channel (1024 red, 1024 green, 1024 blue), each
 *                   channel row-major 32 x 32
 * </pre>
 * Samples: features {@code [3, 32, 32]} (CHW, as a convolution takes them), pixels scaled to
 * [0, 1] ({@code byte / 255}); labels 0..9. Files may be gzip-compressed. A directory {@code D}
 * is tried as {@code D} and as {@code D/cifar-10-batches-bin} (the folder the archive unpacks
 * to); without one, {@code MYELIN_DATA} and then {@value #DEFAULT_DIR} are tried the same way.
 * Memory: the 50,000 training images take 614 MB as floats.
 */
public final class Cifar10 {
    /** Where Myelin looks when no directory is given (no Debian package ships CIFAR-10). */
    public static final String DEFAULT_DIR = "/usr/share/datasets/cifar-10";
    /** The folder {@code cifar-10-binary.tar.gz} unpacks to. */
    public static final String ARCHIVE_DIR = "cifar-10-batches-bin";
    /** The training files, in order, and the test file. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    /** Bytes per record: one label and 3 x 32 x 32 pixels. */
    public static final int RECORD = 1 + 3 * 32 * 32;
    /** Heap bytes per pixel while reading: the byte and the float it becomes. */
    private static final int HEAP_BYTES_PER_PIXEL = 5;
    /** The most records one Java array of bytes holds. */
    private static final long ARRAY_RECORDS = (Integer.MAX_VALUE - 16) / RECORD;
    /** The class names of the data set's documentation, used when batches.meta.txt is absent. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private static final int NUM_CLASSES = 10;
    private static final int[] SHAPE = {3, 32, 32};

    /** The training and test sets and the class names. */
    public record Data(ArrayDataset train, ArrayDataset test, List<String> classNames) {
    }

    private Cifar10() {
    }

    /**
     * Loads CIFAR-10 from {@code dir} (or, when null, {@code MYELIN_DATA} or the default),
     * keeping the first {@code trainLimit} training images (0 keeps all).
     */
    public static Data load(Path dir, int trainLimit) {
        return load(dir, trainLimit, System.getenv());
    }

    static Data load(Path dir, int trainLimit, Map<String, String> env) {
        if (trainLimit < 0) {
            throw new IllegalArgumentException("trainLimit: expected >= 0 (0 = all), received " + trainLimit);
        }
        Path d = locate(dir, env);
        List<Path> trainFiles = new ArrayList<>();
        for (String f : TRAIN_FILES) {
            trainFiles.add(d.resolve(f));
        }
        ArrayDataset train = read(trainFiles, trainLimit);
        ArrayDataset test = read(List.of(d.resolve(TEST_FILE)), 0);
        return new Data(train, test, classNames(d.resolve("batches.meta.txt")));
    }

    /** The first candidate directory holding every file, or an error listing what was tried and missing. */
    private static Path locate(Path explicit, Map<String, String> env) {
        String fromEnv = env.get(MnistFormat.DATA_ENV);
        Path base;
        String source;
        if (explicit != null) {
            base = explicit;
            source = "the data directory given (--data or data.dir)";
        } else if (fromEnv != null && !fromEnv.isBlank()) {
            base = Path.of(fromEnv);
            source = MnistFormat.DATA_ENV + "=" + fromEnv;
        } else {
            base = Path.of(DEFAULT_DIR);
            source = "the default; neither --data, data.dir nor " + MnistFormat.DATA_ENV + " was given";
        }
        StringBuilder tried = new StringBuilder();
        for (Path dir : List.of(base, base.resolve(ARCHIVE_DIR))) {
            List<String> missing = new ArrayList<>();
            for (String f : allFiles()) {
                if (!Files.isRegularFile(dir.resolve(f))) {
                    missing.add(f);
                }
            }
            if (missing.isEmpty()) {
                return dir;
            }
            tried.append("\n  ").append(dir).append(": ")
                    .append(Files.isDirectory(dir) ? "missing " + String.join(", ", missing) : "no such directory");
        }
        throw new DataException("CIFAR-10 not found (looked in " + source + "):" + tried
                + "\nExpected the binary version's files " + String.join(", ", allFiles()) + ". To fix: download"
                + " cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, unpack it and pass"
                + " --data DIR (or set data.dir or " + MnistFormat.DATA_ENV + ").");
    }

    private static List<String> allFiles() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return all;
    }

    /** Reads the records of {@code files} in order, stopping after {@code limit} records (0: all). */
    static ArrayDataset read(List<Path> files, int limit) {
        Runtime rt = Runtime.getRuntime();
        return read(files, limit, rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()));
    }

    /**
     * As {@link #read(List, int)} within {@code freeHeap} bytes: each record read is held as bytes,
     * then as floats (5 bytes per pixel), so a file that decodes to more records than that (a gzip
     * bomb, a wrong file) is refused as it is read, before the heap runs out. Only the records
     * {@code limit} asks for are read.
     */
    static ArrayDataset read(List<Path> files, int limit, long freeHeap) {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        long heapRecords = freeHeap / (RECORD * (long) HEAP_BYTES_PER_PIXEL);
        for (Path f : files) {
            long wanted = limit > 0 ? limit - records : Long.MAX_VALUE;
            if (wanted <= 0) {
                break;
            }
            byte[] b = readRecords(f, wanted, heapRecords - records, freeHeap);
            contents.add(b);
            records += b.length / RECORD;
        }
        int n = (int) records;
        float[] x = new float[Math.multiplyExact(n, RECORD - 1)];
        float[] y = new float[n];
        int i = 0;
        for (int fi = 0; fi < contents.size(); fi++) {
            byte[] b = contents.get(fi);
            for (int r = 0; r < b.length / RECORD; r++, i++) {
                y[i] = label(files.get(fi), b, r);
                for (int p = 0, s = r * RECORD + 1, o = i * (RECORD - 1); p < RECORD - 1; p++) {
                    x[o + p] = (b[s + p] & 0xff) / 255f;
                }
            }
        }
        return new ArrayDataset(x, SHAPE, y, NUM_CLASSES);
    }

    /**
     * The first {@code wanted} records of {@code file} (all when it has fewer), refusing a file
     * that decodes to more than {@code room} records (what the heap holds) or to a partial record.
     */
    private static byte[] readRecords(Path file, long wanted, long room, long freeHeap) {
        long cap = Math.min(wanted, Math.min(Math.max(room, 0), ARRAY_RECORDS));
        byte[] b;
        boolean more;
        try (InputStream in = DataFiles.open(file)) {
            b = in.readNBytes((int) (cap * RECORD)); // grows as bytes arrive
            more = cap < wanted && b.length == cap * RECORD && in.read() >= 0;
        } catch (IOException e) {
            throw new DataException(file + ": read failed (" + e.getMessage() + "); the file is corrupt or truncated:"
                    + " download it again", e);
        }
        if (more) {
            throw new DataException(file + ": decodes to more than " + cap + " records (" + (cap * RECORD >> 20)
                    + " MiB), more than " + (cap == ARRAY_RECORDS ? "one Java array holds" : "the heap holds as bytes and"
                    + " floats (" + (freeHeap >> 20) + " MiB free)") + "; a CIFAR-10 batch is 10,000 records (29 MiB)."
                    + " The file is not a CIFAR-10 batch (or a gzip bomb); read fewer images with data.train_limit, or"
                    + " give Java more heap (MYELIN_JAVA_OPTS=-Xmx16g)");
        }
        if (b.length == 0 || (b.length < cap * RECORD && b.length % RECORD != 0)) {
            throw new DataException(file + ": expected whole records of " + RECORD + " bytes (1 label byte + 3072 pixel"
                    + " bytes), found " + b.length + " bytes = " + b.length / RECORD + " records and " + b.length % RECORD
                    + " bytes over; the file is truncated or not a CIFAR-10 binary batch (the Python version's"
                    + " pickled files are not supported): download cifar-10-binary.tar.gz again");
        }
        return b;
    }

    private static float label(Path file, byte[] b, int record) {
        int v = b[record * RECORD] & 0xff;
        if (v >= NUM_CLASSES) {
            throw new DataException(file + ": record " + record + " (byte offset " + (long) record * RECORD
                    + ") has label " + v + "; expected a class in 0.." + (NUM_CLASSES - 1)
                    + ": the file is corrupt or not a CIFAR-10 batch (CIFAR-100's records have two label bytes)");
        }
        return v;
    }

    /** The lines of batches.meta.txt (blank lines dropped), or {@link #CLASSES} when there is no such file. */
    private static List<String> classNames(Path meta) {
        if (!Files.isRegularFile(meta)) {
            return CLASSES;
        }
        try {
            List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (names.size() != NUM_CLASSES) {
                throw new DataException(meta + ": expected " + NUM_CLASSES + " class names (one per line), found "
                        + names.size() + "; fix or delete the file (the default names are then used)");
            }
            return names;
        } catch (IOException e) {
            throw new DataException(meta + ": cannot read the class names: " + e.getMessage(), e);
        }
    }
}
