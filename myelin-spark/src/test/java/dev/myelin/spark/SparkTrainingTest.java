package dev.myelin.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.Cli;
import dev.myelin.io.SafeTensors;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code myelin train --spark}: one replica is bit for bit the plain run; two replicas repeat
 * their bits and learn as well; a killed executor (local-cluster, separate processes) is
 * recovered from the driver's last checkpoint.
 */
class SparkTrainingTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            seed: 4
            data: {dataset: disc, train_size: 2400, test_size: 400, validation: 0.2, standardize: none}
            model:
              - linear: {out: 32}
              - batchnorm1d: {}
              - relu
              - dropout: {p: 0.1}
              - linear: {out: 2}
            optimizer: {name: adam, lr: 0.01}
            epochs: 3
            batch_size: 64
            """;

    record Run(int code, String out, String err, Path folder) {
        Map<String, Tensor> weights() throws IOException {
            return SafeTensors.read(folder.resolve("model.safetensors")).tensors();
        }

        JsonNode summary() throws IOException {
            return new ObjectMapper().readTree(folder.resolve("summary.json").toFile());
        }
    }

    @BeforeAll
    static void sparkHome() throws IOException {
        // local-cluster starts executors from $SPARK_HOME/jars; the pom points SPARK_HOME here
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
    }

    private Run train(String name, String... extra) throws IOException {
        return train(CONFIG, name, 0, extra);
    }

    private Run train(String yaml, String name, int expectedCode, String... extra) throws IOException {
        Path config = dir.resolve("disc.yaml");
        Files.writeString(config, yaml);
        Path folder = dir.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("train", config.toString(), "--out", folder.toString(),
                "--threads", "1"));
        args.addAll(List.of(extra));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        Run r = new Run(result.code(), result.out(), result.err(), folder);
        assertEquals(expectedCode, r.code(), r.out() + r.err());
        return r;
    }

    private static List<String> layout(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.map(p -> folder.relativize(p).toString()).sorted().toList();
        }
    }

    private static void assertSameWeights(Run a, Run b) throws IOException {
        Map<String, Tensor> x = a.weights();
        Map<String, Tensor> y = b.weights();
        assertEquals(x.keySet(), y.keySet());
        x.forEach((k, t) -> assertArrayEquals(t.data(), y.get(k).data(), k));
    }

    @Test
    void oneReplicaIsThePlainRunBitForBit() throws IOException {
        Run plain = train("plain");
        Run spark = train("spark1", "--spark", "local[1]");
        assertSameWeights(plain, spark);
        assertEquals(plain.summary().get("test_accuracy"), spark.summary().get("test_accuracy"));
        assertEquals(layout(plain.folder()), layout(spark.folder()), "the same run folder");
        assertTrue(spark.out().contains("spark: 1 replica on local[1]"), spark.out());
        assertTrue(spark.out().contains("training disc into " + spark.folder()), "rank 0's console, the driver's folder:\n"
                + spark.out());
    }

    @Test
    void twoReplicasRepeatTheirBitsAndLearnAsOneProcessDoes() throws IOException {
        Run plain = train("plain");
        Run a = train("a", "--spark", "local[2]");
        Run b = train("b", "--spark", "local[2]");
        assertSameWeights(a, b);
        assertEquals(2, a.summary().get("replicas").asInt());
        double alone = plain.summary().get("test_accuracy").asDouble();
        double two = a.summary().get("test_accuracy").asDouble();
        assertEquals(alone, two, 0.03, "test accuracy of one process and of two replicas");
        assertTrue(a.out().matches("(?s).*spark: [0-9.]+ s per replica, [0-9.]+ s of it in all-reduce.*"), a.out());
    }

    @Test
    void aKilledExecutorIsRecoveredFromTheLastCheckpoint() throws IOException {
        // 30 steps an epoch: replica 1's executor process ends at step 40, in epoch 2; the driver
        // holds epoch 1's checkpoint, and all replicas resume from it in new executors
        System.setProperty("spark.myelin.test.killAt", "1:40");
        Run killed;
        try {
            killed = train("killed", "--spark", "local-cluster[2,1,1024]");
        } finally {
            System.clearProperty("spark.myelin.test.killAt");
        }
        assertTrue(killed.err().contains("myelin: spark: the training stage failed (attempt 1 of 3)"), killed.err());
        assertTrue(killed.out().contains("spark: restarting all replicas from " + killed.folder().resolve("checkpoints")
                .resolve("last") + " (step 30, epoch 2 batch 0), attempt 2 of 3"), killed.out());
        assertEquals("finished", killed.summary().get("status").asText());
        assertEquals(3, Files.readAllLines(killed.folder().resolve("metrics.csv")).size() - 1, "3 epochs in metrics.csv");
        // equal shards draw alike on every replica, so the resumed run is the uninterrupted one
        assertSameWeights(train("whole", "--spark", "local[2]"), killed);
    }

    @Test
    void dataOnAnotherFileSystemIsCopiedByEachExecutor() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        java.util.Random random = new java.util.Random(1);
        for (String split : List.of("train", "test")) {
            StringBuilder csv = new StringBuilder("a,b,label\n");
            for (int i = 0; i < 200; i++) {
                double a = random.nextGaussian();
                double b = random.nextGaussian();
                csv.append(a).append(',').append(b).append(',').append(a + b > 0 ? "yes" : "no").append('\n');
            }
            Files.writeString(data.resolve(split + ".csv"), csv);
        }
        String table = """
                seed: 2
                data: {dataset: csv, dir: DIR, train: train.csv, test: test.csv, label: label, validation: 0.0}
                model:
                  - linear: {out: 8}
                  - relu
                  - linear: {out: 2}
                optimizer: {name: adam, lr: 0.01}
                epochs: 2
                batch_size: 16
                """;
        Run local = train(table.replace("DIR", data.toString()), "local", 0);
        String remote = table.replace("DIR", data.toUri().toString()); // file:///..., read through Hadoop's FileSystem
        Run copied = train(remote, "copied", 0, "--spark", "local[1]");
        assertSameWeights(local, copied);
        assertTrue(Files.readString(copied.folder().resolve("config.yaml")).contains(data.toUri().toString()),
                "config.yaml keeps the remote folder");
        Run refused = train(remote, "refused", 2);
        assertTrue(refused.err().contains("data.dir " + data.toUri() + ": a folder on another file system is read by"
                + " `--spark` runs only"), refused.err());
    }
}
