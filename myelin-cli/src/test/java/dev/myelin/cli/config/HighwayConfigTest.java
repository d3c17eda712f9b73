package dev.myelin.cli.config;

import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.model.bind.ConfigException;
import dev.myelin.nn.Highway;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code highway} layer type of the config. */
class HighwayConfigTest {
    @TempDir
    Path dir;

    private RunConfig load(String model) throws IOException {
        return ConfigLoader.load(Cli.write(dir, "h.yaml", Cli.discConfig().replaceAll("(?s)model:.*loss:",
                "model:\n" + model + "loss:")), List.of(), null);
    }

    @Test
    void buildsAGatedLayerWithTheConfiguredGateBias() throws IOException {
        RunConfig c = load("  - linear: {out: 8}\n  - highway: {gate_bias: -3}\n  - highway\n  - linear: {out: 2}\n");
        Sequential m = c.spec().build(new int[] {2}, 2, new Rng(1));
        Highway h = assertInstanceOf(Highway.class, m.layers().get(1));
        assertEquals(-3f, h.gate().bias().data()[0], 0f);
        assertEquals(-2f, ((Highway) m.layers().get(2)).gate().bias().data()[0], 0f);
        assertTrue(m.stateDict().containsKey("1.gate.weight") && m.stateDict().containsKey("1.transform.0.weight"));
        String yaml = ConfigLoader.toYaml(c);
        assertTrue(yaml.contains("activation: \"relu\"") || yaml.contains("activation: relu"), yaml);
    }

    @Test
    void badOptionsAndShapesAreNamed() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> load("  - highway: {activation: gelu}\n"));
        assertTrue(e.getMessage().contains("model[0].highway.activation") && e.getMessage().contains("relu, tanh"),
                e.getMessage());
        RunConfig c = load("  - highway\n  - linear: {out: 2}\n");
        // a 1x2x2 image sample is not flat: the error says to flatten first
        ConfigException shape = assertThrows(ConfigException.class, () -> c.spec().build(new int[] {1, 2, 2}, 2,
                new Rng(1)));
        assertTrue(shape.getMessage().contains("model[0].highway") && shape.getMessage().contains("flatten"),
                shape.getMessage());
    }
}
