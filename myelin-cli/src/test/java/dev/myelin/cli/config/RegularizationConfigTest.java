package dev.myelin.cli.config;

import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.train.regularize.Constraint;
import dev.myelin.train.regularize.ParamSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config's regularization section, constraints, smoothed loss and the dropout-family layers: parsed, trained, and their errors. */
class RegularizationConfigTest {
    @TempDir
    Path dir;

    private static final String ALL = """
            seed: 4
            data: {dataset: disc, train_size: 200, test_size: 100, validation: 0.2, standardize: none}
            model:
              - gaussian_noise: {std: 0.05}
              - dropconnect: {out: 16, p: 0.3}
              - relu
              - alpha_dropout: {p: 0.1}
              - dropconnect: {out: 16, p: 0.2, mode: per_sample}
              - tanh
              - linear: {out: 2}
            loss: {name: cross_entropy, label_smoothing: 0.1}
            regularization:
              l1: 1.0e-4
              l2: 1.0e-3
              jacobian: {weight: 0.01, projections: 2}
              weight_noise: 0.01
            constraints:
              - max_norm: 2.0
              - {bounds: {min: -0.5, max: 0.5}, apply_to: all}
            optimizer: {name: sgd, lr: 0.1, momentum: 0.9}
            epochs: 2
            batch_size: 32
            """;

    @Test
    void everyOptionParsesAndTheResolvedFormReadsBackEqual() throws IOException {
        RunConfig c = ConfigLoader.load(Cli.write(dir, "all.yaml", ALL), List.of(), null);
        assertEquals(0.1, c.loss().labelSmoothing());
        assertEquals("{\"dropconnect\":{\"out\":16,\"bias\":true,\"p\":0.2,\"mode\":\"per_sample\"}}",
                c.model().get(4).toTree().toString());
        assertEquals(1e-3, c.regularization().l2());
        assertEquals(2, c.regularization().penalties().jacobian().projections());
        assertEquals(ParamSelection.WEIGHTS, c.regularization().constraints().get(0).applyTo());
        assertEquals(new Constraint.Bounds(-0.5, 0.5), c.regularization().constraints().get(1).constraint());
        assertEquals(ParamSelection.ALL, c.regularization().constraints().get(1).applyTo());
        RunConfig again = ConfigLoader.load(Cli.write(dir, "again.yaml", ConfigLoader.toYaml(c)), List.of(), null);
        assertEquals(c.toTree(), again.toTree());
    }

    /** Everything on at once trains on the disc; metrics.csv gains the penalty column. */
    @Test
    void trainsWithEveryRegularizerOn() throws IOException {
        Path run = dir.resolve("run");
        Cli.Result r = Cli.run("train", Cli.write(dir, "all.yaml", ALL).toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(metrics.get(0).endsWith(",penalty"), metrics.get(0));
        assertEquals(3, metrics.size());
    }

    @Test
    void aBareLossNameStillWorksAndSmoothingIsOnlyForCrossEntropy() throws IOException {
        RunConfig c = ConfigLoader.load(Cli.write(dir, "bare.yaml", Cli.discConfig()), List.of(), null);
        assertEquals("cross_entropy", c.loss().name());
        assertEquals(0.0, c.loss().labelSmoothing());
        String err = error(Cli.discConfig().replace("loss: cross_entropy", "loss: {name: mse, label_smoothing: 0.1}"));
        assertTrue(err.contains("field 'loss.label_smoothing'") && err.contains("for mse"), err);
        err = error(Cli.discConfig().replace("loss: cross_entropy", "loss: {label_smoothing: 1.5}"));
        assertTrue(err.contains("field 'loss.label_smoothing': expected a number in [0, 1], found 1.5"), err);
    }

    @Test
    void badRegularizationValuesNameTheField() throws IOException {
        String err = error(Cli.discConfig() + "regularization: {l2: -0.1}\n");
        assertTrue(err.contains("field 'regularization.l2': expected a number >= 0"), err);
        err = error(Cli.discConfig() + "regularization: {apply_to: biases}\n");
        assertTrue(err.contains("field 'regularization.apply_to': expected one of weights, all"), err);
        err = error(Cli.discConfig() + "regularization: {jacobian: {weight: 0.1, projections: 0}}\n");
        assertTrue(err.contains("field 'regularization.jacobian.projections': expected a positive integer"), err);
        err = error(Cli.discConfig() + "regularization: {l3: 0.1}\n");
        assertTrue(err.contains("field 'regularization.l3'") && err.contains("unknown key 'l3'"), err);
    }

    @Test
    void badConstraintsNameTheEntry() throws IOException {
        String err = error(Cli.discConfig() + "constraints: [{max_nrom: 3}]\n");
        assertTrue(err.contains("field 'constraints[0]'") && err.contains("Did you mean 'max_norm'?"), err);
        err = error(Cli.discConfig() + "constraints: [{max_norm: 0}]\n");
        assertTrue(err.contains("field 'constraints[0].max_norm': expected a norm bound > 0, found 0"), err);
        err = error(Cli.discConfig() + "constraints: [{bounds: {min: 1, max: 0}}]\n");
        assertTrue(err.contains("field 'constraints[0].bounds.max': expected max >= min"), err);
        err = error(Cli.discConfig() + "constraints: {max_norm: 3}\n");
        assertTrue(err.contains("field 'constraints': expected a list of constraints"), err);
    }

    @Test
    void layerErrorsNameTheLayer() throws IOException {
        String err = error(Cli.discConfig().replace("- dropout: {p: 0.1}", "- dropout2d: {p: 0.1}"));
        assertTrue(err.contains("field 'model[3].dropout2d': expected samples with channels"), err);
        err = error(Cli.discConfig().replace("- dropout: {p: 0.1}", "- gaussian_noise: {}"));
        assertTrue(err.contains("field 'model[3].gaussian_noise.std'"), err);
        err = error(Cli.discConfig().replace("- dropout: {p: 0.1}", "- dropconnect: {out: 8, mode: sometimes}"));
        assertTrue(err.contains("field 'model[3].dropconnect.mode': expected one of per_batch, per_sample"), err);
    }

    private String error(String yaml) throws IOException {
        Cli.Result r = Cli.run("train", Cli.write(dir, "bad.yaml", yaml).toString(), "--out", dir.resolve("r").toString())
                .noStackTrace();
        assertEquals(2, r.code(), r.toString());
        return r.err();
    }
}
