package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.linalg.SymmetricEigen;
import dev.myelin.tensor.Rng;
import org.junit.jupiter.api.Test;

/** PCA, PCA whitening and ZCA whitening on correlated Gaussian data with very different scales. */
class ProjectionTest {
    private static final int D = 6;

    /** x = μ + A z with z ~ N(0, I): features correlated and scaled from 0.1 to 10. */
    static ArrayDataset correlated(int n, long seed, float shift) {
        Rng rng = new Rng(seed);
        Rng mix = new Rng(99); // the same A for every sample set
        double[][] a = new double[D][D];
        for (int i = 0; i < D; i++) {
            double scale = Math.pow(10, i * 2.0 / (D - 1) - 1);
            for (int j = 0; j < D; j++) {
                a[i][j] = scale * ((i == j ? 1 : 0) + 0.8 * mix.nextGaussian());
            }
        }
        float[] x = new float[n * D];
        double[] z = new double[D];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < D; j++) {
                z[j] = rng.nextGaussian();
            }
            for (int i = 0; i < D; i++) {
                double v = 5 * i + shift;
                for (int j = 0; j < D; j++) {
                    v += a[i][j] * z[j];
                }
                x[s * D + i] = (float) v;
            }
        }
        return new ArrayDataset(x, new int[] {D}, new float[n], 0);
    }

    static void assertCovariance(double[] expected, Covariance c, double tol) {
        int d = c.features();
        for (int i = 0; i < d; i++) {
            assertEquals(0, c.mean()[i], tol, "mean " + i);
            for (int j = 0; j < d; j++) {
                assertEquals(expected[i * d + j], c.get(i, j), tol, "covariance (" + i + ", " + j + ")");
            }
        }
    }

    static double[] identity(int d) {
        double[] id = new double[d * d];
        for (int i = 0; i < d; i++) {
            id[i * d + i] = 1;
        }
        return id;
    }

    @Test
    void whitenedTrainingDataHasIdentityCovariance() {
        ArrayDataset train = correlated(3000, 1, 0);
        assertTrue(SymmetricEigen.of(Covariance.of(train).matrix(), D).conditionNumber() > 1e3, "ill-conditioned input");
        Covariance zca = Covariance.of(Projection.zca(train, 0).apply(train));
        assertCovariance(identity(D), zca, 2e-3);
        Covariance pcaw = Covariance.of(Projection.pcaWhiten(train, D, 0).apply(train));
        assertCovariance(identity(D), pcaw, 2e-3);
        // with eps the whitened variances are λ/(λ+ε) < 1: smallest-variance axis shrinks the most
        Covariance damped = Covariance.of(Projection.pcaWhiten(train, D, 1.0).apply(train));
        double lmin = SymmetricEigen.of(Covariance.of(train).matrix(), D).value(D - 1);
        assertEquals(lmin / (lmin + 1), damped.get(D - 1, D - 1), 1e-3);
    }

    @Test
    void zcaIsSymmetricAndStaysClosestToTheInput() {
        ArrayDataset train = correlated(3000, 2, 0);
        Projection zca = Projection.zca(train, 0);
        float[] w = zca.matrix();
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                assertEquals(w[i * D + j], w[j * D + i], 1e-6f * Math.abs(w[i * D + j]) + 1e-9f, "W symmetric at " + i + "," + j);
            }
        }
        // Every whitening Q·W (Q orthogonal) has identity covariance; ZCA (Q = I) moves the centred
        // data the least. PCA whitening is Q = Uᵀ; try random rotations too.
        double zcaDist = distanceToCentredInput(train, zca.apply(train), zca.mean());
        Projection pcaw = Projection.pcaWhiten(train, D, 0);
        assertTrue(zcaDist < distanceToCentredInput(train, pcaw.apply(train), zca.mean()), "ZCA closer than PCA whitening");
        Rng rng = new Rng(7);
        for (int t = 0; t < 5; t++) {
            float[] q = randomRotation(rng);
            float[] qw = new float[D * D];
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    double v = 0;
                    for (int k = 0; k < D; k++) {
                        v += (double) q[i * D + k] * w[k * D + j];
                    }
                    qw[i * D + j] = (float) v;
                }
            }
            Projection rotated = Projection.of(Projection.Kind.ZCA, 0, zca.mean(), qw);
            assertCovariance(identity(D), Covariance.of(rotated.apply(train)), 3e-3);
            assertTrue(zcaDist < distanceToCentredInput(train, rotated.apply(train), zca.mean()), "rotation " + t);
        }
    }

    @Test
    void pcaKeepsTheTopKVariance() {
        ArrayDataset train = correlated(2000, 3, 0);
        Covariance c = Covariance.of(train);
        SymmetricEigen e = SymmetricEigen.of(c.matrix(), D);
        int k = 2;
        Projection pca = Projection.pca(train, k);
        ArrayDataset out = pca.apply(train);
        assertArrayEquals(new int[] {k}, out.featureShape());
        Covariance oc = Covariance.of(out);
        double kept = 0;
        for (int i = 0; i < k; i++) {
            assertEquals(e.value(i), oc.get(i, i), 1e-4 * e.value(0), "variance of component " + i);
            kept += oc.get(i, i);
        }
        assertEquals(0, oc.get(0, 1), 1e-4 * e.value(0), "components uncorrelated");
        // No other k-dimensional orthonormal projection keeps more variance.
        Rng rng = new Rng(11);
        for (int t = 0; t < 20; t++) {
            float[] q = randomRotation(rng);
            double other = 0;
            for (int r = 0; r < k; r++) {
                for (int i = 0; i < D; i++) {
                    for (int j = 0; j < D; j++) {
                        other += q[r * D + i] * c.get(i, j) * q[r * D + j];
                    }
                }
            }
            assertTrue(other <= kept * (1 + 1e-6), "random projection " + t + " keeps " + other + " > " + kept);
        }
        double total = 0;
        for (int i = 0; i < D; i++) {
            total += c.get(i, i);
        }
        assertTrue(kept / total > 0.9, "two of six axes hold most of the variance here: " + kept / total);
    }

    @Test
    void statisticsComeFromTheTrainingSplitOnly() {
        ArrayDataset train = correlated(1500, 4, 0);
        ArrayDataset validation = correlated(500, 5, 1000);
        ArrayDataset test = correlated(500, 6, -1000);
        Splits raw = new Splits(train, validation, test);
        Preprocessing p = Preprocessing.fit(java.util.List.of(new PreprocessStep.Standardize(true),
                new PreprocessStep.Zca(0)), raw.train());
        Splits done = p.apply(raw);
        // Fitted on training data alone: training output is exactly white. Had the shifted validation
        // or test samples entered the mean or covariance, it would be far from it.
        assertCovariance(identity(D), Covariance.of(done.train()), 2e-3);
        // the other splits keep their offset (relative to the training mean), seen through the same map
        assertTrue(Covariance.of(done.validation()).mean()[0] > 10, "validation keeps its shift");
        assertTrue(Covariance.of(done.test()).mean()[0] < -10, "test keeps its shift");
        // and the same transform is what a fit on the training split alone gives
        Projection alone = Projection.zca(Standardizer.fitPerFeature(train).apply(train), 0);
        assertArrayEquals(alone.matrix(), ((Projection) p.steps().get(1)).matrix(), 0f);
    }

    @Test
    void savedPartsRebuildTheSameMapAndShapesFollowTheKind() {
        float[] x = new float[40 * 4];
        Rng rng = new Rng(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian() * (1 + i % 4);
        }
        ArrayDataset images = new ArrayDataset(x, new int[] {1, 2, 2}, new float[40], 0);
        Projection zca = Projection.zca(images, 0.01);
        Projection back = Projection.of(zca.kind(), zca.eps(), zca.mean(), zca.matrix());
        float[] a = new float[4];
        float[] b = new float[4];
        zca.apply(images).features(5, a, 0);
        back.apply(images).features(5, b, 0);
        assertArrayEquals(a, b, 0f);
        assertArrayEquals(new int[] {1, 2, 2}, zca.apply(images).featureShape(), "ZCA keeps the image shape");
        assertArrayEquals(new int[] {3}, Projection.pcaWhiten(images, 3, 0.01).apply(images).featureShape());
        assertArrayEquals(new int[] {3}, Preprocessing.fit(java.util.List.of(new PreprocessStep.Standardize(false),
                new PreprocessStep.Pca(3)), images).outputShape(new int[] {1, 2, 2}));
    }

    @Test
    void errorsNameTheStepWhatWasExpectedAndWhatToDo() {
        ArrayDataset train = correlated(50, 1, 0);
        var tooMany = assertThrows(DataException.class, () -> Preprocessing.fit(java.util.List.of(
                new PreprocessStep.Standardize(false), new PreprocessStep.Pca(7)), train));
        assertTrue(tooMany.getMessage().contains("preprocess[1]") && tooMany.getMessage().contains("1..6")
                && tooMany.getMessage().contains("received 7"), tooMany.getMessage());
        // a constant feature has zero variance: whitening with eps 0 cannot divide by it
        float[] x = new float[20 * 2];
        for (int i = 0; i < 20; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 3;
        }
        ArrayDataset flat = new ArrayDataset(x, new int[] {2}, new float[20], 0);
        var zero = assertThrows(DataException.class, () -> Projection.zca(flat, 0));
        assertTrue(zero.getMessage().contains("eps > 0"), zero.getMessage());
        Covariance ok = Covariance.of(Projection.zca(flat, 1e-3).apply(flat));
        assertEquals(0, ok.get(1, 1), 1e-6, "the constant direction stays at 0 variance with eps > 0");
        var width = assertThrows(DataException.class, () -> Projection.pca(train, 2).apply(flat));
        assertTrue(width.getMessage().contains("fitted on 6 features") && width.getMessage().contains("received 2"),
                width.getMessage());
    }

    private static double distanceToCentredInput(ArrayDataset in, ArrayDataset out, float[] mean) {
        float[] a = new float[D];
        float[] b = new float[D];
        double sum = 0;
        for (int s = 0; s < in.size(); s++) {
            in.features(s, a, 0);
            out.features(s, b, 0);
            for (int j = 0; j < D; j++) {
                double diff = b[j] - (a[j] - mean[j]);
                sum += diff * diff;
            }
        }
        return sum / in.size();
    }

    /** A random orthogonal D×D matrix: Gram-Schmidt on Gaussian rows. */
    private static float[] randomRotation(Rng rng) {
        double[][] q = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                q[i][j] = rng.nextGaussian();
            }
            for (int p = 0; p < i; p++) {
                double dot = 0;
                for (int j = 0; j < D; j++) {
                    dot += q[i][j] * q[p][j];
                }
                for (int j = 0; j < D; j++) {
                    q[i][j] -= dot * q[p][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < D; j++) {
                norm += q[i][j] * q[i][j];
            }
            for (int j = 0; j < D; j++) {
                q[i][j] /= Math.sqrt(norm);
            }
        }
        float[] f = new float[D * D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                f[i * D + j] = (float) q[i][j];
            }
        }
        return f;
    }
}
