package dev.myelin.io;

import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Reads and writes named float32 tensors in the safetensors format, the checkpoint format that
 * PyTorch tools (the {@code safetensors} package, Hugging Face) read and write.
 *
 * <pre>
 * file   = u64 little-endian N | N bytes of UTF-8 JSON header | data
 * header = {"__metadata__": {str: str, ...},                      (optional)
 *           "name": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...}
 * data   = each tensor's elements, row-major, little-endian; offsets are relative to the data
 * </pre>
 *
 * <p>Myelin writes F32, and I64 for the keys a caller names (batch norm's
 * {@code num_batches_tracked}, which PyTorch keeps as int64); it pads the header with spaces to a multiple of 8 bytes (so the data
 * are aligned, as the reference implementation does) and lays the data out in the map's
 * iteration order. A write is atomic: the bytes go to a temporary file in the same directory,
 * are forced to disk, and the temporary file is then renamed over the target, so a crash leaves
 * either the old file or the new one, never a torn one.
 *
 * <p>Reading validates what the reference implementation validates: the header length, the
 * JSON, each entry's dtype/shape/offsets, and that the entries tile the data exactly (no gaps,
 * no overlaps, no trailing bytes). Tensors load as F32: by default ({@link NonF32#CONVERT}) F16
 * and BF16 convert exactly, F64 rounds to the nearest float32 (as PyTorch's {@code .float()}),
 * and the integer dtypes (BOOL, U8, I8, I16, U16, I32, U32, I64) convert when every value is
 * exact in float32 (|v| &le; 2<sup>24</sup>; {@code num_batches_tracked} is a step count), else
 * the entry is an error naming it. {@link Contents#converted()} lists each converted entry's
 * dtype. With {@link NonF32#FAIL} any other dtype than F32 is an error, and with
 * {@link NonF32#SKIP} such entries are left out and listed in {@link Contents#skipped()}.
 *
 * <p>Every failure is a {@link CheckpointException} (an {@link IOException}) naming the file.
 */
public final class SafeTensors {
    /** Header lengths above this are rejected (the reference implementation's limit). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 16;
    /** Bytes per element of the dtypes the format defines; only F32 loads. */
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1),
            Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8));

    private SafeTensors() {
    }

    /** Largest magnitude up to which every integer is exact in float32. */
    private static final long EXACT_INTEGERS = 1L << 24;

    /** What {@link #read(Path, NonF32)} does with an entry whose dtype is not F32. */
    public enum NonF32 {
        /** Convert F16, BF16, F64 and exactly representable integers to F32 (the default). */
        CONVERT,
        /** Throw a {@link CheckpointException} naming the entry and its dtype. */
        FAIL,
        /** Leave the entry out of {@link Contents#tensors()} and list it in {@link Contents#skipped()}. */
        SKIP
    }

    /**
     * The contents of a safetensors file.
     *
     * @param tensors  the F32 tensors by name, in data (offset) order; unmodifiable
     * @param metadata the {@code __metadata__} map, empty when absent; unmodifiable
     * @param skipped  name to dtype of the entries left out under {@link NonF32#SKIP}, in data
     *                 order; unmodifiable and empty otherwise
     * @param converted name to dtype of the entries converted to F32 under {@link NonF32#CONVERT}
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata,
                           Map<String, String> skipped, Map<String, String> converted) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
            converted = Collections.unmodifiableMap(new LinkedHashMap<>(converted));
        }
    }

    /** One header entry, validated. */
    private record Entry(String key, String dtype, int[] shape, long numel, long begin, long end) {
    }

    // ------------------------------------------------------------------------------- writing

    /**
     * Writes {@code tensors} (in iteration order; pass a {@link LinkedHashMap} to choose it) and
     * {@code metadata} to {@code file} atomically, replacing any existing file.
     *
     * @param metadata string pairs stored under {@code __metadata__}; may be empty or null
     * @throws IllegalArgumentException when a name is null or {@code __metadata__}, or a tensor
     *                                  or a metadata key or value is null (nothing is written)
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        write(file, tensors, metadata, Set.of(), UnaryOperator.identity());
    }

    /**
     * {@link #write(Path, Map, Map)} with the tensors named in {@code int64} written as I64, as
     * PyTorch stores integer buffers ({@code Module.integerStateKeys()}).
     *
     * @throws IllegalArgumentException when such a tensor holds a value that is not an integer
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata,
                             Set<String> int64) throws IOException {
        write(file, tensors, metadata, int64, UnaryOperator.identity());
    }

    /** {@link #write(Path, Map, Map)} with no metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * The write with a hook around the temporary file's channel: tests wrap it in one that
     * fails midway, as a full disk would.
     */
    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata,
                      Set<String> int64, UnaryOperator<WritableByteChannel> wrap) throws IOException {
        byte[] header = header(tensors, metadata == null ? Map.of() : metadata, int64);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = createTemp(dir, target.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                WritableByteChannel out = wrap.apply(ch);
                ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buf.putLong(header.length).flip();
                writeFully(out, buf);
                writeFully(out, ByteBuffer.wrap(header));
                for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
                    if (int64.contains(t.getKey())) {
                        writeLongs(out, t.getKey(), t.getValue().data(), buf);
                    } else {
                        writeFloats(out, t.getValue().data(), buf);
                    }
                }
                ch.force(true); // the bytes are on disk before the rename makes them visible
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        AtomicFolder.syncDirectory(dir);
    }

    /** The JSON header, UTF-8, padded with spaces to a multiple of 8 bytes. */
    static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata, Set<String> int64) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(Json.quote(METADATA)).append(":{");
            String sep = "";
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (m.getKey() == null || m.getValue() == null) {
                    throw new IllegalArgumentException("metadata: expected non-null keys and values, got "
                            + m.getKey() + "=" + m.getValue());
                }
                json.append(sep).append(Json.quote(m.getKey())).append(':').append(Json.quote(m.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String key = e.getKey();
            if (key == null || key.equals(METADATA) || e.getValue() == null) {
                throw new IllegalArgumentException("tensors: expected non-null names other than "
                        + METADATA + " and non-null tensors, got " + key + "=" + e.getValue());
            }
            boolean isLong = int64.contains(key);
            long bytes = (isLong ? 8L : 4L) * e.getValue().numel();
            json.append(json.length() > 1 ? "," : "").append(Json.quote(key))
                    .append(isLong ? ":{\"dtype\":\"I64\",\"shape\":[" : ":{\"dtype\":\"F32\",\"shape\":[");
            int[] shape = e.getValue().shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i > 0 ? "," : "").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (utf8.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(utf8, padded);
        Arrays.fill(out, utf8.length, padded, (byte) ' ');
        return out;
    }

    /**
     * Deletes the temporary files that {@link #write} leaves in {@code dir} when the process is
     * killed while writing ({@code .NAME.<random>.tmp}); returns how many there were.
     */
    public static int removeStaleTemporaries(Path dir) throws IOException {
        int n = 0;
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path f : files) {
                if (Files.isRegularFile(f) && Files.deleteIfExists(f)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        // Not Files.createTempFile: that makes the file owner-only (0600), and the rename would
        // give the checkpoint those permissions instead of the umask's.
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path temp = dir.resolve("." + name + "." + suffix + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    private static void writeFloats(WritableByteChannel out, float[] data, ByteBuffer buf) throws IOException {
        int perChunk = buf.capacity() / Float.BYTES;
        for (int off = 0; off < data.length; off += perChunk) {
            int n = Math.min(perChunk, data.length - off);
            buf.clear();
            buf.asFloatBuffer().put(data, off, n); // the view shares buf's little-endian order
            buf.limit(n * Float.BYTES);
            writeFully(out, buf);
        }
    }

    private static void writeLongs(WritableByteChannel out, String key, float[] data, ByteBuffer buf)
            throws IOException {
        buf.clear();
        for (float v : data) {
            if (v != Math.rint(v) || Math.abs(v) > EXACT_INTEGERS) {
                throw new IllegalArgumentException(key + ": written as I64, so every value must be an integer of"
                        + " magnitude at most 2^24, found " + v);
            }
            if (buf.remaining() < Long.BYTES) {
                buf.flip();
                writeFully(out, buf);
                buf.clear();
            }
            buf.putLong((long) v);
        }
        buf.flip();
        writeFully(out, buf);
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    // ------------------------------------------------------------------------------- reading

    /** Reads {@code file}, converting other dtypes to F32 where that is exact or safe ({@link NonF32#CONVERT}). */
    public static Contents read(Path file) throws IOException {
        return read(file, NonF32.CONVERT);
    }

    /** Reads {@code file}, treating entries whose dtype is not F32 as {@code nonF32} says. */
    public static Contents read(Path file, NonF32 nonF32) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long headerLength = headerLength(file, ch, size);
            Map<String, Object> header = parseHeader(file, readBytes(file, ch, 8, (int) headerLength));
            Map<String, String> metadata = Map.of();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, Object> e : header.entrySet()) {
                if (e.getKey().equals(METADATA)) {
                    metadata = metadata(file, e.getValue());
                } else {
                    entries.add(entry(file, e.getKey(), e.getValue(), nonF32));
                }
            }
            // Empty tensors (begin == end) sort before the tensor starting where they sit.
            entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long dataStart = 8 + headerLength;
            checkLayout(file, entries, size - dataStart);

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> skipped = new LinkedHashMap<>();
            Map<String, String> converted = new LinkedHashMap<>();
            for (Entry e : entries) {
                if (e.dtype().equals("F32")) {
                    tensors.put(e.key(), Tensor.of(readFloats(file, ch, dataStart + e.begin(), (int) e.numel()), e.shape()));
                } else if (nonF32 == NonF32.SKIP) {
                    skipped.put(e.key(), e.dtype());
                } else {
                    byte[] raw = readBytes(file, ch, dataStart + e.begin(), (int) (e.end() - e.begin()));
                    tensors.put(e.key(), Tensor.of(DTypes.toFloats(file, e.key(), e.dtype(), raw), e.shape()));
                    converted.put(e.key(), e.dtype());
                }
            }
            return new Contents(tensors, metadata, skipped, converted);
        }
    }

    private static long headerLength(Path file, FileChannel ch, long size) throws IOException {
        if (size < 8) {
            throw new CheckpointException(file, "truncated: a safetensors file starts with an 8-byte header "
                    + "length, but the file has " + size + " bytes");
        }
        long n = ByteBuffer.wrap(readBytes(file, ch, 0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw new CheckpointException(file, "bad header length " + Long.toUnsignedString(n)
                    + ": expected 2 to " + MAX_HEADER_BYTES + " bytes (is this a safetensors file?)");
        }
        if (n > size - 8) {
            throw new CheckpointException(file, "truncated: the header length says " + n
                    + " bytes of JSON follow, but the file has only " + (size - 8) + " bytes after it");
        }
        return n;
    }

    private static Map<String, Object> parseHeader(Path file, byte[] bytes) throws CheckpointException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(file, "bad header: not valid UTF-8", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "bad JSON header: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new CheckpointException(file, "bad header: expected a JSON object, found " + describe(parsed));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) map;
        return header;
    }

    private static Map<String, String> metadata(Path file, Object value) throws CheckpointException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new CheckpointException(file, "bad header: " + METADATA
                    + " must be an object of strings, found " + describe(value));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> m : map.entrySet()) {
            if (!(m.getValue() instanceof String s)) {
                throw new CheckpointException(file, "bad header: " + METADATA + "[" + Json.quote((String) m.getKey())
                        + "] must be a string, found " + describe(m.getValue()));
            }
            metadata.put((String) m.getKey(), s);
        }
        return metadata;
    }

    private static Entry entry(Path file, String key, Object value, NonF32 nonF32) throws CheckpointException {
        String where = "tensor " + Json.quote(key);
        if (!(value instanceof Map<?, ?> map)) {
            throw new CheckpointException(file, "bad header: " + where + " must be an object with dtype, shape "
                    + "and data_offsets, found " + describe(value));
        }
        if (!(map.get("dtype") instanceof String dtype)) {
            throw new CheckpointException(file, "bad header: " + where + " needs a string \"dtype\", found "
                    + describe(map.get("dtype")));
        }
        Integer elementBytes = DTYPE_BYTES.get(dtype);
        boolean refused = nonF32 == NonF32.FAIL || (nonF32 == NonF32.CONVERT && !DTypes.CONVERTIBLE.contains(dtype));
        if (!dtype.equals("F32") && refused) {
            throw new CheckpointException(file, where + " has dtype " + dtype + (elementBytes == null
                    ? ", which the safetensors format does not define" : "")
                    + "; Myelin loads F32, and converts " + (nonF32 == NonF32.FAIL ? "none here" : DTypes.CONVERTIBLE)
                    + ". Save it as float32 (tensor.float() in PyTorch)");
        }
        long[] shape = longs(file, where, "shape", map.get("shape"), -1);
        long[] offsets = longs(file, where, "data_offsets", map.get("data_offsets"), 2);
        long numel = 1;
        for (long d : shape) {
            if (d > Integer.MAX_VALUE) {
                throw new CheckpointException(file, where + " has a dimension of " + d + ", over Java's array limit");
            }
            numel = numel > 0 && d > Long.MAX_VALUE / numel ? Long.MAX_VALUE : numel * d;
        }
        if (offsets[0] > offsets[1]) {
            throw new CheckpointException(file, "bad header: " + where + " has data_offsets " + Arrays.toString(offsets)
                    + ": expected begin <= end");
        }
        long span = offsets[1] - offsets[0];
        if (elementBytes != null && (numel > Long.MAX_VALUE / elementBytes || numel * elementBytes != span)) {
            throw new CheckpointException(file, "bad header: " + where + " of dtype " + dtype + " and shape "
                    + Arrays.toString(shape) + " needs " + numel + " x " + elementBytes + " bytes, but its "
                    + "data_offsets " + Arrays.toString(offsets) + " span " + span);
        }
        if (!dtype.equals("F32") && nonF32 == NonF32.CONVERT && span > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(file, where + " of dtype " + dtype + " has " + span
                    + " bytes, over Java's array limit");
        }
        if (dtype.equals("F32") && numel > Integer.MAX_VALUE) {
            throw new CheckpointException(file, where + " has " + numel + " elements, over Java's array limit");
        }
        int[] intShape = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            intShape[i] = (int) shape[i];
        }
        return new Entry(key, dtype, intShape, numel, offsets[0], offsets[1]);
    }

    /** A JSON array of non-negative integers; {@code length} -1 means any length. */
    private static long[] longs(Path file, String where, String field, Object value, int length)
            throws CheckpointException {
        String expected = "bad header: " + where + " needs \"" + field + "\" as an array of "
                + (length < 0 ? "" : length + " ") + "non-negative integers, found ";
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw new CheckpointException(file, expected + describe(value));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0) {
                throw new CheckpointException(file, expected + describe(value));
            }
            out[i] = v;
        }
        return out;
    }

    /** The entries, sorted by offset, must tile [0, dataLength) exactly. */
    private static void checkLayout(Path file, List<Entry> sorted, long dataLength) throws CheckpointException {
        long expectedBegin = 0;
        for (Entry e : sorted) {
            if (e.begin() != expectedBegin) {
                throw new CheckpointException(file, "bad header: tensor " + Json.quote(e.key()) + " starts at data offset "
                        + e.begin() + ", expected " + expectedBegin + " (tensors must not overlap or leave gaps)");
            }
            expectedBegin = e.end();
        }
        if (expectedBegin > dataLength) {
            throw new CheckpointException(file, "truncated: the header declares " + expectedBegin
                    + " bytes of tensor data, but only " + dataLength + " follow the header");
        }
        if (expectedBegin < dataLength) {
            throw new CheckpointException(file, "bad file: " + (dataLength - expectedBegin)
                    + " bytes follow the last tensor's data (the header declares " + expectedBegin + ")");
        }
    }

    private static float[] readFloats(Path file, FileChannel ch, long position, int count) throws IOException {
        float[] out = new float[count];
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = CHUNK_BYTES / Float.BYTES;
        for (int off = 0; off < count; off += perChunk) {
            int n = Math.min(perChunk, count - off);
            buf.clear().limit(n * Float.BYTES);
            readFully(file, ch, buf, position + (long) off * Float.BYTES);
            buf.flip();
            buf.asFloatBuffer().get(out, off, n);
        }
        return out;
    }

    private static byte[] readBytes(Path file, FileChannel ch, long position, int count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(count);
        readFully(file, ch, buf, position);
        return buf.array();
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                // The size was checked up front, so the file shrank while being read.
                throw new CheckpointException(file, "truncated: unexpected end of file at byte " + at);
            }
            at += n;
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String s = value instanceof String str ? Json.quote(str) : String.valueOf(value);
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
