package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;

/**
 * BN folding for {@link Conv2d} and {@link BatchNorm2d} (see {@link BatchNormFolding};
 * Fleuret, "EE-559 Deep Learning, 6. Going deeper": batch norm next to a linear layer "can be integrated in it by changing its
 * weights and biases appropriately"; a convolution is linear, per output channel o):
 * <pre>
 * conv then norm:  W'[o] = s_o·W[o],             b'_o = s_o·b_o + t_o
 * norm then conv:  W'[o, c] = W[o, c]·s_c,       b'_o = b_o + Σ_{c,u,v} W[o, c, u, v]·t_c
 * </pre>
 * The second holds only without zero padding (a padded border sees 0, not the shifted t_c) and
 * with one group, so other convolutions are not folded there. The result is a new Conv2d with a
 * bias and the same stride, padding, dilation and groups.
 */
final class ConvBatchNormFold implements BatchNormFolding.Rule {
    @Override
    public Module foldFollowing(Module layer, NormBase norm, Tensor scale, Tensor shift) {
        if (!(layer instanceof Conv2d conv) || !(norm instanceof BatchNorm2d) || conv.outChannels() != norm.numFeatures()) {
            return null;
        }
        Tensor[] wb = BatchNormFolding.scaleOutputs(conv.weight(), conv.bias(), scale, shift);
        return like(conv, wb[0], wb[1]);
    }

    @Override
    public Module foldPreceding(NormBase norm, Module layer, Tensor scale, Tensor shift) {
        if (!(layer instanceof Conv2d conv) || !(norm instanceof BatchNorm2d) || conv.inChannels() != norm.numFeatures()
                || conv.spec().groups() != 1 || conv.spec().padH() != 0 || conv.spec().padW() != 0) {
            return null;
        }
        Tensor w = conv.weight();
        Tensor wt = w.mul(shift.reshape(1, -1, 1, 1)).sum(new int[] {1, 2, 3}, false);
        Tensor b = conv.bias() == null ? wt : conv.bias().add(wt);
        return like(conv, w.mul(scale.reshape(1, -1, 1, 1)), b);
    }

    /** A Conv2d with {@code conv}'s geometry, the given weight and a bias. */
    private static Conv2d like(Conv2d conv, Tensor weight, Tensor bias) {
        int[] k = conv.weight().shape();
        Conv2d out = new Conv2d(conv.inChannels(), conv.outChannels(), k[2], k[3], conv.spec(), true, new Rng(0));
        out.weight().copyFrom(weight.detach());
        out.bias().copyFrom(bias.detach());
        out.eval();
        return out;
    }
}
