package dev.myelin.cli.config;

import dev.myelin.cli.CifarFiles;
import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Convolution and pooling layers in configs: a small CNN trains on a CIFAR-10 folder the test
 * writes and its checkpoint evaluates again; shapes are inferred through the layers, and a layer
 * that cannot take its input says which one, what it expected and what it got.
 */
class ConvConfigTest {
    @TempDir
    Path dir;

    /** CIFAR-10's six binary batches with {@code perFile} random records each. */
    private Path cifar(int perFile) throws IOException {
        return CifarFiles.write(dir.resolve("cifar"), perFile, 1);
    }

    private String config(Path data, String model) {
        return "seed: 1\n"
                + "data: {dataset: cifar10, dir: " + data + ", validation: 0.2}\n"
                + "model:\n" + model
                + "loss: cross_entropy\n"
                + "optimizer: {name: sgd, lr: 0.05, momentum: 0.9}\n"
                + "epochs: 2\n"
                + "batch_size: 8\n";
    }

    private static final String CNN = """
              - conv2d: {out: 4, kernel: 3, padding: 1}
              - relu
              - maxpool2d: {kernel: 2}
              - conv2d: {out: 6, kernel: [3, 1], stride: [2, 1], groups: 2, bias: false}
              - avgpool2d: {kernel: 3, stride: 2, padding: 1, count_include_pad: false}
              - adaptive_avgpool2d: {output: [3, 2]}
              - conv2d: {out: 8, kernel: 1}
              - global_avgpool
              - linear: {out: 10}
            """;

    @Test
    void aSmallCnnTrainsOnCifarAndEvaluatesFromItsCheckpoint() throws IOException {
        Path cfg = Cli.write(dir, "cnn.yaml", config(cifar(6), CNN));
        Path run = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        SafeTensors.Contents ck = SafeTensors.read(run.resolve("model.safetensors"));
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "6.weight", "6.bias", "8.weight", "8.bias"),
                List.copyOf(ck.tensors().keySet()));
        assertEquals(List.of(4, 3, 3, 3), shape(ck, "0.weight"));
        assertEquals(List.of(6, 2, 3, 1), shape(ck, "3.weight"), "groups 2: 4/2 input channels per group");
        assertEquals(List.of(10, 8), shape(ck, "8.weight"), "global_avgpool flattens to the channels");
        Cli.Result e = Cli.run("eval", run.toString()).noStackTrace();
        assertEquals(0, e.code(), e.toString());
        assertTrue(e.out().contains("test accuracy"), e.out());
    }

    private static List<Integer> shape(SafeTensors.Contents ck, String key) {
        return java.util.Arrays.stream(ck.tensors().get(key).shape()).boxed().toList();
    }

    @Test
    void resolvedConvOptionsReadBackEqual() throws IOException {
        Path cfg = Cli.write(dir, "cnn.yaml", config(dir, CNN));
        RunConfig c = ConfigLoader.load(cfg, List.of(), null);
        String yaml = ConfigLoader.toYaml(c);
        assertTrue(yaml.contains("kernel:\n") && yaml.contains("dilation: 1") && yaml.contains("count_include_pad: false"), yaml);
        RunConfig again = ConfigLoader.load(Cli.write(dir, "again.yaml", yaml), List.of(), null);
        assertEquals(c.toTree(), again.toTree());
    }

    @Test
    void theWorkloadBExampleBuildsTheBenchmarksCnn() {
        RunConfig c = ConfigLoader.load(Path.of("..", "examples", "fashion-cnn.yaml"), List.of(), null);
        assertEquals("fashion-cnn", c.name());
        dev.myelin.nn.Sequential model = c.spec().build(new int[] {1, 28, 28}, 10, new dev.myelin.tensor.Rng(0));
        assertEquals(421_834, model.parameterCount(), "the parameter count of the PyTorch twin's make_cnn()");
        assertEquals(List.of(64, 32, 3, 3), java.util.Arrays.stream(model.stateDict().get("4.weight").shape()).boxed().toList());
        assertEquals(List.of(128, 3136), java.util.Arrays.stream(model.stateDict().get("9.weight").shape()).boxed().toList());
    }

    private String trainError(String yaml) throws IOException {
        Path cfg = Cli.write(dir, "bad.yaml", yaml);
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", dir.resolve("run").toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        return r.err();
    }

    @Test
    void layersThatCannotTakeTheirInputSaySo() throws IOException {
        Path data = cifar(2);
        String flat = trainError(config(data, "  - flatten\n  - conv2d: {out: 4, kernel: 3}\n  - flatten\n  - linear: {out: 10}\n"));
        assertTrue(flat.contains("model[1].conv2d") && flat.contains("an image sample [C, H, W]")
                && flat.contains("a sample of shape [3072]") && flat.contains("move `- flatten` after them"), flat);

        String big = trainError(config(data, "  - maxpool2d: {kernel: 4}\n  - maxpool2d: {kernel: 4}\n"
                + "  - conv2d: {out: 4, kernel: 3}\n  - flatten\n  - linear: {out: 10}\n"));
        assertTrue(big.contains("model[2].conv2d.kernel") && big.contains("no larger than the padded input 2x2")
                && big.contains("found 3x3"), big);

        String dilated = trainError(config(data, "  - conv2d: {out: 4, kernel: 3, dilation: 20}\n  - flatten\n  - linear: {out: 10}\n"));
        assertTrue(dilated.contains("model[0].conv2d.kernel") && dilated.contains("dilated to 41x41"), dilated);

        String groups = trainError(config(data, "  - conv2d: {out: 4, kernel: 3, groups: 2}\n  - flatten\n  - linear: {out: 10}\n"));
        assertTrue(groups.contains("model[0].conv2d.groups") && groups.contains("a divisor of the input channels (3)"), groups);

        String pad = trainError(config(data, "  - avgpool2d: {kernel: 2, padding: 2}\n  - flatten\n  - linear: {out: 10}\n"));
        assertTrue(pad.contains("model[0].avgpool2d.padding") && pad.contains("at most half the kernel"), pad);

        String pair = trainError(config(data, "  - conv2d: {out: 4, kernel: [3, 3, 3]}\n  - flatten\n  - linear: {out: 10}\n"));
        assertTrue(pair.contains("model[0].conv2d.kernel") && pair.contains("a list [height, width]"), pair);

        String maxOption = trainError(config(data, "  - maxpool2d: {kernel: 2, count_include_pad: true}\n  - flatten\n  - linear: {out: 10}\n"));
        assertTrue(maxOption.contains("unknown key 'count_include_pad'"), maxOption);
    }

    @Test
    void missingCifarSaysWhereToGetIt() {
        Cli.Result r = Cli.run("train", "--out", dir.resolve("run").toString(),
                writeQuietly(config(dir.resolve("absent"), CNN))).noStackTrace();
        assertEquals(true, r.code() != 0, r.toString());
        assertTrue(r.err().contains("CIFAR-10 not found") && r.err().contains("cifar-10-binary.tar.gz"), r.err());
    }

    private String writeQuietly(String yaml) {
        try {
            return Cli.write(dir, "absent.yaml", yaml).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
