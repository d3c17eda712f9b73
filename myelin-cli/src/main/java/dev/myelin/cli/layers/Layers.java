package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.cli.yaml.NamedEntry;
import dev.myelin.cli.yaml.Source;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layer names a config may use, each with the parser of its options. A new layer type is
 * one {@link LayerSpec} class and one line here.
 */
public final class Layers {
    /** Reads a layer's options (the getters of {@code f} validate them) into its spec. */
    @FunctionalInterface
    public interface Parser {
        LayerSpec parse(String name, Fields f);
    }

    private static final Map<String, Parser> PARSERS = new LinkedHashMap<>();

    static {
        PARSERS.put("flatten", (n, f) -> new FlattenSpec());
        PARSERS.put("linear", LinearSpec::parse);
        PARSERS.put("batchnorm1d", ChannelNormSpec::parse);
        PARSERS.put("batchnorm2d", ChannelNormSpec::parse);
        PARSERS.put("layernorm", LayerNormSpec::parse);
        PARSERS.put("groupnorm", GroupNormSpec::parse);
        PARSERS.put("instancenorm1d", ChannelNormSpec::parse);
        PARSERS.put("instancenorm2d", ChannelNormSpec::parse);
        PARSERS.put("dropout", DropoutSpec::parse);
        PARSERS.put("dropout2d", DropoutVariantSpec::parse);
        PARSERS.put("alpha_dropout", DropoutVariantSpec::parse);
        PARSERS.put("dropconnect", DropConnectSpec::parse);
        PARSERS.put("gaussian_noise", GaussianNoiseSpec::parse);
        PARSERS.put("highway", HighwaySpec::parse);
        PARSERS.put("relu", ElementwiseSpec::parse);
        PARSERS.put("sigmoid", ElementwiseSpec::parse);
        PARSERS.put("tanh", ElementwiseSpec::parse);
        PARSERS.put("softplus", SoftplusSpec::parse);
        PARSERS.put("leaky_relu", LeakyReluSpec::parse);
        PARSERS.put("prelu", PReluSpec::parse);
        PARSERS.put("elu", EluSpec::parse);
        PARSERS.put("selu", ElementwiseSpec::parse);
        PARSERS.put("gelu", GeluSpec::parse);
        PARSERS.put("silu", ElementwiseSpec::parse);
        PARSERS.put("swish", ElementwiseSpec::parse);
        PARSERS.put("mish", ElementwiseSpec::parse);
        PARSERS.put("crelu", CReluSpec::parse);
        PARSERS.put("maxout", MaxoutSpec::parse);
        PARSERS.put("hardsigmoid", ElementwiseSpec::parse);
        PARSERS.put("hardtanh", HardtanhSpec::parse);
        PARSERS.put("softmax", SoftmaxSpec::parse);
        PARSERS.put("log_softmax", SoftmaxSpec::parse);
        PARSERS.put("conv2d", ConvSpec::parse);
        PARSERS.put("maxpool2d", PoolSpec::parse);
        PARSERS.put("avgpool2d", PoolSpec::parse);
        PARSERS.put("adaptive_avgpool2d", AdaptivePoolSpec::parse);
        PARSERS.put("global_avgpool", AdaptivePoolSpec::parse);
        PARSERS.put("resnet", ResNetSpec::parse);
    }

    private Layers() {
    }

    /** The layer names, in the order the docs list them. */
    public static List<String> names() {
        return List.copyOf(PARSERS.keySet());
    }

    /** Reads the entry {@code item} at {@code path} (e.g. {@code model[2]}). */
    public static LayerSpec parse(Source src, String path, JsonNode item) {
        NamedEntry entry = NamedEntry.read(src, path, item, "a layer", names(),
                "write a layer name such as `- relu` or a mapping such as `- linear: {out: 10}`");
        String name = entry.name();
        JsonNode options = entry.options();
        Parser parser = PARSERS.get(name);
        if (parser == null) {
            String guess = Source.didYouMean(name, names());
            throw src.error(path, "a layer name, one of " + String.join(", ", names()), "'" + name + "'",
                    guess != null ? "Did you mean '" + guess + "'?" : "Use one of the names listed");
        }
        Fields f = Fields.of(src, path + "." + name, options, "Write its options as a mapping, e.g. `- " + name + ": {}`");
        LayerSpec spec = parser.parse(name, f);
        f.finish();
        return spec;
    }
}
