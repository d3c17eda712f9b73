package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Cifar10} on small batch files the test writes: layout, limits, and every kind of bad file. */
class Cifar10Test {
    @TempDir
    Path dir;

    /** A record whose label is {@code label} and whose pixels encode (record id, channel, row, col). */
    private static byte[] record(int label, int id) {
        byte[] r = new byte[Cifar10.RECORD];
        r[0] = (byte) label;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 1024; p++) {
                r[1 + c * 1024 + p] = (byte) ((id * 7 + c * 50 + p) % 256);
            }
        }
        return r;
    }

    private static byte[] batch(int firstId, int... labels) {
        byte[] b = new byte[labels.length * Cifar10.RECORD];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(record(labels[i], firstId + i), 0, b, i * Cifar10.RECORD, Cifar10.RECORD);
        }
        return b;
    }

    /** Five training batches of two records (ids 0..9, labels 0..9) and a test batch of three. */
    private Path writeAll(Path d) throws IOException {
        Files.createDirectories(d);
        for (int f = 0; f < 5; f++) {
            Files.write(d.resolve(Cifar10.TRAIN_FILES.get(f)), batch(2 * f, 2 * f, 2 * f + 1));
        }
        Files.write(d.resolve(Cifar10.TEST_FILE), batch(100, 3, 1, 4));
        return d;
    }

    @Test
    void readsTheBatchesInOrderAsChwImagesInZeroOne() throws IOException {
        writeAll(dir);
        Cifar10.Data data = Cifar10.load(dir, 0, Map.of());
        assertEquals(10, data.train().size());
        assertEquals(3, data.test().size());
        assertArrayEquals(new int[] {3, 32, 32}, data.train().featureShape());
        assertEquals(10, data.train().numClasses());
        for (int i = 0; i < 10; i++) {
            assertEquals(i, data.train().label(i), "labels in file order");
        }
        assertEquals(4f, data.test().label(2));
        float[] x = new float[3 * 32 * 32];
        data.train().features(7, x, 0);
        // channel 1 (green), row 2, column 5 of record id 7
        int p = 2 * 32 + 5;
        assertEquals(((7 * 7 + 50 + p) % 256) / 255f, x[1024 + p]);
        assertEquals(((7 * 7 + 100 + 1023) % 256) / 255f, x[2 * 1024 + 1023]);
        assertEquals(Cifar10.CLASSES, data.classNames());
    }

    @Test
    void findsTheArchiveFolderGzipAndClassNames() throws IOException {
        Path inner = writeAll(dir.resolve(Cifar10.ARCHIVE_DIR));
        Path f = inner.resolve(Cifar10.TEST_FILE);
        byte[] raw = Files.readAllBytes(f);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(raw);
        }
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        Files.writeString(inner.resolve("batches.meta.txt"), String.join("\n", names) + "\n\n");
        Cifar10.Data data = Cifar10.load(null, 0, Map.of(MnistFormat.DATA_ENV, dir.toString()));
        assertEquals(3, data.test().size());
        assertEquals(names, data.classNames());
    }

    @Test
    void trainLimitKeepsTheFirstImages() throws IOException {
        writeAll(dir);
        Cifar10.Data data = Cifar10.load(dir, 3, Map.of());
        assertEquals(3, data.train().size());
        assertEquals(2f, data.train().label(2));
    }

    @Test
    void aFileLargerThanTheHeapHoldsIsRefusedAsItIsReadAndALimitReadsOnlyWhatItAsks() throws IOException {
        Path bomb = dir.resolve("bomb.bin");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb))) {
            for (int i = 0; i < 50; i++) {
                out.write(record(i % 10, i));
            }
        }
        long room = 20L * Cifar10.RECORD * 5; // the heap holds 20 records as bytes and floats
        DataException e = assertThrows(DataException.class, () -> Cifar10.read(List.of(bomb), 0, room));
        assertTrue(e.getMessage().contains("bomb.bin: decodes to more than 20 records")
                && e.getMessage().contains("gzip bomb") && e.getMessage().contains("data.train_limit"), e.getMessage());
        assertEquals(7, Cifar10.read(List.of(bomb), 7, room).size(), "train_limit reads only the first records");
        assertEquals(50, Cifar10.read(List.of(bomb), 0, 60L * Cifar10.RECORD * 5).size());
    }

    @Test
    void aTruncatedFileSaysHowManyBytesAreOver() throws IOException {
        writeAll(dir);
        Path f = dir.resolve("data_batch_3.bin");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 100));
        String m = assertThrows(DataException.class, () -> Cifar10.load(dir, 0, Map.of())).getMessage();
        assertTrue(m.contains("data_batch_3.bin") && m.contains("whole records of 3073 bytes")
                && m.contains("found 6046 bytes = 1 records and 2973 bytes over") && m.contains("download"), m);
    }

    @Test
    void aBadLabelNamesTheRecord() throws IOException {
        writeAll(dir);
        Files.write(dir.resolve(Cifar10.TEST_FILE), batch(0, 1, 2, 37));
        String m = assertThrows(DataException.class, () -> Cifar10.load(dir, 0, Map.of())).getMessage();
        assertTrue(m.contains("test_batch.bin: record 2 (byte offset 6146) has label 37; expected a class in 0..9"), m);
    }

    @Test
    void missingFilesAreListedWithWhereToGetThem() throws IOException {
        writeAll(dir);
        Files.delete(dir.resolve("data_batch_4.bin"));
        String m = assertThrows(DataException.class, () -> Cifar10.load(dir, 0, Map.of())).getMessage();
        assertTrue(m.contains("CIFAR-10 not found") && m.contains(dir + ": missing data_batch_4.bin")
                && m.contains(dir.resolve(Cifar10.ARCHIVE_DIR) + ": no such directory")
                && m.contains("cifar-10-binary.tar.gz"), m);
        String empty = assertThrows(DataException.class, () -> Cifar10.load(dir.resolve("nope"), 0, Map.of())).getMessage();
        assertTrue(empty.contains("the data directory given"), empty);
    }

    @Test
    void aMetaFileWithTheWrongNumberOfNamesIsAnError() throws IOException {
        writeAll(dir);
        Files.writeString(dir.resolve("batches.meta.txt"), "cat\ndog\n");
        String m = assertThrows(DataException.class, () -> Cifar10.load(dir, 0, Map.of())).getMessage();
        assertTrue(m.contains("batches.meta.txt: expected 10 class names (one per line), found 2"), m);
    }
}
