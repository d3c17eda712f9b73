package dev.myelin.cli.config;

import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.model.bind.ConfigException;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Maxout;
import dev.myelin.nn.PRelu;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The activation layers and initializations of issue 5 from YAML: every layer name builds with
 * its options and round-trips through the resolved config; per-layer and model-wide init set
 * the weights they promise; looks_linear and lsuv are refused where they cannot work, with the
 * field and the fix; {@code init: lsuv} trains end to end.
 */
class ActivationInitConfigTest {
    @TempDir
    Path dir;

    private RunConfig load(String model, String extra) throws IOException {
        String yaml = "data: {dataset: disc, train_size: 200, test_size: 50, standardize: none}\n" + extra
                + "model:\n" + model + "epochs: 1\nbatch_size: 50\noptimizer: {name: sgd, lr: 0.1}\n";
        return ConfigLoader.load(Cli.write(dir, "c.yaml", yaml), List.of(), null);
    }

    private static Sequential build(RunConfig c) {
        return c.spec().build(new int[] {2}, 2, new Rng(c.seed()).split("model"));
    }

    @Test
    void everyActivationBuildsAndTheResolvedConfigRoundTrips() throws IOException {
        String model = """
                  - linear: {out: 8}
                  - leaky_relu: {negative_slope: 0.2}
                  - prelu: {num_parameters: 8, init: 0.1}
                  - elu: {alpha: 0.5}
                  - selu
                  - gelu: {approximate: tanh}
                  - silu
                  - swish
                  - mish
                  - hardsigmoid
                  - hardtanh: {min_val: -2, max_val: 2}
                  - crelu
                  - maxout: {out: 6, pieces: 3}
                  - linear: {out: 2}
                """;
        RunConfig c = load(model, "");
        Sequential m = build(c);
        assertEquals(14, m.layers().size());
        assertEquals("PReLU(num_parameters=8)", m.layers().get(2).toString());
        assertEquals(0.1f, ((PRelu) m.layers().get(2)).weight().get(3));
        assertEquals("Maxout(16, 6, pieces=3)", m.layers().get(12).toString(), "crelu doubles 8 features to 16");
        assertEquals(16, ((Maxout) m.layers().get(12)).weight().size(1));
        assertEquals(List.of(5, 2), List.of(m.forward(Tensor.zeros(5, 2)).shape()[0], m.forward(Tensor.zeros(5, 2)).shape()[1]));

        Path saved = Cli.write(dir, "resolved.yaml", ConfigLoader.toYaml(c));
        String text = Files.readString(saved);
        assertTrue(text.contains("approximate: tanh") && text.contains("negative_slope: 0.2") && text.contains("init: default"),
                text);
        assertEquals(c.toTree(), ConfigLoader.load(saved, List.of(), null).toTree());
    }

    @Test
    void perLayerInitOverridesTheModelWideOne() throws IOException {
        String model = """
                  - linear: {out: 400}
                  - relu
                  - linear: {out: 300, init: {name: orthogonal, gain: 2.0}}
                  - relu
                  - linear: {out: 2, init: zeros}
                """;
        RunConfig c = load(model, "init: {name: kaiming_normal, nonlinearity: relu}\n");
        Sequential m = build(c);
        Tensor w0 = ((Linear) m.layers().get(0)).weight();
        assertEquals(Math.sqrt(2.0 / 2), std(w0), 0.1, "kaiming_normal relu: std sqrt(2/fan_in), fan_in 2");
        Tensor w2 = ((Linear) m.layers().get(2)).weight();
        double rowNorm2 = 0;
        for (int j = 0; j < 400; j++) {
            rowNorm2 += w2.get(0, j) * w2.get(0, j);
        }
        assertEquals(4.0, rowNorm2, 1e-3, "orthogonal rows of a wide [300, 400] weight have norm gain = 2");
        Tensor w4 = ((Linear) m.layers().get(4)).weight();
        assertEquals(0.0, std(w4) + Math.abs(w4.get(1, 7)), 0.0);
    }

    @Test
    void modelWideLooksLinearMakesACreluNetLinearAtInitialization() throws IOException {
        String model = """
                  - linear: {out: 6}
                  - crelu
                  - linear: {out: 6}
                  - crelu
                  - linear: {out: 2}
                """;
        Sequential m = build(load(model, "init: looks_linear\n"));
        Tensor x = Tensor.randn(new Rng(4), 7, 2);
        Tensor h = x;
        for (int i = 0; i < 5; i += 2) {
            Linear l = (Linear) m.layers().get(i);
            Tensor w = l.weight();
            h = Tensor.linear(h, i == 0 ? w : w.slice(1, 0, w.size(1) / 2), l.bias());
        }
        Tensor y = m.forward(x);
        for (int i = 0; i < y.numel(); i++) {
            assertEquals(h.data()[i], y.data()[i], 1e-5);
        }
    }

    @Test
    void looksLinearWithoutACreluBeforeIsAnErrorWithTheFix() {
        ConfigException e = assertThrows(ConfigException.class, () -> build(load("""
                  - linear: {out: 6}
                  - relu
                  - linear: {out: 2, init: looks_linear}
                """, "")));
        assertTrue(e.getMessage().contains("field 'model[2].linear.init'") && e.getMessage().contains("layer 'relu'")
                && e.getMessage().contains("Put `- crelu` before model[2]"), e.getMessage());
    }

    @Test
    void badInitsNameTheFieldAndSuggest() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("  - linear: {out: 2, init: lsuv}\n", ""));
        assertTrue(e.getMessage().contains("field 'model[0].linear.init'") && e.getMessage().contains("'lsuv'"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("  - linear: {out: 2, init: kaiming_norml}\n", ""));
        assertTrue(e.getMessage().contains("Did you mean 'kaiming_normal'?"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> load("  - linear: {out: 2, init: {name: kaiming_normal, mode: fan_inn}}\n", ""));
        assertTrue(e.getMessage().contains("field 'model[0].linear.init.mode'") && e.getMessage().contains("fan_in"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("  - linear: {out: 2}\n", "init: {name: orthogonal, tol: 1}\n"));
        assertTrue(e.getMessage().contains("field 'init.tol'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("  - linear: {out: 2}\n", "init: {name: lsuv, max_itr: 5}\n"));
        assertTrue(e.getMessage().contains("field 'init.max_itr'") && e.getMessage().contains("Did you mean 'max_iter'?"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("  - linear: {out: 2}\n", "init: {name: lsuv, tol: big}\n"));
        assertTrue(e.getMessage().contains("field 'init.tol'") && e.getMessage().contains("\"big\" (a string)"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("  - linear: {out: 2}\n", "init: {name: lsuv, samples: 1}\n"));
        assertTrue(e.getMessage().contains("field 'init.samples'") && e.getMessage().contains(">= 2"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> build(load("  - prelu: {num_parameters: 3}\n  - linear: {out: 2}\n", "")));
        assertTrue(e.getMessage().contains("field 'model[0].prelu.num_parameters'")
                && e.getMessage().contains("1 or the number of input features (2)"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("  - gelu: {approximate: erf}\n", ""));
        assertTrue(e.getMessage().contains("field 'model[0].gelu.approximate'"), e.getMessage());
    }

    @Test
    void lsuvTrainsEndToEndAndReportsTheVariances() throws IOException {
        String yaml = Cli.discConfig().replace("model:", "init: {name: lsuv, samples: 100}\nmodel:")
                .replace("  - batchnorm1d: {}\n", "");
        Path cfg = Cli.write(dir, "lsuv.yaml", yaml);
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", dir.resolve("run").toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("LSUV on 100 samples: 2 layers"), r.out());
        String resolved = Files.readString(dir.resolve("run").resolve("config.yaml"));
        assertTrue(resolved.contains("name: lsuv") && resolved.contains("max_iter: 10"), resolved);
        assertInstanceOf(RunConfig.class, ConfigLoader.load(dir.resolve("run").resolve("config.yaml"), List.of(), null));
    }

    @Test
    void theExamplesLoadAndBuild() {
        for (String name : List.of("fashion-lsuv-elu", "fashion-looks-linear")) {
            RunConfig c = ConfigLoader.load(Path.of("..", "examples", name + ".yaml"), List.of(), null);
            Sequential m = c.spec().build(new int[] {1, 28, 28}, 10, new Rng(0));
            assertEquals(List.of(3, 10), List.of(m.forward(Tensor.zeros(3, 1, 28, 28)).shape()[0],
                    m.forward(Tensor.zeros(3, 1, 28, 28)).shape()[1]), name);
        }
    }

    private static double std(Tensor t) {
        double s = 0;
        double ss = 0;
        for (float v : t.data()) {
            s += v;
            ss += v * v;
        }
        double mean = s / t.numel();
        return Math.sqrt(ss / t.numel() - mean * mean);
    }
}
