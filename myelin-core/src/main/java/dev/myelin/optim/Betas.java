package dev.myelin.optim;

import dev.myelin.options.Check;

/**
 * The decay rates (β₁, β₂) of the first and second moment estimates of Adam-like optimizers,
 * PyTorch's {@code betas=(0.9, 0.999)} tuple (Kingma &amp; Ba 2015, "Adam: A Method for
 * Stochastic Optimization"). A config writes them as a list of two numbers.
 */
public record Betas(double beta1, double beta2) {
    public Betas {
        Check.that(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "betas", "two numbers in [0, 1)",
                "[" + beta1 + ", " + beta2 + "]");
    }

    /** PyTorch's (0.9, 0.999). */
    public static Betas defaults() {
        return new Betas(0.9, 0.999);
    }
}
