package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.SafeTensors;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval} and {@code predict} with {@code --config CONFIG.yaml WEIGHTS.safetensors}: weights
 * without Myelin's metadata, as PyTorch's {@code safetensors.torch.save_file(model.state_dict())}
 * writes them, evaluated with the config that describes their model.
 */
class EvalWithConfigTest {
    @TempDir
    static Path dir;
    static Path run;
    static Path config;
    static Path bare;

    @BeforeAll
    static void trainAndStripTheMetadata() throws IOException {
        config = Cli.write(dir, "disc.yaml", Cli.discConfig());
        run = dir.resolve("run");
        Cli.Result r = Cli.run("train", config.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        Map<String, Tensor> state = SafeTensors.read(run.resolve("model.safetensors")).tensors();
        bare = dir.resolve("state_dict.safetensors");
        SafeTensors.write(bare, state, Map.of("format", "pt"), Set.of("1.num_batches_tracked"));
    }

    private static String testLine(Cli.Result r) {
        return r.out().lines().filter(l -> l.startsWith("test accuracy")).findFirst()
                .orElseThrow(() -> new AssertionError(r.toString()));
    }

    @Test
    void bareWeightsWithTheirConfigEvaluateAsTheRunDoes() {
        Cli.Result saved = Cli.run("eval", run.toString()).noStackTrace();
        Cli.Result withConfig = Cli.run("eval", "--config", config.toString(), bare.toString()).noStackTrace();

        assertEquals(0, withConfig.code(), withConfig.toString());
        assertEquals(testLine(saved), testLine(withConfig));
        assertTrue(withConfig.out().contains("state_dict.safetensors (model of " + config + ")"), withConfig.out());
    }

    @Test
    void predictTakesTheConfigToo() {
        Cli.Result p = Cli.run("predict", "--config", config.toString(), bare.toString(), "--limit", "3").noStackTrace();
        assertEquals(0, p.code(), p.toString());
        assertTrue(p.out().contains("sample 2: predicted "), p.out());
    }

    @Test
    void withoutTheConfigTheErrorSaysToGiveIt() {
        Cli.Result e = Cli.run("eval", bare.toString()).noStackTrace();
        assertEquals(2, e.code(), e.toString());
        assertTrue(e.err().contains("give the config of their model: --config CONFIG.yaml " + bare), e.err());
    }

    @Test
    void weightsOfAnotherModelAreRefusedNamingTheKeys() throws IOException {
        Path other = Cli.write(dir, "wide.yaml", Cli.discConfig().replace("linear: {out: 16}", "linear: {out: 32}"));
        Cli.Result e = Cli.run("eval", "--config", other.toString(), bare.toString()).noStackTrace();
        assertEquals(2, e.code(), e.toString());
        assertTrue(e.err().contains("the weights do not fit the model of " + other + ": loaded 2, missing 0,"
                + " unexpected 0, shape mismatch 7"), e.err());
        assertTrue(e.err().contains("0.weight (model [32, 2], source [16, 2])"), e.err());
    }
}
