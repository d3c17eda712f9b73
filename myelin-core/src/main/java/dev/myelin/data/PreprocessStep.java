package dev.myelin.data;

/**
 * One step of a preprocessing pipeline before it has seen data: what to fit. {@link #fit} learns
 * the statistics from the training split and returns the {@link Preprocessor} that applies them.
 * The config spelling of each step is its {@link #name()} ({@code standardize}, {@code pca},
 * {@code pca_whiten}, {@code zca}, {@code resize}).
 */
public sealed interface PreprocessStep {

    /** The config name of the step. */
    String name();

    /** Fits the step's statistics on {@code train} only. */
    Preprocessor fit(Dataset train);

    /**
     * Standardization, {@code x' = (x − mean) / std}: one mean and std over all values ({@code perFeature}
     * false, what BENCHMARKS.md does for pixels), or one per feature.
     */
    record Standardize(boolean perFeature) implements PreprocessStep {
        @Override
        public String name() {
            return "standardize";
        }

        @Override
        public Preprocessor fit(Dataset train) {
            return perFeature ? Standardizer.fitPerFeature(train) : Standardizer.fitScalar(train);
        }
    }

    /** PCA onto the {@code components} axes of largest variance; 0 keeps all D. */
    record Pca(int components) implements PreprocessStep {
        public Pca {
            requireComponents("pca", components);
        }

        @Override
        public String name() {
            return "pca";
        }

        @Override
        public Preprocessor fit(Dataset train) {
            return Projection.pca(train, components == 0 ? train.featureSize() : components);
        }
    }

    /** PCA whitening onto {@code components} axes (0 = all), each scaled by 1/√(λ + eps). */
    record PcaWhiten(int components, double eps) implements PreprocessStep {
        public PcaWhiten {
            requireComponents("pca_whiten", components);
            requireEps("pca_whiten", eps);
        }

        @Override
        public String name() {
            return "pca_whiten";
        }

        @Override
        public Preprocessor fit(Dataset train) {
            return Projection.pcaWhiten(train, components == 0 ? train.featureSize() : components, eps);
        }
    }

    /** ZCA whitening {@code U diag(1/√(λ + eps)) Uᵀ (x − μ)}. */
    record Zca(double eps) implements PreprocessStep {
        public Zca {
            requireEps("zca", eps);
        }

        @Override
        public String name() {
            return "zca";
        }

        @Override
        public Preprocessor fit(Dataset train) {
            return Projection.zca(train, eps);
        }
    }

    /** Bilinear resizing of images to {@code height x width} ({@link Resizer}); nothing to fit. */
    record Resize(int height, int width) implements PreprocessStep {
        public Resize {
            Resizer.to(height, width);
        }

        @Override
        public String name() {
            return "resize";
        }

        @Override
        public Preprocessor fit(Dataset train) {
            Resizer r = Resizer.to(height, width);
            r.outputShape(train.featureShape());
            return r;
        }
    }

    private static void requireComponents(String step, int components) {
        if (components < 0) {
            throw new IllegalArgumentException(step + ": expected components >= 1 (or 0 for all features), received "
                    + components);
        }
    }

    private static void requireEps(String step, double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(step + ": expected a finite eps >= 0, received " + eps);
        }
    }
}
