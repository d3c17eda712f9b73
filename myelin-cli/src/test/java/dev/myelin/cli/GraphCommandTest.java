package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code myelin graph CONFIG}: the forward and backward graphs of one step, as DOT or drawn by Graphviz. */
class GraphCommandTest {
    @TempDir
    Path dir;

    @Test
    void theForwardGraphNamesEveryParameterAndEndsAtTheLoss() throws IOException {
        Path cfg = Cli.write(dir, "tiny-disc.yaml", Cli.discConfig());
        Path dot = dir.resolve("g.dot");
        Cli.Result r = Cli.run("graph", cfg.toString(), "--out", dot.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("wrote " + dot + ": the forward pass to the loss of tiny-disc, "), r.out());
        assertTrue(r.out().contains("6 of the model's 6 parameter tensors, input [2, 2]"), r.out());
        String text = Files.readString(dot);
        for (String p : new String[] {"0.weight\\n[16, 2]", "1.bias\\n[16]", "4.weight\\n[2, 16]", "input\\n[2, 2]"}) {
            assertTrue(text.contains("label=\"" + p + "\""), p + " in\n" + text);
        }
        assertTrue(text.contains("BATCH_NORM"), text);

        Cli.Result b = Cli.run("graph", cfg.toString(), "--backward", "--out", dir.resolve("b.dot").toString());
        assertEquals(0, b.noStackTrace().code(), b.toString());
        assertTrue(b.out().contains("the backward pass of tiny-disc"), b.out());
    }

    @Test
    void anSvgIsDrawnByGraphvizOrItsDotIsLeftWithTheCommand() throws IOException {
        Path cfg = Cli.write(dir, "tiny-disc.yaml", Cli.discConfig());
        Path svg = dir.resolve("g.svg");
        Cli.Result r = Cli.run("graph", cfg.toString(), "--out", svg.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        if (Files.exists(svg)) {
            assertTrue(Files.readString(svg).contains("<svg"), "dot drew it");
            assertTrue(!Files.exists(dir.resolve("g.dot")), "the .dot is removed once drawn");
        } else {
            assertTrue(r.err().contains("dot is not installed") && r.err().contains("dot -Tsvg " + dir.resolve("g.dot")),
                    r.err());
            assertTrue(Files.exists(dir.resolve("g.dot")));
        }
        Cli.Result bad = Cli.run("graph", cfg.toString(), "--out", dir.resolve("g.txt").toString()).noStackTrace();
        assertEquals(2, bad.code(), bad.toString());
    }
}
