package dev.myelin.cli.registry;

import dev.myelin.cli.yaml.Binder;
import dev.myelin.cli.yaml.Size2Codec;
import dev.myelin.cli.yaml.TupleCodec;
import dev.myelin.optim.Betas;
import dev.myelin.options.Size2;

/** The one {@link Binder} the command line reads and writes configs with, and the types it knows beyond records. */
public final class Bindings {
    /** Sizes as an integer or [height, width]; betas as a list of two numbers. */
    public static final Binder BINDER = new Binder()
            .with(Size2.class, new Size2Codec())
            .with(Betas.class, new TupleCodec<>(Betas.class, "[0.9, 0.999]"));

    private Bindings() {
    }
}
