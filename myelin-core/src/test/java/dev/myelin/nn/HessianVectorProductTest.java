package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Autograd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Second-order autograd through a whole network: the Hessian-vector product of a small MLP's
 * loss, Hv = ∇_w (∇_w L · v) (Pearlmutter 1994, computed with createGraph), matches central
 * differences of the gradient, (∇L(w + εv) − ∇L(w − εv)) / 2ε, over all parameters as one
 * vector.
 *
 * <p>Step and tolerance: the network runs in float32, so the finite difference has a
 * truncation error ∝ ε² and a rounding error ≈ 2⁻²⁴·|∇L|/ε that grows as ε shrinks. Measured
 * on this network (worst element over all 26 parameters, MSE loss, |Hv| up to 2.9):
 * ε = 1e-2: 2e-3, 3e-3: 1.8e-4, 1e-3: 4.3e-5, 5e-4: 2e-4, 2e-4: 2.6e-4; ε = 1e-3 is the
 * sweet spot. The check is |Hv − fd| ≤ 5e-4 + 1e-2·|fd| per element: over 10 times the
 * observed error, yet a wrong or missing second-order term (an error of order |Hv| ~ 0.1-1)
 * fails it, and ‖Hv‖ must be O(1) so an all-zero Hv cannot pass.
 */
class HessianVectorProductTest {
    private static final double EPS = 1e-3;
    private static final double ATOL = 5e-4;
    private static final double RTOL = 1e-2;

    @ParameterizedTest
    @ValueSource(strings = {"mse", "cross_entropy"})
    void hessianVectorProductMatchesFiniteDifferencesOfTheGradient(String lossName) {
        Rng rng = new Rng(2024);
        Sequential model = new Sequential(new Linear(3, 4, rng), Activation.tanh(), new Linear(4, 2, rng));
        Tensor x = Tensor.randn(rng, 6, 3);
        Tensor target = lossName.equals("mse") ? Tensor.randn(rng, 6, 2)
                : Tensor.of(new float[] {0, 1, 1, 0, 1, 0}, 6);
        Loss loss = lossName.equals("mse") ? Loss.mse() : Loss.crossEntropy();
        List<Tensor> w = model.parameters();
        List<Tensor> v = new ArrayList<>();
        for (Tensor p : w) {
            v.add(Tensor.randn(rng, p.shape()));
        }

        double[] hv = flat(hessianVector(model, loss, x, target, w, v));
        double[] fd = finiteDifference(model, loss, x, target, w, v);

        double norm = 0;
        for (int i = 0; i < hv.length; i++) {
            double diff = Math.abs(hv[i] - fd[i]);
            assertTrue(diff <= ATOL + RTOL * Math.abs(fd[i]),
                    lossName + ": (Hv)[" + i + "] = " + hv[i] + ", finite difference " + fd[i]);
            norm += hv[i] * hv[i];
        }
        assertEquals(model.parameterCount(), hv.length);
        assertTrue(Math.sqrt(norm) > 0.05, lossName + ": ‖Hv‖ = " + Math.sqrt(norm) + " is too small to test anything");
    }

    /** ∇_w (∇_w L · v), the gradient of the first gradient kept as a graph. */
    private static List<Tensor> hessianVector(Module model, Loss loss, Tensor x, Tensor target,
                                              List<Tensor> w, List<Tensor> v) {
        Tensor l = loss.apply(model.forward(x), target);
        List<Tensor> g = Autograd.grad(l, w, null, true);
        Tensor dot = Tensor.scalar(0f);
        for (int i = 0; i < w.size(); i++) {
            dot = dot.add(g.get(i).mul(v.get(i)).sum());
        }
        return Autograd.grad(dot, w, null, false);
    }

    private static double[] finiteDifference(Module model, Loss loss, Tensor x, Tensor target,
                                             List<Tensor> w, List<Tensor> v) {
        List<float[]> saved = w.stream().map(Tensor::toArray).toList();
        double[] plus = gradientAt(model, loss, x, target, w, v, saved, EPS);
        double[] minus = gradientAt(model, loss, x, target, w, v, saved, -EPS);
        for (int i = 0; i < w.size(); i++) {
            w.get(i).copyFrom(Tensor.of(saved.get(i), w.get(i).shape()));
        }
        double[] fd = new double[plus.length];
        for (int i = 0; i < fd.length; i++) {
            fd[i] = (plus[i] - minus[i]) / (2 * EPS);
        }
        return fd;
    }

    /** ∇L at w + step·v (w restored from {@code saved} first). */
    private static double[] gradientAt(Module model, Loss loss, Tensor x, Tensor target, List<Tensor> w,
                                       List<Tensor> v, List<float[]> saved, double step) {
        for (int i = 0; i < w.size(); i++) {
            float[] p = w.get(i).data();
            float[] d = v.get(i).data();
            for (int j = 0; j < p.length; j++) {
                p[j] = (float) (saved.get(i)[j] + step * d[j]);
            }
        }
        return flat(Autograd.grad(loss.apply(model.forward(x), target), w, null, false));
    }

    private static double[] flat(List<Tensor> ts) {
        int n = ts.stream().mapToInt(Tensor::numel).sum();
        double[] out = new double[n];
        int k = 0;
        for (Tensor t : ts) {
            for (float f : t.data()) {
                out[k++] = f;
            }
        }
        return out;
    }
}
