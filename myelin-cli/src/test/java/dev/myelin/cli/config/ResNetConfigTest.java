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
 * The {@code resnet} layer in configs: a small residual network trains on a CIFAR-10 folder
 * the test writes, saves torchvision-style keys, evaluates with and without {@code --fold-bn}
 * to the same figures; depth, widths and blocks are checked with errors naming the field.
 */
class ResNetConfigTest {
    @TempDir
    Path dir;

    private String config(Path data, String resnet) {
        return "seed: 1\n"
                + "data: {dataset: cifar10, dir: " + data + ", augment: [{flip: {p: 0.5}}]}\n"
                + "model:\n  - resnet: " + resnet + "\n  - linear: {out: 10}\n"
                + "loss: cross_entropy\n"
                + "optimizer: {name: sgd, lr: 0.05, momentum: 0.9}\n"
                + "epochs: 1\n"
                + "batch_size: 8\n";
    }

    @Test
    void aSmallResNetTrainsSavesTorchvisionKeysAndFolds() throws IOException {
        Path cfg = Cli.write(dir, "resnet.yaml", config(CifarFiles.write(dir.resolve("cifar"), 4, 2), "{widths: [4, 8], blocks: [1, 1]}"));
        Path run = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        SafeTensors.Contents ck = SafeTensors.read(run.resolve("model.safetensors"));
        for (String k : List.of("0.conv1.weight", "0.bn1.running_mean", "0.layer1.0.conv2.weight",
                "0.layer2.0.downsample.0.weight", "0.layer2.0.downsample.1.running_var", "1.weight")) {
            assertTrue(ck.tensors().containsKey(k), k + " in " + ck.tensors().keySet());
        }
        Cli.Result plain = Cli.run("eval", run.toString()).noStackTrace();
        Cli.Result folded = Cli.run("eval", run.toString(), "--fold-bn").noStackTrace();
        assertEquals(0, folded.code(), folded.toString());
        assertTrue(folded.out().contains("--fold-bn: folded 6 batch norm layers"), folded.out());
        String figures = plain.out().lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();
        assertTrue(folded.out().contains(figures), figures + " in\n" + folded.out());
    }

    @Test
    void depthGivesBlocksPerStageAndTheResolvedConfigReadsBack() throws IOException {
        Path cfg = Cli.write(dir, "r.yaml", config(dir, "{depth: 20, shortcut: pad, preact: true, stochastic_depth: 0.2}"));
        RunConfig c = ConfigLoader.load(cfg, List.of(), null);
        String yaml = ConfigLoader.toYaml(c);
        assertTrue(yaml.contains("blocks:\n") && yaml.contains("- 3") && yaml.contains("shortcut: \"pad\"")
                || yaml.contains("shortcut: pad"), yaml);
        RunConfig again = ConfigLoader.load(Cli.write(dir, "again.yaml", yaml), List.of(), null);
        assertEquals(c.toTree(), again.toTree());
    }

    private String trainError(String resnet) throws IOException {
        Path cfg = Cli.write(dir, "bad.yaml", config(dir, resnet));
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", dir.resolve("run").toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        return r.err();
    }

    @Test
    void badOptionsNameTheField() throws IOException {
        String depth = trainError("{depth: 21}");
        assertTrue(depth.contains("model[0].resnet.depth") && depth.contains("6·n + 2"), depth);
        String count = trainError("{widths: [8, 16], blocks: [1, 1, 1]}");
        assertTrue(count.contains("model[0].resnet.blocks") && count.contains("one block count per width (2)"), count);
        String widths = trainError("{widths: [8, 0]}");
        assertTrue(widths.contains("model[0].resnet.widths") && widths.contains("a list of positive integers"), widths);
        String sd = trainError("{stochastic_depth: 1.0}");
        assertTrue(sd.contains("model[0].resnet.stochastic_depth"), sd);
    }
}
