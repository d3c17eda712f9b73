package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRawAndGzipTheSame() {
        byte[] raw = IdxFiles.images(5, 4, 3);
        Path plain = IdxFiles.write(dir.resolve("images-raw"), raw);
        // a gzip file without .gz in its name: detected by its magic bytes
        Path gz = IdxFiles.write(dir.resolve("images-no-suffix"), IdxFiles.gzip(raw));
        IdxReader.Idx a = IdxReader.readImages(plain);
        IdxReader.Idx b = IdxReader.readImages(gz);
        assertArrayEquals(new int[] {5, 4, 3}, a.dims());
        assertArrayEquals(a.data(), b.data());
        assertEquals((2 * 7 + 5) % 256, a.unsigned(2 * 12 + 5));
    }

    @Test
    void readsLabels() {
        Path f = IdxFiles.write(dir.resolve("labels.gz"), IdxFiles.gzip(IdxFiles.labels(23)));
        IdxReader.Idx l = IdxReader.readLabels(f);
        assertEquals(23, l.count());
        assertEquals(2, l.unsigned(12));
    }

    @Test
    void unsignedBytesAbove127() {
        byte[] payload = {(byte) 255, (byte) 128, 0};
        Path f = IdxFiles.write(dir.resolve("u"), IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {3}, payload));
        IdxReader.Idx l = IdxReader.readLabels(f);
        assertEquals(255, l.unsigned(0));
        assertEquals(128, l.unsigned(1));
    }

    @Test
    void corruptMagicIsNamed() {
        byte[] bytes = IdxFiles.images(2, 2, 2);
        bytes[0] = 0x12;
        Path f = IdxFiles.write(dir.resolve("bad-magic-idx3-ubyte"), bytes);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(f));
        assertContains(e, "bad-magic-idx3-ubyte", "not an IDX file", "0x12000803", "0x00000803");
    }

    @Test
    void swappedFilesAreExplained() {
        Path f = IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(4)));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(f));
        assertContains(e, "train-labels-idx1-ubyte.gz", "expected 0x00000803", "found 0x00000801", "swapped");
    }

    @Test
    void unsupportedElementType() {
        Path f = IdxFiles.write(dir.resolve("floats"), IdxFiles.idx(0x00000D01, new int[] {1}, new byte[4]));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(f));
        assertContains(e, "floats", "element type 0x0d", "unsigned byte");
    }

    @Test
    void truncatedPayloadSaysWhatTheHeaderPromised() {
        byte[] full = IdxFiles.images(3, 4, 5);
        byte[] cut = Arrays.copyOf(full, 16 + 17);
        Path raw = IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte"), cut);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(raw));
        assertContains(e, "t10k-images-idx3-ubyte", "truncated", "header says 3x4x5 = 60 bytes of pixels", "found 17");

        byte[] gz = IdxFiles.gzip(full);
        Path gzCut = IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length - 20));
        DataException g = assertThrows(DataException.class, () -> IdxReader.readImages(gzCut));
        assertContains(g, "t10k-images-idx3-ubyte.gz", "truncated", "header says 3x4x5 = 60 bytes");
    }

    @Test
    void gzipWithoutTrailer() {
        byte[] gz = IdxFiles.gzip(IdxFiles.labels(5));
        Path f = IdxFiles.write(dir.resolve("labels.gz"), Arrays.copyOf(gz, gz.length - 8)); // drop CRC32 + ISIZE
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(f));
        assertContains(e, "labels.gz", "truncated gzip stream", "5 bytes of labels");
    }

    @Test
    void truncatedHeader() {
        Path f = IdxFiles.write(dir.resolve("short"), new byte[] {0, 0, 8, 3, 0, 0});
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(f));
        assertContains(e, "short", "truncated header", "dimension 0 of 3");
    }

    @Test
    void extraBytesMeanWrongDimensions() {
        byte[] payload = new byte[10];
        Path f = IdxFiles.write(dir.resolve("long"), IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {2, 2, 2}, payload));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(f));
        assertContains(e, "long", "2 unexpected bytes", "2x2x2 = 8 bytes");
    }

    @Test
    void impossibleDimensions() {
        Path zero = IdxFiles.write(dir.resolve("zero"), IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {2, 0, 2}, new byte[0]));
        assertContains(assertThrows(DataException.class, () -> IdxReader.readImages(zero)),
                "zero", "dimension 1", "found 0");
        Path huge = IdxFiles.write(dir.resolve("huge"),
                IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {60000, 28000, 28}, new byte[0]));
        assertContains(assertThrows(DataException.class, () -> IdxReader.readImages(huge)),
                "huge", "60000x28000x28", "corrupt");
    }

    @Test
    void aLimitReadsTheFirstItemsOnly() {
        byte[] raw = IdxFiles.images(10, 4, 4);
        Path f = IdxFiles.write(dir.resolve("ten.gz"), IdxFiles.gzip(raw));
        IdxReader.Idx all = IdxReader.readImages(f);
        IdxReader.Idx first = IdxReader.readImages(f, 3);
        assertEquals(10, first.count()); // the file's count, as declared
        assertArrayEquals(java.util.Arrays.copyOf(all.data(), 3 * 16), first.data());
        // a file whose header promises 1000 images but holds 5: the first 3 are there, all 1000 are not
        byte[] cut = IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {1000, 4, 4}, java.util.Arrays.copyOf(all.data(), 5 * 16));
        Path short5 = IdxFiles.write(dir.resolve("short.gz"), IdxFiles.gzip(cut));
        assertEquals(3 * 16, IdxReader.readImages(short5, 3).data().length);
        assertContains(assertThrows(DataException.class, () -> IdxReader.readImages(short5)), "truncated", "found 80");
    }

    @Test
    void aHeaderDeclaringMoreThanTheHeapIsRefusedBeforeReading() {
        int[] dims = {2_147_483, 1000}; // 2.1 GB of bytes, 10.7 GB as bytes and floats: a gzip bomb's header
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().maxMemory()
                < (long) dims[0] * dims[1] * IdxReader.HEAP_BYTES_PER_VALUE);
        Path bomb = IdxFiles.write(dir.resolve("bomb.gz"),
                IdxFiles.gzip(IdxFiles.idx(0x00000802, dims, new byte[0])));
        assertContains(assertThrows(DataException.class, () -> IdxReader.read(bomb)),
                "bomb.gz", "2147483x1000", "MiB of heap", "data.train_limit", "-Xmx", "gzip bomb");
        // with a limit, only the first items count: this one is merely truncated
        Path images = IdxFiles.write(dir.resolve("bomb-images.gz"),
                IdxFiles.gzip(IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {2_000_000, 28, 28}, new byte[0])));
        assertContains(assertThrows(DataException.class, () -> IdxReader.readImages(images, 2)),
                "truncated", "first 1568 bytes");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope-idx1-ubyte.gz");
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(f));
        assertContains(e, "nope-idx1-ubyte.gz", "not found");
    }

    @Test
    void corruptGzipHeader() {
        Path f = IdxFiles.write(dir.resolve("broken.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2});
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(f));
        assertContains(e, "broken.gz", "gzip");
    }

    static void assertContains(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "expected the message to contain \"" + p + "\": " + e.getMessage());
        }
    }
}
