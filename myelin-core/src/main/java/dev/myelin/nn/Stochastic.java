package dev.myelin.nn;

import dev.myelin.tensor.Rng;

/**
 * A module whose training-mode forward pass draws random numbers: the dropout family (and noise
 * layers). Monte Carlo dropout ({@code dev.myelin.train.McDropout}) keeps exactly these modules
 * in training mode at prediction time, everything else (batch norm) in evaluation mode, and
 * lends them a stream of its own so that predicting never shifts the training stream.
 */
public interface Stochastic {
    /** The stream the random draws come from. */
    Rng rng();

    /** Replaces the stream the random draws come from. */
    void setRng(Rng rng);
}
