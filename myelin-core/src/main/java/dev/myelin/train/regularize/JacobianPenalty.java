package dev.myelin.train.regularize;

import dev.myelin.nn.Module;
import dev.myelin.tensor.Autograd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.Regularizer;
import dev.myelin.train.Stateful;
import dev.myelin.train.TrainState;
import java.util.Arrays;
import java.util.List;

/**
 * Jacobian regularization: the squared Frobenius norm of the network's input-output Jacobian,
 * averaged over the batch, penalizes steep changes of the function around the data (Varga et
 * al. 2017, "Gradient regularization improves accuracy of discriminative models"; Hoffman,
 * Roberts &amp; Yaida 2019, "Robust learning with Jacobian regularization";
 * Sun, "Training DNNs: Tricks": "promotes smoothness of the function").
 * <pre>
 * Ω = (1/N) Σ_n ‖J(x_n)‖²_F,   J(x) = ∂f(x)/∂x ∈ R^(C×D)
 * ‖J‖²_F = C · E_v ‖vᵀJ‖²,     v uniform on the unit sphere S^(C−1)
 * Ω̂ = C/(n_proj·N) Σ_k Σ_n ‖v_nkᵀ J(x_n)‖²      (Hoffman et al., Algorithm 1)
 * </pre>
 * Each projection costs one backward pass: vᵀJ for every sample at once is
 * ∂(Σ_n v_n·f(x_n))/∂x. That pass is recorded ({@code createGraph}), so the gradient of Ω̂
 * w.r.t. the weights is double backpropagation (Drucker &amp; LeCun 1992). Ω̂ is unbiased;
 * n_proj = 1 suffices for training (Hoffman et al.), more lowers its variance.
 *
 * <p>The loss gains {@code weight · Ω̂}; Hoffman et al. write λ_JR/2 · Ω̂, so λ_JR = 2·weight.
 * The per-sample Jacobian assumes samples do not interact: with batch norm in training mode
 * the batch statistics couple them and the estimate includes those cross terms.
 *
 * <p>As a {@link Regularizer} it asks the trainer for the input's gradient and draws the
 * projections from its own stream.
 */
public final class JacobianPenalty implements Regularizer, Stateful {
    private final double weight;
    private final int projections;
    private final Rng rng;

    /**
     * @param weight      the coefficient in front of Ω̂, ≥ 0
     * @param projections n_proj ≥ 1, random projections per batch
     * @param rng         the stream the projection vectors are drawn from
     */
    public JacobianPenalty(double weight, int projections, Rng rng) {
        if (!(weight >= 0 && Double.isFinite(weight)) || projections < 1) {
            throw new IllegalArgumentException("JacobianPenalty: expected weight >= 0 and projections >= 1, got weight = "
                    + weight + ", projections = " + projections);
        }
        this.weight = weight;
        this.projections = projections;
        this.rng = rng;
    }

    public double weight() {
        return weight;
    }

    public int projections() {
        return projections;
    }

    /**
     * weight · Ω̂ for outputs {@code out} = f({@code x}) of shape [N, ...], where x [N, ...]
     * requires grad and the forward pass was recorded.
     */
    @Override
    public Tensor penalty(Module model, Tensor x, Tensor out) {
        return estimate(x, out, projections, rng).mul((float) weight);
    }

    @Override
    public boolean needsInputGradient() {
        return true;
    }

    /** Ω̂ with {@code projections} random unit vectors per sample (the estimator above, no weight). */
    public static Tensor estimate(Tensor x, Tensor out, int projections, Rng rng) {
        checkGraph(x, out);
        int n = out.size(0);
        int c = out.numel() / n;
        Tensor sum = Tensor.scalar(0f);
        for (int k = 0; k < projections; k++) {
            sum = sum.add(squaredNorm(vectorJacobian(x, out, unitVectors(rng, n, c).reshape(out.shape()))));
        }
        return sum.mul((float) c / ((float) projections * n));
    }

    /** Ω exactly, (1/N) Σ_n ‖J(x_n)‖²_F, with one backward pass per output coordinate (C passes). */
    public static Tensor exact(Tensor x, Tensor out) {
        checkGraph(x, out);
        int n = out.size(0);
        int c = out.numel() / n;
        Tensor sum = Tensor.scalar(0f);
        for (int j = 0; j < c; j++) {
            float[] e = new float[n * c];
            for (int i = 0; i < n; i++) {
                e[i * c + j] = 1f;
            }
            sum = sum.add(squaredNorm(vectorJacobian(x, out, Tensor.of(e, out.shape()))));
        }
        return sum.mul(1f / n);
    }

    /** Rows v_nᵀ J(x_n) stacked as x's shape: ∂(Σ v ⊙ out)/∂x, kept differentiable. */
    private static Tensor vectorJacobian(Tensor x, Tensor out, Tensor v) {
        return Autograd.grad(out, List.of(x), v, true).get(0);
    }

    private static Tensor squaredNorm(Tensor t) {
        return t.mul(t).sum();
    }

    /** n vectors of length c, each uniform on the unit sphere (normalized standard normals). */
    static Tensor unitVectors(Rng rng, int n, int c) {
        float[] v = new float[n * c];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < c; j++) {
                double g = rng.nextGaussian();
                v[i * c + j] = (float) g;
                norm += g * g;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < c; j++) {
                v[i * c + j] *= inv;
            }
        }
        return Tensor.of(v, n, c);
    }

    private static void checkGraph(Tensor x, Tensor out) {
        if (!x.requiresGrad() || !out.requiresGrad() || out.dim() < 1 || x.dim() < 1 || out.size(0) != x.size(0)) {
            throw new IllegalArgumentException("JacobianPenalty: expected the input x [N, ...] to require grad and the "
                    + "output [N, ...] to be computed from it with grad mode on; got x " + Arrays.toString(x.shape())
                    + (x.requiresGrad() ? "" : " (no grad)") + ", output " + Arrays.toString(out.shape())
                    + (out.requiresGrad() ? "" : " (no graph)"));
        }
    }

    @Override
    public String stateName() {
        return "jacobian";
    }

    @Override
    public void saveState(TrainState into) {
        into.put("stream", rng.state());
    }

    @Override
    public void loadState(TrainState from) {
        rng.setState(from.getLong("stream"));
    }
}
