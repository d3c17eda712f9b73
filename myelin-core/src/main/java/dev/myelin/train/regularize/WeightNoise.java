package dev.myelin.train.regularize;

import dev.myelin.nn.Module;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.Callback;
import dev.myelin.train.History;
import dev.myelin.train.Stateful;
import dev.myelin.train.TrainContext;
import dev.myelin.train.TrainState;
import java.util.ArrayList;
import java.util.List;

/**
 * Noise on the weights during training ("Deep Feedforward Networks" (Strojové učení II), "Noise in Parameters";
 * Graves 2011, "Practical variational inference for neural networks", here with a fixed
 * variance; Goodfellow et al. 2016, Deep Learning §7.5): each step's forward and backward pass
 * see perturbed weights, and the update is applied to the clean ones:
 * <pre>
 * g = ∇_θ L(f(x; θ + n), y),   n ~ N(0, σ² I)      θ ← step(θ, g)
 * E_n[L(θ + n)] ≈ L(θ) + (σ²/2)·tr ∇²L(θ)          (a curvature penalty; the lecture's
 *                                                   η‖∇_θ f‖² for the squared error)
 * </pre>
 * The noise is added in {@link #onBatchBegin} and the saved clean values are restored in
 * {@link #onBeforeStep}, after the backward pass and before the optimizer reads the weights
 * (a restore, not a subtraction, so no rounding is left behind); evaluation and checkpoints
 * always see clean weights. If training stops between the two (a diverged batch), the weights
 * are restored when training ends. Applies to {@link ParamSelection#WEIGHTS} by default.
 */
public final class WeightNoise implements Callback, Stateful {
    private final double std;
    private final ParamSelection applyTo;
    private final Rng rng;
    private final List<Tensor> noisy = new ArrayList<>();
    private final List<float[]> clean = new ArrayList<>();

    public WeightNoise(double std, ParamSelection applyTo, Rng rng) {
        if (!(std >= 0 && Double.isFinite(std))) {
            throw new IllegalArgumentException("WeightNoise: expected a standard deviation >= 0, got " + std);
        }
        this.std = std;
        this.applyTo = applyTo;
        this.rng = rng;
    }

    public double std() {
        return std;
    }

    @Override
    public void onBatchBegin(TrainContext ctx, int epoch, int batch, int batches) {
        perturb(ctx.model());
    }

    @Override
    public void onBeforeStep(TrainContext ctx) {
        restore();
    }

    @Override
    public void onTrainEnd(TrainContext ctx, History history) {
        restore();
    }

    /** Saves the selected weights and adds N(0, σ²) to each value. */
    void perturb(Module model) {
        restore();
        for (Tensor w : applyTo.select(model).values()) {
            float[] d = w.data();
            clean.add(d.clone());
            noisy.add(w);
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (std * rng.nextGaussian());
            }
        }
    }

    /** Puts the saved clean values back (nothing when no noise is on). */
    void restore() {
        for (int i = 0; i < noisy.size(); i++) {
            System.arraycopy(clean.get(i), 0, noisy.get(i).data(), 0, clean.get(i).length);
        }
        noisy.clear();
        clean.clear();
    }

    @Override
    public String stateName() {
        return "weight_noise";
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
