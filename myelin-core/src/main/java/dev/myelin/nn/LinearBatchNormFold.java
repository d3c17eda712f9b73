package dev.myelin.nn;

import dev.myelin.tensor.Tensor;

/**
 * BN folding for {@link Linear} and {@link BatchNorm1d} on [N, features] (see
 * {@link BatchNormFolding}): Linear then norm gives W' = diag(s)·W, b' = s ⊙ b + t; norm then
 * Linear gives W' = W·diag(s), b' = b + W·t. The result is a new Linear with a bias. Assumes
 * the Linear sees [N, in] (on [N, L, in] a BatchNorm1d would normalize L, not the features).
 */
final class LinearBatchNormFold implements BatchNormFolding.Rule {
    @Override
    public Module foldFollowing(Module layer, NormBase norm, Tensor scale, Tensor shift) {
        if (!(layer instanceof Linear lin) || !(norm instanceof BatchNorm1d) || lin.outFeatures() != norm.numFeatures()) {
            return null;
        }
        Tensor[] wb = BatchNormFolding.scaleOutputs(lin.weight(), lin.bias(), scale, shift);
        return new Linear(wb[0], wb[1]).eval();
    }

    @Override
    public Module foldPreceding(NormBase norm, Module layer, Tensor scale, Tensor shift) {
        if (!(layer instanceof Linear lin) || !(norm instanceof BatchNorm1d) || lin.inFeatures() != norm.numFeatures()) {
            return null;
        }
        Tensor w = lin.weight();
        Tensor wt = w.matmul(shift.reshape(-1, 1)).reshape(-1);
        Tensor b = lin.bias() == null ? wt : lin.bias().add(wt);
        return new Linear(w.mul(scale.reshape(1, -1)).detach().copy(), b.detach().copy()).eval();
    }
}
