package dev.myelin.nn;

import dev.myelin.tensor.Conv2dSpec;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A residual block y = σ(F(x) + S(x)) (He et al. 2015, "Deep Residual Learning for Image
 * Recognition", arXiv:1512.03385; Fleuret, "EE-559 Deep Learning, 6. Going deeper", "Residual networks"): the branch F is a chain
 * of bias-free convolutions each followed by batch norm, with ReLU between them; S is the
 * identity, or a {@link Shortcut} where the block changes the shape. {@link BasicBlock} and
 * {@link Bottleneck} choose the convolutions.
 * <pre>
 * post-activation (2015):  h = x;  h = ReLU(BN_i(conv_i(h))) for i &lt; k;  y = ReLU(BN_k(conv_k(h)) + S(x))
 * pre-activation  (2016):  a = ReLU(BN_1(x));  h = conv_1(a);  h = conv_i(ReLU(BN_i(h))) for i &gt; 1;  y = h + S'
 * </pre>
 * Pre-activation is He et al. 2016, "Identity Mappings in Deep Residual Networks"
 * (arXiv:1603.05027): nothing follows the addition, so the identity path is clean; there a
 * projection shortcut takes the pre-activated a, the other shortcuts x.
 *
 * <p>Optional stochastic depth (Huang et al. 2016, arXiv:1603.09382; see {@link StochasticDepth}):
 * with survival probability p &lt; 1 the branch is skipped for a whole mini-batch with
 * probability 1 − p in training and scaled by p in eval, inside the block so the state-dict keys
 * stay torchvision's: {@code conv1.weight}, {@code bn1.weight}, {@code bn1.running_mean}, ...,
 * {@code downsample.0.weight}, {@code downsample.1.*} (the projection's conv and BN).
 */
public class ResidualBlock extends Module {
    private final List<Conv2d> convs;
    private final List<BatchNorm2d> norms;
    private final Module downsample;
    private final boolean preact;
    private final double survival;
    private final Rng rng;

    /**
     * @param convs    the branch's convolutions, in order (bias-free, as torchvision's)
     * @param shortcut used when the branch changes the shape from {@code in} channels
     * @param preact   pre-activation order (BN-ReLU-conv)
     * @param survival stochastic depth's survival probability p in (0, 1]; 1 turns it off
     * @param rng      stochastic depth's draws (may be null when p = 1)
     */
    protected ResidualBlock(List<Conv2d> convs, Shortcut shortcut, boolean preact, double survival, Rng rng) {
        this(convs, norms(convs, preact), downsample(convs, shortcut, preact, rng), preact, survival, rng);
    }

    /** A block from its parts; a null norm is the identity (a folded block). */
    ResidualBlock(List<Conv2d> convs, List<BatchNorm2d> norms, Module downsample, boolean preact, double survival,
                  Rng rng) {
        if (!(survival > 0 && survival <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected a survival probability in (0, 1],"
                    + " got " + survival);
        }
        this.convs = List.copyOf(convs);
        this.norms = new ArrayList<>(norms);
        for (int i = 0; i < convs.size(); i++) {
            String n = Integer.toString(i + 1);
            if (preact && norms.get(i) != null) {
                child("bn" + n, norms.get(i));
            }
            child("conv" + n, convs.get(i));
            if (!preact && norms.get(i) != null) {
                child("bn" + n, norms.get(i));
            }
        }
        this.downsample = downsample == null ? null : child("downsample", downsample);
        this.preact = preact;
        this.survival = survival;
        this.rng = rng;
    }

    private static List<BatchNorm2d> norms(List<Conv2d> convs, boolean preact) {
        List<BatchNorm2d> out = new ArrayList<>();
        for (Conv2d c : convs) {
            out.add(new BatchNorm2d(preact ? c.inChannels() : c.outChannels()));
        }
        return out;
    }

    /** The shortcut's module for this branch, or null for the identity. */
    private static Module downsample(List<Conv2d> convs, Shortcut kind, boolean preact, Rng rng) {
        int in = convs.get(0).inChannels();
        int out = convs.get(convs.size() - 1).outChannels();
        int stride = 1;
        for (Conv2d c : convs) {
            stride *= c.spec().strideH();
        }
        if (in == out && stride == 1) {
            return null;
        }
        if (kind == Shortcut.PAD) {
            if (out < in) {
                throw new IllegalArgumentException("ResidualBlock: the pad shortcut can add channels, not remove them ("
                        + in + " -> " + out + "); use the projection shortcut");
            }
            return new PadShortcut(out - in, stride);
        }
        Conv2d proj = conv(in, out, 1, stride, rng.split("downsample"));
        return preact ? new Sequential(proj) : new Sequential(proj, new BatchNorm2d(out));
    }

    /** A bias-free k×k convolution with padding k/2 (a ResNet convolution). */
    static Conv2d conv(int in, int out, int k, int stride, Rng rng) {
        return new Conv2d(in, out, k, k, Conv2dSpec.of(stride, k / 2, 1, 1), false, rng);
    }

    public boolean preact() {
        return preact;
    }

    public double survival() {
        return survival;
    }

    /** The branch's convolutions, in order. */
    public List<Conv2d> convs() {
        return convs;
    }

    /** The branch's norms, in order (null entries where folded away). */
    public List<BatchNorm2d> norms() {
        return java.util.Collections.unmodifiableList(norms);
    }

    /** The shortcut module, or null for the identity. */
    public Module downsample() {
        return downsample;
    }

    /** The number of input channels. */
    public int inChannels() {
        return convs.get(0).inChannels();
    }

    /** The number of output channels. */
    public int outChannels() {
        return convs.get(convs.size() - 1).outChannels();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + inChannels() + ", " + outChannels() + (preact ? ", preact" : "")
                + (survival < 1 ? ", survival=" + survival : "") + (downsample != null ? ", " + downsample : "") + ")";
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean keep = !isTraining() || survival >= 1 || rng.nextDouble() < survival;
        return preact ? forwardPreact(x, keep) : forwardPost(x, keep);
    }

    private Tensor forwardPost(Tensor x, boolean keep) {
        Tensor sc = downsample == null ? x : downsample.forward(x);
        if (!keep) {
            return sc.relu();
        }
        Tensor h = x;
        for (int i = 0; i < convs.size(); i++) {
            h = norm(i, convs.get(i).forward(h));
            if (i < convs.size() - 1) {
                h = h.relu();
            }
        }
        return scaled(h).add(sc).relu();
    }

    private Tensor forwardPreact(Tensor x, boolean keep) {
        Tensor a = norm(0, x).relu();
        Tensor sc = downsample == null ? x : downsample.forward(downsample instanceof PadShortcut ? x : a);
        if (!keep) {
            return sc;
        }
        Tensor h = convs.get(0).forward(a);
        for (int i = 1; i < convs.size(); i++) {
            h = convs.get(i).forward(norm(i, h).relu());
        }
        return scaled(h).add(sc);
    }

    private Tensor norm(int i, Tensor h) {
        BatchNorm2d bn = norms.get(i);
        return bn == null ? h : bn.forward(h);
    }

    /** Eval mode with stochastic depth: the expected branch p·F(x), as the paper. */
    private Tensor scaled(Tensor h) {
        return isTraining() || survival >= 1 ? h : h.mul((float) survival);
    }

    /**
     * This block for inference with every conv→BN pair folded into one convolution with a bias
     * (post-activation only: in pre-activation a ReLU separates each BN from its convolution);
     * the projection shortcut's conv and BN fold too. Returns this block when nothing folds.
     */
    BatchNormFolding.Folded foldBatchNorm() {
        if (preact) {
            return new BatchNormFolding.Folded(this, 0);
        }
        List<Conv2d> fc = new ArrayList<>();
        List<BatchNorm2d> fn = new ArrayList<>();
        int folded = 0;
        for (int i = 0; i < convs.size(); i++) {
            Module m = BatchNormFolding.merge(convs.get(i), norms.get(i));
            fc.add(m instanceof Conv2d c ? c : convs.get(i));
            fn.add(m instanceof Conv2d ? null : norms.get(i));
            folded += m instanceof Conv2d ? 1 : 0;
        }
        Module ds = downsample;
        if (downsample instanceof Sequential s) {
            BatchNormFolding.Result r = BatchNormFolding.foldLayers(s.layers());
            ds = r.model();
            folded += r.folded();
        }
        ResidualBlock out = new ResidualBlock(fc, fn, ds, false, survival, rng);
        out.eval();
        return new BatchNormFolding.Folded(out, folded);
    }

    @Override
    protected Map<String, Rng> ownStreams() {
        return rng == null ? Map.of() : Map.of("rng", rng);
    }
}
