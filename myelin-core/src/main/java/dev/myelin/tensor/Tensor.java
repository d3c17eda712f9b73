package dev.myelin.tensor;

import java.util.List;

/**
 * A float32 tensor with reverse-mode automatic differentiation, PyTorch's {@code torch.Tensor}
 * in Java: row-major, contiguous storage in a heap {@code float[]} (the garbage collector frees
 * it; there is no {@code close()}), an {@code int[]} shape, and, when it was computed from
 * tensors that require grad with grad mode on, the {@link Node} that produced it.
 *
 * <p>Operations never modify their inputs; the {@code ...InPlace} methods (for optimizers and
 * running statistics) are the only mutators and must not be used on tensors that are part of a
 * graph still to be differentiated. Element-wise operations broadcast as NumPy and PyTorch do.
 * Shape ops ({@link #reshape}) may share storage with their input.
 */
public final class Tensor {
    final float[] data;
    final int[] shape;
    Node gradFn;
    private boolean requiresGrad;
    private Tensor grad;

    Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
        StoragePool.wrapped(data);
    }

    // ---------------------------------------------------------------- creation

    /** A tensor over {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int n = Shapes.numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Shapes.str(shape) + " holds " + n
                    + " elements but the data has " + data.length);
        }
        return new Tensor(data, shape.clone());
    }

    /** A 0-dimensional tensor holding {@code value}. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        return new Tensor(StoragePool.zeros(Shapes.numel(shape)), shape.clone());
    }

    /**
     * A tensor whose values are undefined, for an operation that writes every element before any
     * is read (inside a {@link StoragePool} scope its storage may be a recycled array, not zeroed).
     */
    static Tensor empty(int... shape) {
        return new Tensor(StoragePool.uninitialized(Shapes.numel(shape)), shape.clone());
    }

    /** A tensor of ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        java.util.Arrays.fill(t.data, value);
        return t;
    }

    /** Uniform samples in [low, high). */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (low + (high - low) * rng.nextDouble());
        }
        return t;
    }

    /** Uniform samples in [0, 1). */
    public static Tensor rand(Rng rng, int... shape) {
        return uniform(rng, 0f, 1f, shape);
    }

    /** Normal samples with the given mean and standard deviation. */
    public static Tensor normal(Rng rng, float mean, float std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (mean + std * rng.nextGaussian());
        }
        return t;
    }

    /** Standard normal samples. */
    public static Tensor randn(Rng rng, int... shape) {
        return normal(rng, 0f, 1f, shape);
    }

    /** Bernoulli samples: 1 with probability {@code p}, else 0. */
    public static Tensor bernoulli(Rng rng, double p, int... shape) {
        return bernoulli(rng, p, 1f, shape);
    }

    /**
     * Scaled Bernoulli samples: {@code value} with probability {@code p}, else 0; the same draws
     * as {@link #bernoulli(Rng, double, int...)}, times {@code value} (inverted dropout's mask
     * {@code m / (1 − p)} in one pass and one array).
     */
    public static Tensor bernoulli(Rng rng, double p, float value, int... shape) {
        Tensor t = empty(shape); // every element written below
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = rng.nextDouble() < p ? value : 0f;
        }
        return t;
    }

    /**
     * This tensor times a fresh mask m, m_i = {@code value} with probability {@code p}, else 0: the
     * draws of {@link #bernoulli(Rng, double, float, int...)}, recorded as the product (inverted
     * dropout's {@code x ⊙ m / (1 − p)}). The mask is saved for the backward rule only, so inside a
     * {@link StoragePool} scope its storage is reused once the step ends.
     */
    public Tensor mulBernoulli(Rng rng, double p, float value) {
        Tensor mask = bernoulli(rng, p, value, shape);
        StoragePool.stepLocal(mask);
        return mul(mask);
    }

    // ---------------------------------------------------------------- inspection

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of one dimension; negative counts from the end. */
    public int size(int dim) {
        return shape[Shapes.axis(dim, shape.length)];
    }

    /** The number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** The number of elements. */
    public int numel() {
        return data.length;
    }

    /**
     * The number of elements of a tensor of {@code shape}: the product of its sizes (each >= 0), or an
     * ArithmeticException when that exceeds the most values one Java array holds (2^31 - 1).
     */
    public static int numel(int[] shape) {
        return Shapes.numel(shape);
    }

    /** The backing array, row-major; writes to it change the tensor (and tensors sharing it). */
    public float[] data() {
        return data;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item(): expected a tensor with one element, got shape " + Shapes.str(shape));
        }
        return data[0];
    }

    /** The element at the given index. */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: expected " + shape.length + " indices, got " + index.length);
        }
        int off = 0;
        int[] st = Shapes.strides(shape);
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + index[i] + " of dimension " + i + " is outside [0, " + shape[i] + ")");
            }
            off += index[i] * st[i];
        }
        return data[off];
    }

    /** A copy of the data. */
    public float[] toArray() {
        return data.clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape)).append(' ');
        int n = Math.min(data.length, 10);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append(data[i]);
        }
        sb.append(data.length > n ? ", ...]" : "]");
        if (gradFn != null) {
            sb.append(" gradFn=").append(gradFn.op);
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- autograd

    /** True when gradients flow to or through this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as a variable to differentiate with respect to; returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("requiresGrad(false) on a non-leaf tensor; use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf, or null before any backward pass. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it, as PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void setGrad(Tensor g) {
        this.grad = g;
        if (g != null) {
            StoragePool.keep(g);
        }
    }

    /** The operation that produced this tensor, or null for a leaf. */
    public Op op() {
        return gradFn == null ? null : gradFn.op;
    }

    /** True when this tensor was not produced by a recorded operation. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) {
            grad = g; // the engine hands over a tensor no one else holds
        } else if (g.requiresGrad || grad.requiresGrad) {
            grad = grad.add(g);
        } else {
            grad.addInPlace(g, 1f);
        }
        StoragePool.keep(grad); // a leaf's gradient outlives the step
    }

    /** Backpropagates from this scalar: accumulates d(this)/d(leaf) into each leaf's grad. */
    public void backward() {
        Autograd.backward(this, null, false);
    }

    /** Backpropagates {@code gradient}; with {@code createGraph} the gradients are differentiable. */
    public void backward(Tensor gradient, boolean createGraph) {
        Autograd.backward(this, gradient, createGraph);
    }

    /** The same data, cut from the graph (shares storage). */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    /** A copy of the data, cut from the graph. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    Tensor record(Op op, Node.Backward backward, Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            StoragePool.noGradOutput(this);
            return this;
        }
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                gradFn = new Node(op, inputs, backward);
                requiresGrad = true;
                StoragePool.stepLocal(this); // a graph tensor dies with its step
                return this;
            }
        }
        return this;
    }

    // ---------------------------------------------------------------- in-place (no graph)

    /** this += alpha · other (same shape); for optimizer updates. */
    public Tensor addInPlace(Tensor other, float alpha) {
        Pointwise.checkSameShape("addInPlace", this, other);
        Pointwise.K.axpy(alpha, other.data, 0, data, 0, data.length);
        return this;
    }

    /** this *= s. */
    public Tensor mulInPlace(float s) {
        Pointwise.K.affine(data, 0, s, 0f, data, 0, data.length);
        return this;
    }

    /** this = other's values (same number of elements). */
    public Tensor copyFrom(Tensor other) {
        if (other.data.length != data.length) {
            throw new IllegalArgumentException("copyFrom: expected " + data.length + " elements (shape "
                    + Shapes.str(shape) + "), got " + other.data.length + " (shape " + Shapes.str(other.shape) + ")");
        }
        System.arraycopy(other.data, 0, data, 0, data.length);
        return this;
    }

    /** Sets every element to {@code value}. */
    public Tensor fill(float value) {
        java.util.Arrays.fill(data, value);
        return this;
    }

    // ---------------------------------------------------------------- element-wise

    public Tensor add(Tensor o) { return Pointwise.add(this, o); }
    public Tensor sub(Tensor o) { return Pointwise.sub(this, o); }
    public Tensor mul(Tensor o) { return Pointwise.mul(this, o); }
    public Tensor div(Tensor o) { return Pointwise.div(this, o); }
    public Tensor add(float s) { return Pointwise.addScalar(this, s); }
    public Tensor sub(float s) { return Pointwise.addScalar(this, -s); }
    public Tensor mul(float s) { return Pointwise.mulScalar(this, s); }
    public Tensor div(float s) { return Pointwise.mulScalar(this, 1f / s); }
    public Tensor neg() { return Pointwise.neg(this); }
    public Tensor exp() { return Pointwise.exp(this); }
    public Tensor log() { return Pointwise.log(this); }
    public Tensor pow(float p) { return Pointwise.pow(this, p); }
    public Tensor sqrt() { return Pointwise.sqrt(this); }
    public Tensor abs() { return Pointwise.abs(this); }
    public Tensor square() { return mul(this); }
    /** Element-wise maximum; where equal, the gradient goes to {@code this}. */
    public Tensor maximum(Tensor o) { return Pointwise.maximum(this, o); }
    /** Element-wise minimum; where equal, the gradient goes to {@code this}. */
    public Tensor minimum(Tensor o) { return Pointwise.minimum(this, o); }
    public Tensor relu() { return Pointwise.relu(this); }
    public Tensor sigmoid() { return Pointwise.sigmoid(this); }
    public Tensor tanh() { return Pointwise.tanh(this); }
    /** softplus(x) = log(1 + exp(βx))/β, linear where βx > threshold (PyTorch's defaults: 1, 20). */
    public Tensor softplus(float beta, float threshold) { return Pointwise.softplus(this, beta, threshold); }
    /** x &gt; 0 ? x : slope·x (PyTorch's leaky_relu; the gradient at 0 is slope). */
    public Tensor leakyRelu(float slope) { return ActivationOps.leakyRelu(this, slope); }
    /**
     * x &gt; 0 ? scale·x : scale·alpha·(exp(inputScale·x) − 1), PyTorch's elu with its scale and
     * input_scale: ELU is (alpha, 1, 1), SELU (1.6732632, 1.0507010, 1).
     */
    public Tensor elu(float alpha, float scale, float inputScale) { return ActivationOps.elu(this, alpha, scale, inputScale); }
    /** GELU x·Φ(x), or with {@code tanh} its approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    public Tensor gelu(boolean tanh) { return ActivationOps.gelu(this, tanh); }
    /** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt. */
    public Tensor erf() { return ActivationOps.erf(this); }
    /** Clamps into [min, max] (gradient 1 inside, 0 outside). */
    public Tensor clamp(float min, float max) {
        return maximum(Tensor.scalar(min)).minimum(Tensor.scalar(max));
    }

    /** mask ? a : b, element-wise with broadcasting; mask holds 0/1 (from the comparisons). */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) { return Pointwise.where(mask, a, b); }

    /** 1 where this &gt; o, else 0 (not differentiable). */
    public Tensor gt(Tensor o) { return Pointwise.compare(this, o, Pointwise.Cmp.GT); }
    public Tensor ge(Tensor o) { return Pointwise.compare(this, o, Pointwise.Cmp.GE); }
    public Tensor lt(Tensor o) { return Pointwise.compare(this, o, Pointwise.Cmp.LT); }
    public Tensor le(Tensor o) { return Pointwise.compare(this, o, Pointwise.Cmp.LE); }
    public Tensor eq(Tensor o) { return Pointwise.compare(this, o, Pointwise.Cmp.EQ); }
    public Tensor gt(float s) { return gt(scalar(s)); }
    public Tensor lt(float s) { return lt(scalar(s)); }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (a 0-dimensional tensor). */
    public Tensor sum() { return Reductions.sumAll(this); }
    public Tensor sum(int axis, boolean keepDim) { return Reductions.sum(this, new int[] {axis}, keepDim); }
    public Tensor sum(int[] axes, boolean keepDim) { return Reductions.sum(this, axes, keepDim); }
    public Tensor mean() { return sum().mul(1f / data.length); }
    public Tensor mean(int axis, boolean keepDim) { return mean(new int[] {axis}, keepDim); }
    public Tensor mean(int[] axes, boolean keepDim) { return Reductions.mean(this, axes, keepDim); }
    /** Variance over axes; {@code unbiased} divides by n-1 (Bessel), as PyTorch's default. */
    public Tensor var(int[] axes, boolean unbiased, boolean keepDim) { return Reductions.var(this, axes, unbiased, keepDim); }
    public Tensor max(int axis, boolean keepDim) { return Reductions.max(this, axis, keepDim); }
    /** Indices of the maxima along {@code axis} (first on ties), as float values. */
    public Tensor argmax(int axis, boolean keepDim) { return Reductions.argmax(this, axis, keepDim); }
    /** log Σ exp(x) along {@code axis}, computed stably around the maximum. */
    public Tensor logsumexp(int axis, boolean keepDim) { return Reductions.logsumexp(this, axis, keepDim); }
    /** Broadcasts to {@code shape} (materialized). */
    public Tensor broadcastTo(int... target) { return Reductions.broadcastTo(this, target); }
    /** Sums broadcast dimensions away so the result has {@code target} shape (inverse of broadcastTo). */
    public Tensor sumTo(int... target) { return Reductions.sumTo(this, target); }

    // ---------------------------------------------------------------- linear algebra

    /** Matrix product: [m,k]·[k,n], or batched [b,m,k]·[b,k,n]. */
    public Tensor matmul(Tensor o) { return LinAlg.matmul(this, o, false, false); }
    /** op(this)·op(o) where op transposes the last two dimensions when asked, without a copy. */
    public Tensor matmul(Tensor o, boolean transThis, boolean transOther) { return LinAlg.matmul(this, o, transThis, transOther); }
    /** x·Wᵀ + b for x [n,in], weight [out,in], bias [out] or null (PyTorch's F.linear). */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) { return LinAlg.linear(x, weight, bias); }

    // ---------------------------------------------------------------- shape and indexing

    /** Same data, new shape; one size may be -1 (inferred). */
    public Tensor reshape(int... newShape) { return Indexing.reshape(this, newShape); }
    /** Flattens dimensions from {@code startDim} on into one. */
    public Tensor flatten(int startDim) {
        int s = Shapes.axis(startDim, shape.length);
        int[] ns = new int[s + 1];
        System.arraycopy(shape, 0, ns, 0, s);
        ns[s] = Shapes.prod(shape, s, shape.length);
        return reshape(ns);
    }
    /** Reorders dimensions (copies). */
    public Tensor permute(int... dims) { return Indexing.permute(this, dims); }
    /** Swaps two dimensions (copies). */
    public Tensor transpose(int d0, int d1) {
        int[] p = new int[shape.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        int a = Shapes.axis(d0, p.length);
        int b = Shapes.axis(d1, p.length);
        p[a] = b;
        p[b] = a;
        return permute(p);
    }
    /** Concatenation along {@code axis}. */
    public static Tensor concat(List<Tensor> parts, int axis) { return Indexing.concat(parts, axis); }
    /** Elements [start, end) along {@code axis} (PyTorch's narrow/slicing). */
    public Tensor slice(int axis, int start, int end) { return Indexing.slice(this, axis, start, end); }
    /** Places this tensor at [start, start+size) along {@code axis} of a zero tensor of length {@code fullSize} there. */
    public Tensor embed(int axis, int start, int fullSize) { return Indexing.embed(this, axis, start, fullSize); }
    /** Selects {@code indices} along {@code axis}. */
    public Tensor indexSelect(int axis, int[] indices) { return Indexing.indexSelect(this, axis, indices); }
    /** Adds slices into a zero tensor of length {@code size} along {@code axis} at {@code indices}. */
    public Tensor indexAdd(int axis, int[] indices, int size) { return Indexing.indexAdd(this, axis, indices, size); }
    /** For x [n,c] and class indices [n]: x[i, idx[i]] for each row, shape [n]. */
    public Tensor gather(Tensor indices) { return Indexing.gather(this, indices); }
    /** Inverse of gather: a zero [n,classes] tensor with row i's value at column idx[i]. */
    public Tensor scatter(Tensor indices, int classes) { return Indexing.scatter(this, indices, classes); }

    // ---------------------------------------------------------------- softmax family

    /** log softmax along {@code axis}: x - logsumexp(x). */
    public Tensor logSoftmax(int axis) { return SoftmaxOps.logSoftmax(this, axis); }
    /**
     * Training-mode batch normalization over [N, C, ...], one fused op: normalizes each channel
     * with the batch's mean and biased variance, then scales by gamma and shifts by beta (either
     * may be null). Returns the output with the batch statistics; the composed reference is
     * {@link Composed#batchNorm}.
     */
    public static BatchNormResult batchNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        return BatchNormOp.forward(x, gamma, beta, eps);
    }

    /**
     * y[n, c, ...] = x[n, c, ...]·scale[c] + shift[c] in one pass: the evaluation path of the
     * norms (y = x·s + t), the same numbers as {@code x.mul(s).add(t)} with s and t shaped
     * [1, C, 1, ...] (one rounding after the product, one after the sum), without the
     * intermediate tensor. Not recorded for autograd, so it may only run with grad mode off
     * (inference and evaluation); it throws otherwise.
     */
    public static Tensor channelScaleShift(Tensor x, Tensor scale, Tensor shift) {
        return BatchNormOp.scaleShift(x, scale, shift);
    }

    /** softmax along {@code axis}: exp(x - max) / Σ exp(x - max). */
    public Tensor softmax(int axis) { return SoftmaxOps.softmax(this, axis); }

    // ---------------------------------------------------------------- convolution and pooling

    /**
     * 2-D convolution (cross-correlation) of x [N, C, H, W] with w [O, C/groups, kH, kW] plus
     * bias [O] (or null): PyTorch's {@code F.conv2d}. Output [N, O, outH, outW].
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec) { return ConvOps.conv2d(x, w, bias, spec); }
    /** 2-D max pooling of [N, C, H, W] (PyTorch's {@code F.max_pool2d}, ceil_mode false). */
    public Tensor maxPool2d(Pool2dSpec spec) { return PoolOps.maxPool2d(this, spec); }
    /** 2-D average pooling of [N, C, H, W] (PyTorch's {@code F.avg_pool2d}, ceil_mode false). */
    public Tensor avgPool2d(Pool2dSpec spec) { return PoolOps.avgPool2d(this, spec); }
    /** Adaptive average pooling of [N, C, H, W] to [N, C, outH, outW] (PyTorch's {@code F.adaptive_avg_pool2d}). */
    public Tensor adaptiveAvgPool2d(int outH, int outW) { return PoolOps.adaptiveAvgPool2d(this, outH, outW); }
}
