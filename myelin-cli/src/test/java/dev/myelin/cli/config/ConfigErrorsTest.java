package dev.myelin.cli.config;

import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.model.bind.ConfigException;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every config error names the file, the field, what was expected and what was found. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    /** Runs train on {@code yaml} (with --set assignments) and returns stderr, checking exit 2 and no stack trace. */
    private String trainError(String yaml, String... sets) throws IOException {
        Path cfg = Cli.write(dir, "exp.yaml", yaml);
        List<String> args = new java.util.ArrayList<>(List.of("train", cfg.toString(), "--out", dir.resolve("run").toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        Cli.Result r = Cli.run(args.toArray(String[]::new)).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("myelin: error: "), r.err());
        assertTrue(r.err().contains(cfg.toString()), "names the file: " + r.err());
        assertTrue(r.err().contains("expected"), r.err());
        assertTrue(r.err().contains("found"), r.err());
        return r.err();
    }

    @Test
    void unknownLayerNamesTheEntryAndSuggests() throws IOException {
        String err = trainError(Cli.discConfig().replace("- relu", "- rellu"));
        assertTrue(err.contains("field 'model[2]'"), err);
        assertTrue(err.contains("'rellu'"), err);
        assertTrue(err.contains("Did you mean 'relu'?"), err);
    }

    @Test
    void wrongTypeNamesExpectedAndFound() throws IOException {
        String err = trainError(Cli.discConfig().replace("epochs: 2", "epochs: ten"));
        assertTrue(err.contains("field 'epochs': expected a positive integer, found \"ten\" (a string)"), err);
    }

    @Test
    void wrongTypeInsideALayer() throws IOException {
        String err = trainError(Cli.discConfig().replace("{out: 16}", "{out: [16]}"));
        assertTrue(err.contains("field 'model[0].linear.out'"), err);
        assertTrue(err.contains("found a list of 1 item"), err);
    }

    @Test
    void missingModelIsReported() throws IOException {
        String yaml = "seed: 0\ndata: {dataset: disc}\nepochs: 1\n";
        String err = trainError(yaml);
        assertTrue(err.contains("field 'model': expected a list of layers, found nothing (the field is missing)"), err);
    }

    @Test
    void missingRequiredOptionOfALayer() throws IOException {
        String err = trainError(Cli.discConfig().replace("{out: 16}", "{}"));
        assertTrue(err.contains("field 'model[0].linear.out'"), err);
        assertTrue(err.contains("found nothing"), err);
    }

    @Test
    void unknownKeySuggestsTheNearestOne() throws IOException {
        String err = trainError(Cli.discConfig().replace("optimizer:", "optimzer:"));
        assertTrue(err.contains("field 'optimzer'"), err);
        assertTrue(err.contains("Did you mean 'optimizer'?"), err);
        String nested = trainError(Cli.discConfig().replace("momentum: 0.9", "momentun: 0.9"));
        assertTrue(nested.contains("field 'optimizer.momentun'") && nested.contains("Did you mean 'momentum'?"), nested);
        String wrongSet = trainError(Cli.discConfig().replace("dataset: disc", "dataset: csv"));
        assertTrue(wrongSet.contains("field 'data.train'") && wrongSet.contains("found nothing"), wrongSet);
        String other = trainError(Cli.discConfig().replace("test_size: 100", "test_size: 100\n  train: a.csv"));
        assertTrue(other.contains("field 'data.train'") && other.contains("for dataset disc"), other);
    }

    @Test
    void badEnumValueSuggests() throws IOException {
        String err = trainError(Cli.discConfig().replace("loss: cross_entropy", "loss: crossentropy"));
        assertTrue(err.contains("field 'loss': expected a loss, one of cross_entropy, mse, l1, bce_with_logits"), err);
        assertTrue(err.contains("Did you mean 'cross_entropy'?"), err);
    }

    @Test
    void badSetPathNamesTheAssignment() throws IOException {
        String err = trainError(Cli.discConfig(), "optimizer.lrr=0.1");
        assertTrue(err.contains("--set optimizer.lrr=0.1"), err);
        assertTrue(err.contains("field 'optimizer.lrr'") && err.contains("Did you mean 'lr'?"), err);

        String index = trainError(Cli.discConfig(), "model[9].linear.out=3");
        assertTrue(index.contains("--set model[9].linear.out=3") && index.contains("model[9]"), index);
        assertTrue(index.contains("model has 5 items"), index);
        String huge = trainError(Cli.discConfig(), "model[99999999999].linear.out=3");
        assertTrue(huge.contains("--set model[99999999999].linear.out=3: expected an index from 0 to 2147483647,"
                + " found [99999999999]"), huge);

        String out = trainError(Cli.discConfig(), "model[0].linear.out=8", "model[4].linear.out=5");
        assertTrue(out.contains("--set model[4].linear.out=5: field 'model[4].linear.out'"), out);

        // a size whose weight has more values than a Java array holds: the layer's error, not an internal one
        String size = trainError(Cli.discConfig(), "model[0].linear.out=2000000000");
        assertTrue(size.contains("--set model[0].linear.out=2000000000") && size.contains("model[0].linear")
                && size.contains("fit in a Java array") && size.contains("Lower the layer's size"), size);

        String type = trainError(Cli.discConfig(), "epochs=two");
        assertTrue(type.contains("--set epochs=two") && type.contains("found \"two\" (a string)"), type);
    }

    @Test
    void outputsMustMatchTheClasses() throws IOException {
        String err = trainError(Cli.discConfig().replace("{out: 2}", "{out: 5}"));
        assertTrue(err.contains("field 'model[4].linear.out'") && err.contains("2 outputs"), err);
        assertTrue(err.contains("Set model[4].linear.out: 2"), err);
    }

    @Test
    void invalidYamlNamesTheLine() throws IOException {
        Cli.Result r = Cli.run("train", Cli.write(dir, "bad.yaml", "seed: 0\nmodel: [relu\n").toString()).noStackTrace();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.yaml: not valid YAML at line"), r.err());
    }

    @Test
    void aHugeConfigIsRefusedBeforeParsing() throws IOException {
        String comment = "# " + "x".repeat(1 << 20) + "\n"; // parsed, this took gigabytes
        Path big = Cli.write(dir, "big.yaml", Cli.discConfig() + comment);
        Cli.Result r = Cli.run("train", big.toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("big.yaml: expected a config of at most 1048576 bytes (1 MiB), found "
                + Files.size(big) + " bytes"), r.err());
    }

    @Test
    void missingConfigFile() {
        Cli.Result r = Cli.run("train", dir.resolve("nope.yaml").toString()).noStackTrace();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.yaml: no such config file"), r.err());
    }

    @Test
    void setOverridesWithYamlScalarsAndDefaultsAreFilledIn() throws IOException {
        Path cfg = Cli.write(dir, "exp.yaml", Cli.discConfig());
        RunConfig c = ConfigLoader.load(cfg, List.of("epochs=7", "optimizer.lr=1e-2", "model[0].linear.out=8",
                "model[0].linear.bias=false", "data.validation=0.25", "seed=11"), null);
        assertEquals(7, c.epochs());
        assertEquals(0.01, c.optimizer().lr());
        assertEquals("{\"linear\":{\"out\":8,\"bias\":false,\"weight_norm\":false}}", c.model().get(0).toTree().toString());
        assertEquals(0.25, c.data().validation());
        assertEquals(11, c.seed());
        assertEquals("{\"batchnorm1d\":{\"eps\":1.0E-5,\"momentum\":0.1,\"affine\":true,\"track_running_stats\":true}}",
                c.model().get(1).toTree().toString());
        assertEquals("sgd", c.optimizer().name());
        assertEquals(new dev.myelin.optim.Sgd.Options(0.01, 0.9, 0.0, 0.0, false), c.optimizer().options());
    }

    @Test
    void resolvedConfigReadsBackEqual() throws IOException {
        Path cfg = Cli.write(dir, "exp.yaml", Cli.discConfig());
        RunConfig c = ConfigLoader.load(cfg, List.of(), null);
        Path again = Cli.write(dir, "exp.yaml", ConfigLoader.toYaml(c));
        RunConfig d = ConfigLoader.load(again, List.of(), null);
        assertEquals(c.toTree(), d.toTree());
        assertEquals(c.toTree(), ConfigLoader.fromJson(ConfigLoader.toJson(c), "x", "x").toTree());
    }

    @Test
    void examplesAreValid() throws IOException {
        List<Path> files;
        try (var s = java.nio.file.Files.list(Path.of("..", "examples"))) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 10, "examples/*.yaml: " + files);
        for (Path p : files) {
            if (ConfigLoader.tree(p).has("search")) {
                // a search: the config without its section trains, and the section is a valid search
                assertEquals(16, dev.myelin.cli.search.SearchRun.prepare(p, List.of(), null, Path.of("unused"))
                        .search().options().strategy().trials(), p.toString());
                continue;
            }
            RunConfig c = ConfigLoader.load(p, List.of(), null);
            assertEquals(p.getFileName().toString().replace(".yaml", ""), c.name());
            assertEquals(c.toTree(), ConfigLoader.fromJson(ConfigLoader.toJson(c), "x", "x").toTree(), p.toString());
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Path.of("..", "examples", "fashion-mlp.yaml"), List.of("data.dataset=cifar"), null));
        assertTrue(e.getMessage().contains("--set data.dataset=cifar"), e.getMessage());
    }
}
