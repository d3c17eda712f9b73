package dev.myelin.cli.lab;

import dev.myelin.cli.Cli;
import dev.myelin.cli.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.lab.ConfigLab;
import dev.myelin.cli.lab.Experiment;
import dev.myelin.cli.lab.Labs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labs that are data: every run a {@link ConfigLab} names is a file of {@code examples/lab/NAME/}
 * (and no file there is left out), each loads as an ordinary config, and {@code myelin lab --set}
 * means what it means to {@code myelin train}.
 */
class ConfigLabTest {
    @TempDir
    Path dir;

    private static List<ConfigLab> configLabs() {
        return Labs.all().stream().filter(e -> e instanceof ConfigLab).map(e -> (ConfigLab) e).toList();
    }

    @Test
    void everyRunIsAFileOfTheLabsFolderAndLoads() throws IOException {
        assertTrue(!configLabs().isEmpty());
        for (ConfigLab lab : configLabs()) {
            Path folder = Path.of("..", "examples", "lab", lab.name());
            TreeSet<String> files = new TreeSet<>();
            try (Stream<Path> s = Files.list(folder)) {
                s.map(p -> p.getFileName().toString().replaceFirst("\\.yaml$", "")).forEach(files::add);
            }
            assertEquals(new TreeSet<>(lab.runs()), files, lab.name());
            for (String run : lab.runs()) {
                assertEquals(run, ConfigLoader.load(folder.resolve(run + ".yaml"), List.of(), null).name());
                assertEquals(run, ConfigLoader.loadResource(lab.resource(run), run, List.of(), null).name());
            }
        }
    }

    @Test
    void setChangesEveryRunAndIsWrittenIntoItsConfig() throws IOException {
        Path out = dir.resolve("opt");
        Cli.Result r = Cli.run("lab", "optimizers", "--quick", "--set", "epochs=1", "--seed", "3", "--out",
                out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("(quick mode: a smoke test"), r.out());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String run : configLabs().stream().filter(l -> l.name().equals("optimizers")).findFirst().orElseThrow()
                .runs()) {
            assertEquals(1, s.get("runs").get(run).get("epochs").asInt(), run);
            String config = Files.readString(out.resolve(run).resolve("config.yaml"));
            assertTrue(config.contains("epochs: 1") && config.contains("seed: 3"), config);
            assertTrue(Files.exists(out.resolve(run).resolve("model.safetensors")), run);
        }
    }

    @Test
    void aSetWithARunPrefixChangesThatRunAlone() throws IOException {
        Path out = dir.resolve("one");
        Cli.Result r = Cli.run("lab", "schedules", "--quick", "--set", "cosine:epochs=2", "--out", out.toString())
                .noStackTrace();
        assertEquals(0, r.code(), r.toString());
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(2, rows.stream().filter(l -> l.startsWith("cosine,")).count(), rows.toString());
        assertEquals(3, rows.stream().filter(l -> l.startsWith("constant,")).count(), rows.toString());
        assertTrue(Files.readString(out.resolve("cosine").resolve("config.yaml")).contains("epochs: 2"));
    }

    @Test
    void aRunPrefixThatNamesNoRunIsRefusedWithTheRuns() {
        Cli.Result r = Cli.run("lab", "schedules", "--quick", "--set", "cosin:epochs=2", "--out",
                dir.resolve("bad").toString()).noStackTrace();
        assertEquals(Main.USER, r.code(), r.toString());
        assertTrue(r.err().contains("--set cosin:epochs=2") && r.err().contains("constant, power")
                && r.err().contains("Did you mean 'cosine'?"), r.err());
    }

    @Test
    void aBadSetNamesTheRunsFileAndTheField() {
        Cli.Result r = Cli.run("lab", "optimizers", "--quick", "--set", "optimizer.lr=-1", "--out",
                dir.resolve("bad").toString()).noStackTrace();
        assertEquals(Main.USER, r.code(), r.toString());
        assertTrue(r.err().contains("lab/optimizers/sgd.yaml") && r.err().contains("optimizer.lr")
                && r.err().contains("--set optimizer.lr=-1"), r.err());
        assertTrue(Files.notExists(dir.resolve("bad").resolve("sgd").resolve("model.safetensors")), "nothing trained");
    }

    @Test
    void aLabThatIsAProgramRefusesSet() {
        Experiment e = Labs.find("conditioning").orElseThrow();
        assertTrue(!(e instanceof ConfigLab), "conditioning is a program: closed-form least squares, no training run");
        Cli.Result r = Cli.run("lab", "conditioning", "--quick", "--set", "epochs=3", "--out",
                dir.resolve("c").toString()).noStackTrace();
        assertEquals(Main.USER, r.code(), r.toString());
        assertTrue(r.err().contains("--set epochs=3") && r.err().contains("takes no --set"), r.err());
    }
}
