package dev.myelin.tensor;

import dev.myelin.kernel.KernelProvider;
import dev.myelin.kernel.Kernels;

/**
 * Element-wise operations with NumPy broadcasting, and their backward rules. The rules are
 * written with tensor operations, so they are differentiable themselves; where a rule has a
 * fused kernel (ReLU) the kernel runs when no graph of the backward pass is wanted.
 */
final class Pointwise {
    static final Kernels K = KernelProvider.get();

    private Pointwise() {
    }

    enum Bin { ADD, SUB, MUL, DIV, MAX, MIN }

    enum Cmp { GT, GE, LT, LE, EQ }

    static void checkSameShape(String what, Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape, b.shape)) {
            throw new IllegalArgumentException(what + ": expected shape " + Shapes.str(a.shape) + ", got " + Shapes.str(b.shape));
        }
    }

    // ------------------------------------------------------------ forward loops

    private static float apply(Bin op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> x >= y || Float.isNaN(x) ? x : y;
            case MIN -> x <= y || Float.isNaN(x) ? x : y;
        };
    }

    private static void kernel(Bin op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        switch (op) {
            case ADD -> K.add(a, ao, b, bo, out, oo, n);
            case SUB -> K.sub(a, ao, b, bo, out, oo, n);
            case MUL -> K.mul(a, ao, b, bo, out, oo, n);
            case DIV -> K.div(a, ao, b, bo, out, oo, n);
            default -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = apply(op, a[ao + i], b[bo + i]);
                }
            }
        }
    }

    /** out[i] = a[i] (op) s for the four arithmetic ops: loops C2 vectorizes, each rounding as apply does. */
    private static void scalarRight(Bin op, float[] a, int ao, float s, float[] out, int oo, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] + s;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] - s;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] * s;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] / s;
                }
            }
            default -> throw new IllegalArgumentException("scalarRight: " + op);
        }
    }

    /** out = a (op) b with broadcasting; fast paths for equal shapes and a scalar operand. */
    static Tensor binaryRaw(Tensor a, Tensor b, Bin op) {
        if (java.util.Arrays.equals(a.shape, b.shape)) {
            Tensor out = Tensor.empty(a.shape); // the kernel writes every element
            kernel(op, a.data, 0, b.data, 0, out.data, 0, out.data.length);
            return out;
        }
        int[] shape = Shapes.broadcast(a.shape, b.shape);
        Tensor out = Tensor.zeros(shape);
        Broadcast.forEachRow(shape, a.shape, b.shape, (oOff, aOff, aStep, bOff, bStep, n) -> {
            if (aStep == 1 && bStep == 1) {
                kernel(op, a.data, aOff, b.data, bOff, out.data, oOff, n);
            } else if (aStep == 1 && bStep == 0 && op.ordinal() <= Bin.DIV.ordinal()) {
                scalarRight(op, a.data, aOff, b.data[bOff], out.data, oOff, n);
            } else {
                for (int i = 0; i < n; i++) {
                    out.data[oOff + i] = apply(op, a.data[aOff + i * aStep], b.data[bOff + i * bStep]);
                }
            }
        });
        return out;
    }

    static Tensor compare(Tensor a, Tensor b, Cmp cmp) {
        int[] shape = Shapes.broadcast(a.shape, b.shape);
        Tensor out = Tensor.zeros(shape);
        if (b.data.length == 1 && java.util.Arrays.equals(shape, a.shape)) {
            compareScalar(a.data, b.data[0], cmp, out.data); // x.gt(0f): the masks of the createGraph rules
            return out;
        }
        Broadcast.forEachRow(shape, a.shape, b.shape, (oOff, aOff, aStep, bOff, bStep, n) -> {
            for (int i = 0; i < n; i++) {
                float x = a.data[aOff + i * aStep];
                float y = b.data[bOff + i * bStep];
                boolean r = switch (cmp) {
                    case GT -> x > y;
                    case GE -> x >= y;
                    case LT -> x < y;
                    case LE -> x <= y;
                    case EQ -> x == y;
                };
                out.data[oOff + i] = r ? 1f : 0f;
            }
        });
        return out;
    }

    /** out[i] = a[i] (cmp) s ? 1 : 0, one loop per comparison (the switch outside the loop). */
    private static void compareScalar(float[] a, float s, Cmp cmp, float[] out) {
        switch (cmp) {
            case GT -> {
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i] > s ? 1f : 0f;
                }
            }
            case GE -> {
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i] >= s ? 1f : 0f;
                }
            }
            case LT -> {
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i] < s ? 1f : 0f;
                }
            }
            case LE -> {
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i] <= s ? 1f : 0f;
                }
            }
            case EQ -> {
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i] == s ? 1f : 0f;
                }
            }
        }
    }

    interface FloatFn {
        float apply(float x);
    }

    static Tensor map(Tensor x, FloatFn f) {
        Tensor out = Tensor.empty(x.shape); // every element written below
        float[] s = x.data;
        float[] d = out.data;
        for (int i = 0; i < d.length; i++) {
            d[i] = f.apply(s[i]);
        }
        return out;
    }

    // ------------------------------------------------------------ differentiable binary ops

    static Tensor add(Tensor a, Tensor b) {
        return binaryRaw(a, b, Bin.ADD).record(Op.ADD, g -> new Tensor[] {g.sumTo(a.shape), g.sumTo(b.shape)}, a, b);
    }

    static Tensor sub(Tensor a, Tensor b) {
        return binaryRaw(a, b, Bin.SUB).record(Op.SUB, g -> new Tensor[] {g.sumTo(a.shape), g.neg().sumTo(b.shape)}, a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        return binaryRaw(a, b, Bin.MUL).record(Op.MUL, g -> new Tensor[] {
            a.requiresGrad() ? g.mul(b).sumTo(a.shape) : null,
            b.requiresGrad() ? g.mul(a).sumTo(b.shape) : null}, a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        return binaryRaw(a, b, Bin.DIV).record(Op.DIV, g -> new Tensor[] {
            a.requiresGrad() ? g.div(b).sumTo(a.shape) : null,
            b.requiresGrad() ? g.mul(a).div(b.mul(b)).neg().sumTo(b.shape) : null}, a, b);
    }

    static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = binaryRaw(a, b, Bin.MAX);
        return out.record(Op.MAXIMUM, g -> {
            Tensor mask = a.ge(b);
            return new Tensor[] {g.mul(mask).sumTo(a.shape), g.mul(mask.neg().add(1f)).sumTo(b.shape)};
        }, a, b);
    }

    static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = binaryRaw(a, b, Bin.MIN);
        return out.record(Op.MINIMUM, g -> {
            Tensor mask = a.le(b);
            return new Tensor[] {g.mul(mask).sumTo(a.shape), g.mul(mask.neg().add(1f)).sumTo(b.shape)};
        }, a, b);
    }

    static Tensor where(Tensor mask, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(Shapes.broadcast(mask.shape, a.shape), b.shape);
        Tensor m = Reductions.broadcastRaw(mask, shape);
        Tensor x = Reductions.broadcastRaw(a, shape);
        Tensor y = Reductions.broadcastRaw(b, shape);
        Tensor out = Tensor.zeros(shape);
        for (int i = 0; i < out.data.length; i++) {
            out.data[i] = m.data[i] != 0f ? x.data[i] : y.data[i];
        }
        Tensor keep = map(m, v -> v != 0f ? 1f : 0f);
        return out.record(Op.WHERE, g -> new Tensor[] {null,
            g.mul(keep).sumTo(a.shape), g.mul(keep.neg().add(1f)).sumTo(b.shape)}, mask, a, b);
    }

    // ------------------------------------------------------------ differentiable unary ops

    static Tensor neg(Tensor x) {
        Tensor out = Tensor.empty(x.shape); // the kernel writes every element
        K.affine(x.data, 0, -1f, 0f, out.data, 0, out.data.length);
        return out.record(Op.NEG, g -> new Tensor[] {g.neg()}, x);
    }

    static Tensor addScalar(Tensor x, float s) {
        Tensor out = Tensor.empty(x.shape); // the kernel writes every element
        K.affine(x.data, 0, 1f, s, out.data, 0, out.data.length);
        return out.record(Op.ADD_SCALAR, g -> new Tensor[] {g}, x);
    }

    static Tensor mulScalar(Tensor x, float s) {
        Tensor out = Tensor.empty(x.shape); // the kernel writes every element
        K.affine(x.data, 0, s, 0f, out.data, 0, out.data.length);
        return out.record(Op.MUL_SCALAR, g -> new Tensor[] {g.mul(s)}, x);
    }

    static Tensor exp(Tensor x) {
        Tensor out = Tensor.empty(x.shape); // the kernel writes every element
        K.exp(x.data, 0, out.data, 0, out.data.length);
        return out.record(Op.EXP, g -> new Tensor[] {g.mul(out)}, x);
    }

    static Tensor log(Tensor x) {
        return map(x, v -> (float) Math.log(v)).record(Op.LOG, g -> new Tensor[] {g.div(x)}, x);
    }

    static Tensor pow(Tensor x, float p) {
        return map(x, v -> (float) Math.pow(v, p))
                .record(Op.POW, g -> new Tensor[] {g.mul(x.pow(p - 1f)).mul(p)}, x);
    }

    static Tensor sqrt(Tensor x) {
        Tensor out = map(x, v -> (float) Math.sqrt(v));
        return out.record(Op.SQRT, g -> new Tensor[] {g.div(out).mul(0.5f)}, x);
    }

    static Tensor abs(Tensor x) {
        return map(x, Math::abs).record(Op.ABS, g -> new Tensor[] {g.mul(sign(x))}, x);
    }

    private static Tensor sign(Tensor x) {
        return map(x, v -> v > 0 ? 1f : v < 0 ? -1f : 0f);
    }

    static Tensor relu(Tensor x) {
        Tensor out = Tensor.empty(x.shape); // the kernel writes every element
        K.relu(x.data, 0, out.data, 0, out.data.length);
        return out.record(Op.RELU, g -> {
            if (GradMode.isEnabled()) {
                return new Tensor[] {g.mul(x.gt(0f))};
            }
            Tensor gx = Tensor.empty(x.shape);
            K.reluBackward(x.data, 0, g.data, 0, gx.data, 0, gx.data.length);
            return new Tensor[] {gx};
        }, x);
    }

    static Tensor sigmoid(Tensor x) {
        Tensor out = map(x, v -> (float) (1.0 / (1.0 + Math.exp(-v))));
        return out.record(Op.SIGMOID, g -> new Tensor[] {g.mul(out).mul(out.neg().add(1f))}, x);
    }

    static Tensor tanh(Tensor x) {
        Tensor out = map(x, v -> (float) Math.tanh(v));
        return out.record(Op.TANH, g -> new Tensor[] {g.mul(out.mul(out).neg().add(1f))}, x);
    }

    static Tensor softplus(Tensor x, float beta, float threshold) {
        Tensor out = map(x, v -> v * beta > threshold ? v : (float) (Math.log1p(Math.exp(beta * v)) / beta));
        return out.record(Op.SOFTPLUS, g -> {
            Tensor linear = x.mul(beta).gt(threshold);
            Tensor slope = x.mul(beta).sigmoid().mul(linear.neg().add(1f)).add(linear);
            return new Tensor[] {g.mul(slope)};
        }, x);
    }
}
