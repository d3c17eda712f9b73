package dev.myelin.model.bind;

import dev.myelin.nn.init.Initializer;

/**
 * The weight initializations a config can name, torch.nn.init's names: a layer's {@code init}
 * option and the model's top-level {@code init}. Each is a core record that is its own options
 * ({@link Initializer}); one line each.
 */
public final class Inits {
    public static final Registry<Void, Initializer> ALL = new Registry<Void, Initializer>("an initialization")
            .add("default", c -> Initializer.DEFAULT)
            .add("uniform", Initializer.Uniform.class, (o, c) -> o)
            .add("normal", Initializer.Normal.class, (o, c) -> o)
            .add("constant", Initializer.Constant.class, (o, c) -> o)
            .add("zeros", c -> new Initializer.Zeros())
            .add("ones", c -> new Initializer.Ones())
            .add("xavier_uniform", Initializer.XavierUniform.class, (o, c) -> o)
            .add("xavier_normal", Initializer.XavierNormal.class, (o, c) -> o)
            .add("kaiming_uniform", Initializer.KaimingUniform.class, (o, c) -> o)
            .add("kaiming_normal", Initializer.KaimingNormal.class, (o, c) -> o)
            .add("lecun_normal", c -> new Initializer.LecunNormal())
            .add("orthogonal", Initializer.Orthogonal.class, (o, c) -> o)
            .add("looks_linear", Initializer.LooksLinear.class, (o, c) -> o);

    private Inits() {
    }
}
