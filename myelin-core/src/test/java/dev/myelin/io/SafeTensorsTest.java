package dev.myelin.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------- round trip

    @Test
    void roundTripKeepsOrderShapesBitsAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", Tensor.of(new float[] {1.5f, -2f, 0f, -0f, Float.MIN_VALUE, 3e38f}, 2, 3));
        tensors.put("a.bias", Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 3));
        tensors.put("scalar", Tensor.of(new float[] {42f}));
        tensors.put("empty", Tensor.of(new float[0], 0, 4));
        tensors.put("m.\"quoted\"\\ñ", Tensor.of(new float[] {7f, 8f}, 1, 1, 2));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "line\nbreak \"quotes\" \u0001 ünïcödé ✓");
        Path file = dir.resolve("model.safetensors");

        SafeTensors.write(file, tensors, metadata);
        SafeTensors.Contents back = SafeTensors.read(file);

        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = back.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
            assertArrayEquals(bits(e.getValue().data()), bits(t.data()), e.getKey());
        }
        assertEquals(metadata, back.metadata());
        assertEquals(List.copyOf(metadata.keySet()), List.copyOf(back.metadata().keySet()));
        assertTrue(back.skipped().isEmpty());
    }

    @Test
    void roundTripOfTensorsLargerThanOneIoChunk() throws IOException {
        float[] big = new float[7 * 14_287]; // several 64 KiB chunks and a partial one
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i) * i;
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("small", Tensor.of(new float[] {1f}, 1));
        tensors.put("big", Tensor.of(big, 7, 14_287));
        Path file = dir.resolve("big.safetensors");

        SafeTensors.write(file, tensors);

        Tensor back = SafeTensors.read(file).tensors().get("big");
        assertArrayEquals(bits(big), bits(back.data()));
        assertEquals(Map.of(), SafeTensors.read(file).metadata());
    }

    /** The bytes written match the format built by hand, independently of the reader. */
    @Test
    void writesTheSafetensorsLayout() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(new float[] {1f, -2f}, 2, 1));
        tensors.put("b", Tensor.of(new float[] {0.5f}, 1));
        Path file = dir.resolve("layout.safetensors");

        SafeTensors.write(file, tensors, Map.of("k", "v"));

        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        byte[] header = Arrays.copyOf(json.getBytes(StandardCharsets.UTF_8), (json.length() + 7) / 8 * 8);
        Arrays.fill(header, json.length(), header.length, (byte) ' ');
        ByteBuffer expected = ByteBuffer.allocate(8 + header.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(header.length).put(header).putFloat(1f).putFloat(-2f).putFloat(0.5f);
        assertArrayEquals(expected.array(), Files.readAllBytes(file));
    }

    // ------------------------------------------------------------------------ PyTorch's file

    /** torch_state.safetensors was written by tools/golden/make_golden.py from a torch state dict. */
    @Test
    void readsAStateDictWrittenFromPyTorch() throws IOException {
        Golden expected = Golden.load("torch_state.json");
        Path file = resource("torch_state.safetensors");

        SafeTensors.Contents contents = SafeTensors.read(file);

        List<String> order = new ArrayList<>();
        for (int i = 0; i < expected.get("order").size(); i++) {
            order.add(expected.get("order").get(i).asString());
        }
        // The header lists keys alphabetically; the reader orders them by offset (state-dict order).
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked"), order);
        assertEquals(order, List.copyOf(contents.tensors().keySet()));
        for (String key : order) {
            Tensor want = expected.get("tensors").get(key).tensor();
            Tensor got = contents.tensors().get(key);
            assertArrayEquals(want.shape(), got.shape(), key);
            assertArrayEquals(bits(want.data()), bits(got.data()), key);
        }
        assertEquals(2f, contents.tensors().get("1.num_batches_tracked").item());
        assertEquals(Map.of("1.num_batches_tracked", "I64"), contents.converted());
        assertEquals("pt", contents.metadata().get("format"));
    }

    @Test
    void skipLeavesOutWhatIsNotF32AndFailNamesIt() throws IOException {
        Path file = resource("torch_state.safetensors");

        SafeTensors.Contents skipped = SafeTensors.read(file, SafeTensors.NonF32.SKIP);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> SafeTensors.read(file, SafeTensors.NonF32.FAIL));

        assertEquals(Map.of("1.num_batches_tracked", "I64"), skipped.skipped());
        assertEquals(6, skipped.tensors().size());
        assertTrue(e.getMessage().contains("\"1.num_batches_tracked\" has dtype I64"), e.getMessage());
        assertTrue(e.getMessage().contains("tensor.float()"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertEquals(file, e.file());
    }

    @Test
    void halfBfloatDoubleAndIntegersConvertToFloat32() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(2 * 2 + 2 * 2 + 2 * 8 + 2 * 8 + 2).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-65504f));
        data.putShort((short) (Float.floatToIntBits(3.0e38f) >>> 16)).putShort((short) (Float.floatToIntBits(-0.5f) >>> 16));
        data.putDouble(0.1).putDouble(-2.0);
        data.putLong(16_777_216L).putLong(-7L);
        data.put((byte) 1).put((byte) 0);
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]},"
                + "\"l\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[24,40]},"
                + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[40,42]}}";
        Path file = write("dtypes.safetensors", header.getBytes(StandardCharsets.UTF_8), data.array());

        SafeTensors.Contents c = SafeTensors.read(file);

        assertArrayEquals(new float[] {1.5f, -65504f}, c.tensors().get("h").data());
        assertArrayEquals(new float[] {Float.intBitsToFloat(Float.floatToIntBits(3.0e38f) & 0xffff0000), -0.5f},
                c.tensors().get("b").data());
        assertArrayEquals(new float[] {0.1f, -2f}, c.tensors().get("d").data());
        assertArrayEquals(new float[] {16_777_216f, -7f}, c.tensors().get("l").data());
        assertArrayEquals(new float[] {1f, 0f}, c.tensors().get("m").data());
        assertEquals(List.of("h", "b", "d", "l", "m"), List.copyOf(c.converted().keySet()));
    }

    @Test
    void anIntegerFloat32CannotHoldIsAnErrorNamingIt() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(16_777_217L);
        String header = "{\"steps\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}}";
        Path file = write("big.safetensors", header.getBytes(StandardCharsets.UTF_8), data.array());

        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(file));

        assertTrue(e.getMessage().contains("\"steps\" of dtype I64 holds 16777217"), e.getMessage());
    }

    @Test
    void namedKeysAreWrittenAsI64AsPyTorchDoes() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("1.running_mean", Tensor.of(new float[] {0.5f, -1f}, 2));
        tensors.put("1.num_batches_tracked", Tensor.of(new float[] {938f}));
        Path file = dir.resolve("i64.safetensors");

        SafeTensors.write(file, tensors, Map.of(), java.util.Set.of("1.num_batches_tracked"));
        SafeTensors.Contents back = SafeTensors.read(file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer tail = ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals(938L, tail.getLong());
        assertEquals(Map.of("1.num_batches_tracked", "I64"), back.converted());
        assertEquals(938f, back.tensors().get("1.num_batches_tracked").item());
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file,
                Map.of("n", Tensor.of(new float[] {0.5f})), Map.of(), java.util.Set.of("n")));
    }

    // ------------------------------------------------------------------ truncated or corrupt

    /** Every proper prefix of a valid file is rejected with a CheckpointException, never read. */
    @Test
    void everyTruncationIsACheckpointException() throws IOException {
        byte[] whole = Files.readAllBytes(resource("torch_state.safetensors"));
        Path file = dir.resolve("cut.safetensors");
        for (int length = 0; length < whole.length; length++) {
            Files.write(file, Arrays.copyOf(whole, length));
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> SafeTensors.read(file, SafeTensors.NonF32.SKIP), "length " + length);
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
        // Prefixes that cut the header or the data say "truncated".
        long headerLength = ByteBuffer.wrap(whole, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (long length : new long[] {0, 7, 8 + headerLength - 1, 8 + headerLength + 5, whole.length - 1}) {
            Files.write(file, Arrays.copyOf(whole, (int) length));
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> SafeTensors.read(file, SafeTensors.NonF32.SKIP));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void anAbsurdHeaderLengthIsRejected() throws IOException {
        Path file = dir.resolve("not-safetensors.bin");
        Files.writeString(file, "PK\u0003\u0004 this is a zip file, not a checkpoint");

        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(file));

        assertTrue(e.getMessage().contains("bad header length"), e.getMessage());
    }

    @Test
    void malformedHeadersAreRejectedWithTheProblem() throws IOException {
        String w = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        byte[] eight = new byte[8];
        assertRejected("{" + w + ",}", eight, "bad JSON header");
        assertRejected("{" + w + "," + w + "}", eight, "duplicate key \"w\"");
        assertRejected("[1, 2]", eight, "expected a JSON object");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight, "span 8");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", eight, "begin <= end");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4], "truncated");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[12],
                "4 bytes follow the last tensor");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", eight, "non-negative");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", eight, "array of 2");
        assertRejected("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", eight, "needs a string \"dtype\"");
        assertRejected("{\"w\":[0,8]}", eight, "must be an object");
        assertRejected("{\"__metadata__\":{\"k\":1}," + w + "}", eight, "must be a string");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", eight, "overlap");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight, "gaps");
    }

    @Test
    void anUnknownDtypeIsNamedAndCanBeSkipped() throws IOException {
        String header = "{\"q\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,3]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[3,7]}}";
        Path file = write("unknown.safetensors", header.getBytes(StandardCharsets.UTF_8), new byte[7]);

        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(file));

        assertTrue(e.getMessage().contains("\"q\" has dtype Q7, which the safetensors format does not define"),
                e.getMessage());
        SafeTensors.Contents c = SafeTensors.read(file, SafeTensors.NonF32.SKIP);
        assertEquals(Map.of("q", "Q7"), c.skipped());
        assertEquals(List.of("w"), List.copyOf(c.tensors().keySet()));
    }

    @Test
    void aHeaderThatIsNotUtf8IsRejected() throws IOException {
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}  ".getBytes(StandardCharsets.UTF_8);
        header[2] = (byte) 0xC3; // a lone lead byte inside the key
        Path file = write("bad-utf8.safetensors", header, new byte[0]);

        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(file));

        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void emptyTensorsMaySitAnywhereInTheHeader() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]}}";
        Path file = write("empty.safetensors", header.getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(2.5f).array());

        SafeTensors.Contents c = SafeTensors.read(file);

        assertEquals(List.of("e", "w"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {0, 3}, c.tensors().get("e").shape());
        assertEquals(2.5f, c.tensors().get("w").data()[0]);
    }

    // ------------------------------------------------------------------------------- atomic

    @Test
    void aSuccessfulWriteLeavesOnlyTheTarget() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.of(new float[] {1f}, 1)));
        SafeTensors.write(file, Map.of("a", Tensor.of(new float[] {2f}, 1)));

        assertEquals(List.of(file), listDir());
        assertEquals(2f, SafeTensors.read(file).tensors().get("a").data()[0]);
    }

    /** A write that fails midway (a full disk) keeps the old checkpoint whole and leaves no temp file. */
    @Test
    void aWriteFailingMidwayKeepsTheOldFileAndCleansUp() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.of(new float[] {1f, 2f, 3f}, 3)), Map.of("epoch", "1"));
        byte[] before = Files.readAllBytes(file);
        Map<String, Tensor> bigger = Map.of("a", Tensor.of(new float[50_000], 50_000));

        IOException e = assertThrows(IOException.class,
                () -> SafeTensors.write(file, bigger, Map.of("epoch", "2"), java.util.Set.of(), failAfter(100_000)));

        assertEquals("No space left on device", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void aFailedRenameLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("child")); // a non-empty directory cannot be replaced

        assertThrows(IOException.class, () -> SafeTensors.write(target, Map.of("a", Tensor.of(new float[] {1f}, 1))));

        assertEquals(List.of(target), listDir());
    }

    @Test
    void badArgumentsWriteNothing() {
        Path file = dir.resolve("never.safetensors");
        Map<String, Tensor> reserved = Map.of("__metadata__", Tensor.of(new float[] {1f}, 1));

        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, reserved));

        assertEquals(List.of(), listDir());
    }

    // ------------------------------------------------------------------------------ helpers

    private void assertRejected(String header, byte[] data, String problem) throws IOException {
        Path file = write("corrupt.safetensors", header.getBytes(StandardCharsets.UTF_8), data);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> SafeTensors.read(file, SafeTensors.NonF32.SKIP), header);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected \"" + problem + "\" in: " + e.getMessage());
    }

    /** A file with the given header (unpadded; padding is optional in the format) and data. */
    private Path write(String name, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        Path file = dir.resolve(name);
        Files.write(file, b.array());
        return file;
    }

    private Path resource(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = SafeTensorsTest.class.getResourceAsStream("/golden/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    private List<Path> listDir() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Wraps the channel in one that throws, as a full disk does, once {@code limit} bytes went through. */
    private static UnaryOperator<WritableByteChannel> failAfter(long limit) {
        return ch -> new WritableByteChannel() {
            long written;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (written + src.remaining() > limit) {
                    throw new IOException("No space left on device");
                }
                int n = ch.write(src);
                written += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return ch.isOpen();
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
