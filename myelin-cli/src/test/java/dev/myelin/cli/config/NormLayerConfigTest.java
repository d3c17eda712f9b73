package dev.myelin.cli.config;

import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.model.LayerSpec;
import dev.myelin.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The normalization layers in configs: shape errors that name the layer, the expected shape
 * and the shape received; layernorm, groupnorm and weight-normalized linear layers training;
 * {@code myelin eval --fold-bn}.
 */
class NormLayerConfigTest {
    @TempDir
    Path dir;

    /** The disc config with the batchnorm1d entry (model[1], after a linear layer with 16 outputs) replaced. */
    private static String withNorm(String layer) {
        return Cli.discConfig().replace("- batchnorm1d: {}", layer);
    }

    private String trainError(String yaml) throws IOException {
        Path cfg = Cli.write(dir, "norm.yaml", yaml);
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", dir.resolve("run").toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("myelin: error: " + cfg), r.err());
        return r.err();
    }

    @Test
    void batchnorm2dOnFlatFeatures() throws IOException {
        String err = trainError(withNorm("- batchnorm2d: {}"));
        assertTrue(err.contains("field 'model[1].batchnorm2d': expected a sample of shape [C, H, W] for batchnorm2d,"
                + " found a sample of shape [16]"), err);
        assertTrue(err.contains("use batchnorm1d or layernorm"), err);
    }

    @Test
    void instancenormOnFlatFeatures() throws IOException {
        String err = trainError(withNorm("- instancenorm1d: {affine: true}"));
        assertTrue(err.contains("field 'model[1].instancenorm1d': expected a sample of shape [C, L] with L > 1"
                + " for instancenorm1d, found a sample of shape [16]"), err);
    }

    @Test
    void layernormWithANormalizedShapeThatIsNotTheSamplesLastDimensions() throws IOException {
        String err = trainError(withNorm("- layernorm: {normalized_shape: [8]}"));
        assertTrue(err.contains("field 'model[1].layernorm': expected a sample whose last dimension is"
                + " normalized_shape [8], found a sample of shape [16]"), err);
        assertTrue(err.contains("e.g. [16], or leave it out"), err);
        String type = trainError(withNorm("- layernorm: {normalized_shape: [eight]}"));
        assertTrue(type.contains("field 'model[1].layernorm.normalized_shape[0]': expected an integer, found \"eight\""),
                type);
        String range = trainError(withNorm("- layernorm: {normalized_shape: 0}"));
        assertTrue(range.contains("field 'model[1].layernorm.normalized_shape': expected a positive integer or a list"
                + " of positive integers"), range);
    }

    @Test
    void groupnormWithGroupsThatDoNotDivideTheChannels() throws IOException {
        String err = trainError(withNorm("- groupnorm: {groups: 5}"));
        assertTrue(err.contains("field 'model[1].groupnorm.groups': expected a divisor of the 16 channels of the sample"
                + " (one of 1, 2, 4, 8, 16), found 5"), err);
        String missing = trainError(withNorm("- groupnorm: {}"));
        assertTrue(missing.contains("field 'model[1].groupnorm.groups'") && missing.contains("found nothing"), missing);
    }

    @Test
    void layernormGroupnormAndWeightNormTrain() throws IOException {
        String yaml = withNorm("- layernorm: {}\n  - groupnorm: {groups: 4}")
                .replace("- linear: {out: 2}", "- linear: {out: 2, weight_norm: true}");
        Path run = dir.resolve("run");
        Cli.Result r = Cli.run("train", Cli.write(dir, "ok.yaml", yaml).toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        SafeTensors.Contents ck = SafeTensors.read(run.resolve("model.safetensors"));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias", "5.bias", "5.weight_g",
                "5.weight_v"), List.copyOf(ck.tensors().keySet()));
        Cli.Result e = Cli.run("eval", run.toString()).noStackTrace();
        assertEquals(0, e.code(), e.toString());
    }

    @Test
    void theBnAfterExampleHasBatchNormAfterEachReluAndOtherwiseMatchesFashionMlp() {
        RunConfig after = ConfigLoader.load(Path.of("..", "examples", "fashion-mlp-bn-after.yaml"), List.of(), null);
        RunConfig before = ConfigLoader.load(Path.of("..", "examples", "fashion-mlp.yaml"), List.of(), null);
        List<String> names = after.model().stream().map(LayerSpec::name).toList();
        assertEquals(List.of("flatten", "linear", "relu", "batchnorm1d", "dropout", "linear", "relu", "batchnorm1d",
                "dropout", "linear"), names);
        assertEquals(before.model().stream().map(LayerSpec::name).sorted().toList(), names.stream().sorted().toList());
        assertEquals(before.optimizer(), after.optimizer());
        assertEquals(before.epochs(), after.epochs());
    }

    @Test
    void evalFoldBnFoldsTheBatchNormAndKeepsTheTestFigures() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, Cli.run("train", Cli.write(dir, "bn.yaml", Cli.discConfig()).toString(), "--out",
                run.toString()).noStackTrace().code());
        Cli.Result plain = Cli.run("eval", run.toString()).noStackTrace();
        Cli.Result folded = Cli.run("eval", run.toString(), "--fold-bn").noStackTrace();
        assertEquals(0, folded.code(), folded.toString());
        assertTrue(folded.out().contains("--fold-bn: folded 1 batch norm layer into the adjacent linear and convolution layers\n"),
                folded.out());
        String figures = plain.out().lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();
        assertTrue(folded.out().contains(figures), figures + " in\n" + folded.out());
    }
}
