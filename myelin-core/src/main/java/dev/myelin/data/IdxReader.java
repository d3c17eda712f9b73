package dev.myelin.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (LeCun et al., "THE MNIST DATABASE of
 * handwritten digits", http://yann.lecun.com/exdb/mnist/), gzip-compressed or raw.
 *
 * <pre>
 * offset  type           value
 * 0       2 zero bytes
 * 2       1 byte         element type: 0x08 = unsigned byte (the only one supported here)
 * 3       1 byte         number of dimensions d (1 = labels, 3 = images)
 * 4       d x int32 BE   the size of each dimension
 * 4+4d    product(sizes) elements, row-major
 * </pre>
 *
 * So images start with the magic number {@code 0x00000803} and labels with {@code 0x00000801}.
 * Every error names the file and says what the header promised and what was found.
 */
public final class IdxReader {
    /** The element-type byte of unsigned 8-bit data. */
    public static final int UNSIGNED_BYTE = 0x08;
    /** The magic number of an image file: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of a label file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int FIRST_CHUNK = 1 << 20;

    /**
     * The contents of an IDX file: its dimensions as the header declares them and its unsigned
     * bytes, row-major: all of them, or those of the first items only when read with a limit.
     */
    public record Idx(Path file, int[] dims, byte[] data) {
        /** The first dimension: the number of items (images or labels) the file holds. */
        public int count() {
            return dims[0];
        }

        /** Element {@code i} as an unsigned value 0..255. */
        public int unsigned(int i) {
            return data[i] & 0xff;
        }
    }

    private IdxReader() {
    }

    /**
     * A reader keeps each byte and the float it becomes (MNIST's pixels, /255): 5 bytes of heap per
     * value, checked before the payload is read, so that a header (or a gzip bomb) that declares
     * more than the heap holds is refused with a message instead of running out of memory.
     */
    static final int HEAP_BYTES_PER_VALUE = 5;

    /** Reads an image file ({@code [count, rows, cols]}, magic {@code 0x00000803}). */
    public static Idx readImages(Path file) {
        return readImages(file, 0);
    }

    /** Reads the first {@code limit} images of an image file (all when {@code limit} is 0); the rest is not read. */
    public static Idx readImages(Path file, int limit) {
        return read(file, IMAGES_MAGIC, "pixels", limit);
    }

    /** Reads a label file ({@code [count]}, magic {@code 0x00000801}). */
    public static Idx readLabels(Path file) {
        return readLabels(file, 0);
    }

    /** Reads the first {@code limit} labels of a label file (all when {@code limit} is 0). */
    public static Idx readLabels(Path file, int limit) {
        return read(file, LABELS_MAGIC, "labels", limit);
    }

    /** Reads an unsigned-byte IDX file of any number of dimensions. */
    public static Idx read(Path file) {
        return read(file, -1, "data", 0);
    }

    private static Idx read(Path file, int expectedMagic, String what, int limit) {
        try (InputStream in = DataFiles.open(file)) {
            int magic = readHeaderInt(in, file, "the magic number");
            checkMagic(file, magic, expectedMagic);
            int[] dims = new int[magic & 0xff];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = readHeaderInt(in, file, "dimension " + i + " of " + dims.length);
            }
            int total = checkDims(file, dims);
            int items = limit > 0 ? Math.min(limit, dims[0]) : dims[0];
            int wanted = items == dims[0] ? total : items * (total / dims[0]);
            checkHeap(file, dims, wanted, what, items < dims[0]);
            byte[] data = readPayload(in, file, dims, wanted, what, items == dims[0]);
            return new Idx(file, dims, data);
        } catch (IOException e) {
            throw new DataException(file + ": read failed: " + e, e);
        }
    }

    private static int readHeaderInt(InputStream in, Path file, String field) throws IOException {
        byte[] b;
        try {
            b = in.readNBytes(4);
        } catch (EOFException e) {
            b = new byte[0];
        }
        if (b.length < 4) {
            throw new DataException(file + ": truncated header: the file ends while reading " + field
                    + "; expected an IDX file (e.g. train-images-idx3-ubyte.gz): download or install it again");
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static void checkMagic(Path file, int magic, int expected) {
        String found = String.format("0x%08x", magic);
        if ((magic >>> 16) != 0) {
            throw new DataException(file + ": not an IDX file: magic number " + found + ", expected "
                    + (expected < 0 ? "0x000008NN" : String.format("0x%08x", expected))
                    + " (two zero bytes, type 0x08, number of dimensions)");
        }
        int type = (magic >>> 8) & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new DataException(file + ": unsupported IDX element type " + String.format("0x%02x", type)
                    + " (magic " + found + "); expected 0x08 (unsigned byte), the type of MNIST-style files");
        }
        if (expected >= 0 && magic != expected) {
            String hint = magic == IMAGES_MAGIC ? " (this is an image file)"
                    : magic == LABELS_MAGIC ? " (this is a label file)" : "";
            throw new DataException(file + ": wrong IDX magic number: expected " + String.format("0x%08x", expected)
                    + " (" + (expected & 0xff) + " dimensions), found " + found + " (" + (magic & 0xff)
                    + " dimensions)" + hint + "; check that the images and labels files are not swapped");
        }
        if ((magic & 0xff) == 0) {
            throw new DataException(file + ": IDX header declares 0 dimensions (magic " + found
                    + "); expected at least 1");
        }
    }

    private static int checkDims(Path file, int[] dims) {
        long total = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new DataException(file + ": bad IDX dimension " + i + ": expected a size >= 1, found "
                        + Integer.toUnsignedString(dims[i]) + "; the header is corrupt");
            }
            total *= dims[i];
            if (total > Integer.MAX_VALUE - 16) {
                throw new DataException(file + ": IDX header says " + shape(dims) + ", more than "
                        + (Integer.MAX_VALUE - 16) + " bytes, which one Java array cannot hold; the header is corrupt"
                        + " or the file is too large for this reader");
            }
        }
        return (int) total;
    }

    private static void checkHeap(Path file, int[] dims, int values, String what, boolean limited) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long need = (long) values * HEAP_BYTES_PER_VALUE;
        if (need > free) {
            throw new DataException(file + ": header says " + shape(dims) + (limited ? ", of which " + values
                    + " bytes are to be read," : " = " + values + " bytes of " + what) + " and those need about "
                    + (need >> 20) + " MiB of heap as bytes and floats, more than the " + (free >> 20) + " MiB free of "
                    + (rt.maxMemory() >> 20) + " MiB; read fewer samples (data.train_limit) or give Java more heap"
                    + " (MYELIN_JAVA_OPTS=-Xmx" + ((need >> 30) + 2) + "g). A file much smaller than"
                    + " that is a corrupt header or a gzip bomb");
        }
    }

    private static byte[] readPayload(InputStream in, Path file, int[] dims, int total, String what, boolean whole)
            throws IOException {
        byte[] buf = new byte[Math.min(total, FIRST_CHUNK)]; // grows as bytes arrive: a corrupt header allocates little
        int n = 0;
        String early = "";
        try {
            while (n < total) {
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(total, 2L * buf.length));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (EOFException e) {
            early = " (the gzip stream ends early)";
        } catch (java.util.zip.ZipException e) {
            throw new DataException(file + ": corrupt gzip data after " + n + " of " + total + " bytes of " + what
                    + " (" + e.getMessage() + "); download or install the file again", e);
        }
        String header = "header says " + shape(dims) + (whole ? " = " + total + " bytes of " + what
                : ", of which the first " + total + " bytes of " + what + " were to be read");
        if (n < total) {
            throw new DataException(file + ": truncated: " + header + ", found " + n + early
                    + "; download or install the file again");
        }
        if (!whole) {
            return buf; // the first items only: the rest is not read
        }
        long extra;
        try {
            extra = in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (EOFException e) {
            throw new DataException(file + ": truncated gzip stream: all " + total + " bytes of " + what
                    + " are there but the gzip trailer is missing; download or install the file again", e);
        }
        if (extra > 0) {
            throw new DataException(file + ": " + extra + " unexpected bytes after the payload: " + header
                    + "; the header's dimensions do not match the file");
        }
        return buf;
    }

    private static String shape(int[] dims) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            s.append(i == 0 ? "" : "x").append(Integer.toUnsignedString(dims[i]));
        }
        return s.toString();
    }
}
