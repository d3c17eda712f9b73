package dev.myelin.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Set;

/**
 * Converts the safetensors dtypes that PyTorch writes to float32, where the conversion is exact
 * or safe (as {@code tensor.float()} does):
 * <pre>
 * F16, BF16                     exact (every half and bfloat16 value is a float32)
 * F64                           rounded to the nearest float32
 * BOOL, U8, I8, I16, U16        exact
 * I32, U32, I64                 exact while |v| &le; 2^24, else an error naming the entry
 * </pre>
 * Data are little-endian, as the format defines.
 */
final class DTypes {
    /** The dtypes {@link #toFloats} converts. */
    static final Set<String> CONVERTIBLE = Set.of("F16", "BF16", "F64", "BOOL", "U8", "I8", "I16", "U16",
            "I32", "U32", "I64");
    private static final long EXACT = 1L << 24;

    private DTypes() {
    }

    /** The values of {@code raw} (little-endian elements of {@code dtype}) as float32. */
    static float[] toFloats(Path file, String key, String dtype, byte[] raw) throws CheckpointException {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int bytes = switch (dtype) {
            case "F64", "I64" -> 8;
            case "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            default -> 1;
        };
        float[] out = new float[raw.length / bytes];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case "F16" -> Float.float16ToFloat(b.getShort());
                case "BF16" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                case "F64" -> (float) b.getDouble();
                case "BOOL", "U8" -> b.get() & 0xff;
                case "I8" -> b.get();
                case "I16" -> b.getShort();
                case "U16" -> b.getShort() & 0xffff;
                case "I32" -> exact(file, key, dtype, b.getInt());
                case "U32" -> exact(file, key, dtype, b.getInt() & 0xffffffffL);
                case "I64" -> exact(file, key, dtype, b.getLong());
                default -> throw new IllegalStateException("no conversion for " + dtype);
            };
        }
        return out;
    }

    private static float exact(Path file, String key, String dtype, long v) throws CheckpointException {
        if (Math.abs(v) > EXACT) {
            throw new CheckpointException(file, "tensor \"" + key + "\" of dtype " + dtype + " holds " + v
                    + ", which float32 cannot hold exactly (|v| must be at most 2^24); save it as float32 if"
                    + " rounding is acceptable");
        }
        return v;
    }
}
