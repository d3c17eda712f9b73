package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import java.util.Map;
import java.util.Objects;

/** A module that draws random numbers in training from a stream it owns and lends out ({@link Stochastic}). */
abstract class StochasticModule extends Module implements Stochastic {
    private Rng rng;

    StochasticModule(Rng rng) {
        this.rng = rng;
    }

    @Override
    public Rng rng() {
        return rng;
    }

    @Override
    public void setRng(Rng rng) {
        this.rng = Objects.requireNonNull(rng, "rng");
    }

    @Override
    protected Map<String, Rng> ownStreams() {
        return Map.of("rng", rng);
    }
}
