package dev.myelin.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** The bytes of an IDX file with the given magic, dimensions and payload. */
    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length); // big-endian by default
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    /** Images {@code n x rows x cols} whose pixel {@code p} of image {@code i} is {@code (i * 7 + p) % 256}. */
    static byte[] images(int n, int rows, int cols) {
        byte[] p = new byte[n * rows * cols];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rows * cols; j++) {
                p[i * rows * cols + j] = (byte) ((i * 7 + j) % 256);
            }
        }
        return idx(IdxReader.IMAGES_MAGIC, new int[] {n, rows, cols}, p);
    }

    /** Labels {@code i % 10}. */
    static byte[] labels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i % 10);
        }
        return idx(IdxReader.LABELS_MAGIC, new int[] {n}, p);
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(bytes)) {
                out.write(raw);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A complete MNIST-style directory: train n images, test m images, 4x3 pixels, gzipped or raw. */
    static Path mnistDir(Path dir, int train, int test, boolean gzip) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String ext = gzip ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + ext), maybeGzip(images(train, 4, 3), gzip));
        write(dir.resolve("train-labels-idx1-ubyte" + ext), maybeGzip(labels(train), gzip));
        write(dir.resolve("t10k-images-idx3-ubyte" + ext), maybeGzip(images(test, 4, 3), gzip));
        write(dir.resolve("t10k-labels-idx1-ubyte" + ext), maybeGzip(labels(test), gzip));
        return dir;
    }

    private static byte[] maybeGzip(byte[] raw, boolean gzip) {
        return gzip ? gzip(raw) : raw;
    }
}
