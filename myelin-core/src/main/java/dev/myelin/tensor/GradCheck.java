package dev.myelin.tensor;

import java.util.function.Function;

/**
 * Checks analytic gradients against central differences (Deeplearning4j's and PyTorch's
 * gradcheck algorithm):
 * <pre>
 * numeric_i = (L(x + ε·e_i) − L(x − ε·e_i)) / 2ε,    L(x) = Σ f(x) ⊙ r   (r fixed random)
 * pass when |analytic_i − numeric_i| ≤ atol + rtol·|numeric_i|
 * </pre>
 * Departure from PyTorch: tensors are float32, so the function is evaluated in float32 and
 * only the projection L is accumulated in double. The step and tolerances are scaled to
 * float32 (see {@link #DEFAULT}) instead of gradcheck's double-precision
 * ε = 1e-6, atol = 1e-5, rtol = 1e-3.
 */
public final class GradCheck {
    /** ε = 2e-3, atol = 2e-3, rtol = 1e-2: the float32 settings the test suite uses. */
    public static final GradCheck DEFAULT = new GradCheck(2e-3, 2e-3, 1e-2);

    private final double eps;
    private final double atol;
    private final double rtol;

    public GradCheck(double eps, double atol, double rtol) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    /**
     * Checks d(Σ f(inputs)⊙r)/d(input) for every input that requires grad; throws
     * AssertionError naming the input, the element, both values and the tolerance on failure.
     * Inputs are restored afterwards.
     */
    public void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor y = f.apply(inputs);
        Tensor r = Tensor.uniform(new Rng(12345), -1f, 1f, y.shape);
        for (Tensor in : inputs) {
            in.setGrad(null);
        }
        y.mul(r).sum().backward();
        for (int k = 0; k < inputs.length; k++) {
            Tensor in = inputs[k];
            if (!in.requiresGrad()) {
                continue;
            }
            if (in.grad() == null) {
                throw new AssertionError(name + ": input " + k + " received no gradient");
            }
            float[] analytic = in.grad().toArray();
            for (int i = 0; i < in.data.length; i++) {
                double numeric = numeric(f, inputs, in, i, r);
                double diff = Math.abs(analytic[i] - numeric);
                if (!(diff <= atol + rtol * Math.abs(numeric))) {
                    throw new AssertionError(String.format(
                            "%s: d/d(input %d)[%d]: analytic %.6g vs numeric %.6g (|diff| %.3g > %.3g)",
                            name, k, i, analytic[i], numeric, diff, atol + rtol * Math.abs(numeric)));
                }
            }
        }
    }

    private double numeric(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor in, int i, Tensor r) {
        float orig = in.data[i];
        try (GradMode.Scope s = GradMode.noGrad()) {
            in.data[i] = (float) (orig + eps);
            double plus = project(f.apply(inputs), r);
            in.data[i] = (float) (orig - eps);
            double minus = project(f.apply(inputs), r);
            double h = ((double) (float) (orig + eps) - (double) (float) (orig - eps));
            return (plus - minus) / h;
        } finally {
            in.data[i] = orig;
        }
    }

    private static double project(Tensor y, Tensor r) {
        double s = 0;
        for (int j = 0; j < y.data.length; j++) {
            s += (double) y.data[j] * r.data[j];
        }
        return s;
    }
}
