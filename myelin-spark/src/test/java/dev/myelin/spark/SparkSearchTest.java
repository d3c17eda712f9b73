package dev.myelin.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code myelin search --spark}: the trials as Spark tasks give the local search's results. */
class SparkSearchTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            seed: 3
            data: {dataset: disc, train_size: 400, test_size: 100, validation: 0.2, standardize: none}
            model:
              - linear: {out: 16}
              - batchnorm1d: {}
              - relu
              - dropout: {p: 0.1}
              - linear: {out: 2}
            optimizer: {name: sgd, lr: 0.1, momentum: 0.9}
            epochs: 4
            batch_size: 32
            search:
              strategy: successive_halving
              trials: 4
              eta: 2
              min_epochs: 2
              metric: val_accuracy
              space:
                optimizer.lr: {log_uniform: [1.0e-3, 1.0]}
                model[3].dropout.p: {uniform: [0.0, 0.5]}
            """;

    private String search(String name, String... extra) throws IOException {
        Path config = dir.resolve("disc-search.yaml");
        Files.writeString(config, CONFIG);
        Path out = dir.resolve(name);
        String[] args = new String[6 + extra.length];
        String[] base = {"search", config.toString(), "--out", out.toString(), "--parallel", "2"};
        System.arraycopy(base, 0, args, 0, 6);
        System.arraycopy(extra, 0, args, 6, extra.length);
        Cli.Result r = Cli.run(args);
        String text = r.out() + r.err();
        assertEquals(0, r.code(), text);
        return text;
    }

    private static String withoutComment(Path best) throws IOException {
        return String.join("\n", Files.readAllLines(best).stream().filter(l -> !l.startsWith("#")).toList());
    }

    @Test
    void trialsAsSparkTasksGiveTheLocalResults() throws IOException {
        search("local", "--threads", "2");
        String spark = search("spark", "--threads", "2", "--spark", "local[2]");
        assertTrue(spark.contains("spark: trials as tasks on local[2]"), spark);
        String local = Files.readString(dir.resolve("local").resolve("results.csv"));
        assertEquals(local, Files.readString(dir.resolve("spark").resolve("results.csv")));
        assertEquals(6, local.strip().split("\n").length - 1, "4 trials at 2 epochs, 2 at 4: " + local);
        assertEquals(withoutComment(dir.resolve("local").resolve("best.yaml")),
                withoutComment(dir.resolve("spark").resolve("best.yaml")), "the same winner");
        assertTrue(Files.isRegularFile(dir.resolve("spark").resolve("trials").resolve("0001").resolve("checkpoints")
                .resolve("last").resolve("trainer.json")), "the trial's folder, back on the driver");
    }
}
