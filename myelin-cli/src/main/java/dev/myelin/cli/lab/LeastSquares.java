package dev.myelin.cli.lab;

import dev.myelin.data.Dataset;
import dev.myelin.linalg.SymmetricEigen;
import java.util.ArrayList;
import java.util.List;

/**
 * Least squares with an intercept, as the quadratic it is, and full-batch gradient descent on it
 * (the lectures' first example, training-dnns-tricks: "Why scaling matters?"):
 *
 * <pre>
 * f(θ) = (1/m) Σᵢ (yᵢ − wᵀxᵢ − b)²  =  θᵀSθ − 2cᵀθ + q,    θ = (w, b),  A = [X 1],  S = AᵀA/m,  c = Aᵀy/m
 * ∇f(θ) = 2(Sθ − c),    Hessian H = 2S,    f(θ) − f* = (θ − θ*)ᵀ S (θ − θ*)
 * </pre>
 *
 * <p>Gradient descent with a fixed step η: θ ← θ − η∇f(θ). Each step costs O(p²) with the
 * sufficient statistics S and c, and is exactly the full-batch step on the m samples. Sums are in
 * double precision; the suboptimality is measured through θ − θ* (θ* from the eigendecomposition
 * of S), so it does not lose digits to cancellation near the optimum.
 */
final class LeastSquares {
    /** A run of gradient descent: its iterations to the tolerance (−1 if not reached) and sampled curve. */
    record Trace(long iterations, double learningRate, List<double[]> curve) {
    }

    private final int p;
    private final double[] s;
    private final double[] c;
    private final double[] optimum;
    private final SymmetricEigen hessian;

    private LeastSquares(int p, double[] s, double[] c) {
        this.p = p;
        this.s = s;
        this.c = c;
        double[] h = new double[p * p];
        for (int i = 0; i < h.length; i++) {
            h[i] = 2 * s[i];
        }
        this.hessian = SymmetricEigen.of(h, p);
        this.optimum = solve();
    }

    /** The problem of regressing {@code y} on the features of {@code x} plus an intercept. */
    static LeastSquares of(Dataset x, double[] y) {
        int m = x.size();
        int d = x.featureSize();
        int p = d + 1;
        double[] s = new double[p * p];
        double[] c = new double[p];
        float[] row = new float[d];
        double[] a = new double[p];
        for (int i = 0; i < m; i++) {
            x.features(i, row, 0);
            for (int j = 0; j < d; j++) {
                a[j] = row[j];
            }
            a[d] = 1;
            for (int j = 0; j < p; j++) {
                c[j] += a[j] * y[i] / m;
                for (int k = 0; k < p; k++) {
                    s[j * p + k] += a[j] * a[k] / m;
                }
            }
        }
        return new LeastSquares(p, s, c);
    }

    /** The eigenvalues of the Hessian H = 2S, largest first. */
    SymmetricEigen hessian() {
        return hessian;
    }

    /** λmax / λmin of the Hessian. */
    double conditionNumber() {
        return hessian.conditionNumber();
    }

    /**
     * The best fixed step for a quadratic, {@code η = 2 / (λmax + λmin)}: it minimizes the worst
     * contraction {@code max |1 − ηλ| = (κ − 1)/(κ + 1)} (Polyak, "Introduction to Optimization",
     * 1987, section 1.4; Nesterov, "Lectures on Convex Optimization", theorem 2.1.15).
     */
    double bestStep() {
        return 2 / (hessian.value(0) + hessian.value(p - 1));
    }

    /**
     * Gradient descent from θ = 0 with step η until {@code (f − f*)/(f₀ − f*) ≤ tol} or
     * {@code maxIterations}. The curve holds (iteration, relative gap) for every iteration up to 100,
     * then about every 2 %.
     */
    Trace descend(double eta, double tol, long maxIterations) {
        double[] theta = new double[p];
        double[] grad = new double[p];
        double gap0 = gap(theta);
        List<double[]> curve = new ArrayList<>();
        curve.add(new double[] {0, 1});
        long next = 1;
        for (long t = 1; t <= maxIterations; t++) {
            for (int j = 0; j < p; j++) {
                double v = -c[j];
                for (int k = 0; k < p; k++) {
                    v += s[j * p + k] * theta[k];
                }
                grad[j] = 2 * v;
            }
            for (int j = 0; j < p; j++) {
                theta[j] -= eta * grad[j];
            }
            double rel = gap(theta) / gap0;
            boolean done = rel <= tol || !Double.isFinite(rel);
            if (t == next || done) {
                curve.add(new double[] {t, rel});
                next = t < 100 ? t + 1 : Math.max(t + 1, (long) (t * 1.02));
            }
            if (done) {
                return new Trace(Double.isFinite(rel) ? t : -1, eta, curve);
            }
        }
        return new Trace(-1, eta, curve);
    }

    /**
     * The iterations the worst-case bound promises: the slowest mode's gap shrinks by
     * {@code ((κ−1)/(κ+1))²} per step, so {@code ⌈ln(tol) / (2 ln((κ−1)/(κ+1)))⌉}.
     */
    long boundIterations(double tol) {
        double k = conditionNumber();
        double r = (k - 1) / (k + 1);
        return r <= 0 ? 1 : (long) Math.ceil(Math.log(tol) / (2 * Math.log(r)));
    }

    /** f(θ) − f* = (θ − θ*)ᵀ S (θ − θ*). */
    private double gap(double[] theta) {
        double g = 0;
        for (int j = 0; j < p; j++) {
            double ej = theta[j] - optimum[j];
            for (int k = 0; k < p; k++) {
                g += ej * s[j * p + k] * (theta[k] - optimum[k]);
            }
        }
        return g;
    }

    /** θ* = S⁻¹c = Σ uᵢ (uᵢᵀc) / μᵢ over the eigenpairs of S (μᵢ = λᵢ/2). */
    private double[] solve() {
        double[] theta = new double[p];
        for (int i = 0; i < p; i++) {
            double mu = hessian.value(i) / 2;
            if (!(mu > 0)) {
                throw new IllegalStateException("least squares: the features are linearly dependent (Hessian"
                        + " eigenvalue " + hessian.value(i) + "); the problem has no unique minimum");
            }
            double dot = 0;
            for (int k = 0; k < p; k++) {
                dot += hessian.vector(i, k) * c[k];
            }
            for (int k = 0; k < p; k++) {
                theta[k] += hessian.vector(i, k) * dot / mu;
            }
        }
        return theta;
    }
}
