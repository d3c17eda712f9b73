package dev.myelin.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.model.bind.Source;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Choice;
import dev.myelin.model.bind.Registry;
import dev.myelin.nn.Activation;
import dev.myelin.nn.LayerNorm;
import dev.myelin.nn.GroupNorm;
import dev.myelin.nn.Highway;
import dev.myelin.nn.AdaptiveAvgPool2d;
import dev.myelin.nn.AvgPool2d;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.DropConnect;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Maxout;
import dev.myelin.nn.WeightNorm;
import dev.myelin.nn.MaxPool2d;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.AlphaDropout;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Dropout2d;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.GaussianNoise;
import dev.myelin.nn.InstanceNorm;
import dev.myelin.nn.InstanceNorm1d;
import dev.myelin.nn.InstanceNorm2d;
import dev.myelin.nn.Module;
import dev.myelin.nn.NormBase;
import dev.myelin.nn.PRelu;
import dev.myelin.nn.ResNet;
import java.util.List;

/**
 * The layer names a config may use, each with the parser of its options. A new layer type is
 * one {@link LayerSpec} class and one line here.
 */
public final class Layers {
    /**
     * The layers bound to their core class's own options: one line each. The name maps to the
     * options record (its keys, defaults and checks) and to the constructor, given the input
     * shape through {@link LayerContext}.
     */
    static final Registry<LayerContext, Module> BOUND = new Registry<LayerContext, Module>("a layer")
            .add("flatten", c -> new Flatten())
            .add("linear", Linear.Options.class, (o, c) -> {
                Linear l = new Linear(c.features(), o.withInit(c.init(o.init())), c.rng());
                return o.weightNorm() ? new WeightNorm(l) : l;
            })
            .add("maxout", Maxout.Options.class, (o, c) -> new Maxout(c.features(), o.withInit(c.init(o.init())), c.rng()))
            .add("dropconnect", DropConnect.Options.class, (o, c) -> new DropConnect(
                    new Linear(c.features(), new Linear.Options(o.out(), o.bias(), false, c.init(null), null), c.rng()), o.p(), o.mode(),
                    c.rng()))
            .add("batchnorm1d", NormBase.Options.class, (o, c) -> new BatchNorm1d(InputShapes.channelNorm(c, "batchnorm1d"), o))
            .add("batchnorm2d", NormBase.Options.class, (o, c) -> new BatchNorm2d(InputShapes.channelNorm(c, "batchnorm2d"), o))
            .add("instancenorm1d", NormBase.Options.class, InstanceNorm::defaults,
                    (o, c) -> new InstanceNorm1d(InputShapes.channelNorm(c, "instancenorm1d"), o))
            .add("instancenorm2d", NormBase.Options.class, InstanceNorm::defaults,
                    (o, c) -> new InstanceNorm2d(InputShapes.channelNorm(c, "instancenorm2d"), o))
            .add("dropout", Dropout.Options.class, (o, c) -> new Dropout(o.p(), c.rng()))
            .add("dropout2d", Dropout.Options.class, (o, c) -> {
                InputShapes.channels(c);
                return new Dropout2d(o.p(), c.rng());
            })
            .add("alpha_dropout", Dropout.Options.class, (o, c) -> new AlphaDropout(o.p(), c.rng()))
            .add("gaussian_noise", GaussianNoise.Options.class, (o, c) -> new GaussianNoise(o.std(), c.rng()))
            .add("relu", c -> Activation.relu())
            .add("sigmoid", c -> Activation.sigmoid())
            .add("tanh", c -> Activation.tanh())
            .add("softplus", Activation.SoftplusOptions.class, (o, c) -> Activation.softplus(o.beta(), o.threshold()))
            .add("leaky_relu", Activation.LeakyReluOptions.class, (o, c) -> Activation.leakyRelu(o.negativeSlope()))
            .add("prelu", PRelu.Options.class, (o, c) -> new PRelu(InputShapes.slopes(c, o.numParameters()), o.init()))
            .add("elu", Activation.EluOptions.class, (o, c) -> Activation.elu(o.alpha()))
            .add("selu", c -> Activation.selu())
            .add("gelu", Activation.GeluOptions.class,
                    (o, c) -> Activation.gelu(o.approximate().name().toLowerCase(java.util.Locale.ROOT)))
            .add("silu", c -> Activation.silu())
            .add("swish", c -> Activation.silu())
            .add("mish", c -> Activation.mish())
            .add("crelu", c -> Activation.crelu())
            .add("hardsigmoid", c -> Activation.hardsigmoid())
            .add("hardtanh", Activation.HardtanhOptions.class, (o, c) -> Activation.hardtanh(o.minVal(), o.maxVal()))
            .add("softmax", Activation.SoftmaxOptions.class, (o, c) -> Activation.softmax(o.dim(), o.temperature()))
            .add("log_softmax", Activation.SoftmaxOptions.class,
                    (o, c) -> Activation.logSoftmax(o.dim(), o.temperature()))
            .add("conv2d", Conv2d.Options.class, (o, c) -> new Conv2d(InputShapes.conv(c, o), o, c.rng()))
            .add("maxpool2d", MaxPool2d.Options.class, (o, c) -> {
                InputShapes.pool(c, o.kernel(), o.padding());
                return new MaxPool2d(o);
            })
            .add("avgpool2d", AvgPool2d.Options.class, (o, c) -> {
                InputShapes.pool(c, o.kernel(), o.padding());
                return new AvgPool2d(o);
            })
            .add("adaptive_avgpool2d", AdaptiveAvgPool2d.Options.class, (o, c) -> {
                InputShapes.requireImage(c);
                return new AdaptiveAvgPool2d(o);
            })
            .add("layernorm", LayerNorm.Options.class,
                    (o, c) -> new LayerNorm(InputShapes.layerNorm(c, o.normalizedShape()), o))
            .add("groupnorm", GroupNorm.Options.class, (o, c) -> new GroupNorm(InputShapes.groups(c, o.groups()), o))
            .add("highway", Highway.Options.class, (o, c) -> new Highway(c.features(), o, c.rng()))
            .add("resnet", ResNet.Options.class, (o, c) -> {
                InputShapes.requireImage(c);
                return new ResNet(c.imageChannels(), o.config(), 0, c.rng());
            })
            .add("global_avgpool", c -> {
                InputShapes.requireImage(c);
                return new Sequential(new AdaptiveAvgPool2d(1, 1), new Flatten());
            });

    private Layers() {
    }

    /** The layer names, in the order the docs list them. */
    public static List<String> names() {
        return BOUND.names();
    }

    /** Reads the entry {@code item} at {@code path} (e.g. {@code model[2]}). */
    public static LayerSpec parse(Source src, String path, JsonNode item) {
        return new LayerSpec(Choice.read(BOUND, Bindings.BINDER, src, path, item, Choice.Style.KEYED));
    }
}
