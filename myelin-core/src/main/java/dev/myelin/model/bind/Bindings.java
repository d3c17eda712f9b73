package dev.myelin.model.bind;

import dev.myelin.model.bind.Binder;
import dev.myelin.model.bind.Size2Codec;
import dev.myelin.model.bind.TupleCodec;
import dev.myelin.nn.init.Initializer;
import dev.myelin.optim.Betas;
import dev.myelin.optim.GradClipping;
import dev.myelin.options.Size2;
import dev.myelin.train.regularize.Regularization;

/**
 * The one {@link Binder} the command line reads and writes configs with, and the types it knows
 * beyond records: sizes as an integer or [height, width], betas as a list of two numbers, and a
 * weight initialization as a named choice ({@link Inits}), the Jacobian penalty as its weight or
 * a mapping, a p-norm's p as a number or inf.
 */
public final class Bindings {
    public static final Binder BINDER = new Binder()
            .with(Size2.class, new Size2Codec())
            .with(Betas.class, new TupleCodec<>(Betas.class, "[0.9, 0.999]"))
            .with(Initializer.class, new ChoiceCodec<>(Inits.ALL, "zeros"))
            .with(Regularization.Jacobian.class, new JacobianCodec())
            .with(GradClipping.NormType.class, new NormTypeCodec());

    private Bindings() {
    }
}
