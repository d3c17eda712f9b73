package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.SafeTensors;
import dev.myelin.model.SavedModel;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict --input table.csv} finds the feature columns by the names saved with the model:
 * a reordered table gives the same answers, extra columns are left out, a missing one is named.
 */
class PredictByNameTest {
    @TempDir
    static Path dir;
    static Path run;

    /** Rows "a,b,c,kind" where kind depends on a and c only, so swapping columns would change the answers. */
    private static String table(int from, int to) {
        StringBuilder sb = new StringBuilder("a,b,c,kind\n");
        for (int i = from; i < to; i++) {
            double a = (i * 37 % 50) / 5.0;
            double b = (i * 11 % 50) / 5.0;
            double c = -((i * 23 % 50) / 5.0);
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s%n", a, b, c, a + c > 0 ? "up" : "down"));
        }
        return sb.toString();
    }

    /** The same rows with the columns in another order ({@code kind, c, id, a, b}) and an id column added. */
    private static String reordered(String table) {
        StringBuilder sb = new StringBuilder("kind,c,id,a,b\n");
        table.lines().skip(1).forEach(l -> {
            String[] f = l.split(",");
            sb.append(f[3]).append(',').append(f[2]).append(",row").append(sb.length()).append(',').append(f[0])
                    .append(',').append(f[1]).append('\n');
        });
        return sb.toString();
    }

    @BeforeAll
    static void trainOnATable() throws IOException {
        Cli.write(dir, "train.csv", table(0, 200));
        Cli.write(dir, "test.csv", table(200, 260));
        Path cfg = Cli.write(dir, "tab.yaml", """
                seed: 1
                data: {dataset: csv, train: train.csv, test: test.csv, label: kind, standardize: per-feature}
                model: [{linear: {out: 16}}, tanh, {linear: {out: 2}}]
                optimizer: {name: adam, lr: 0.05}
                epochs: 15
                batch_size: 16
                """);
        run = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
    }

    private static String accuracyLine(Cli.Result r) {
        return r.out().lines().filter(l -> l.startsWith("accuracy ")).findFirst().orElseThrow(() ->
                new AssertionError(r.toString()));
    }

    @Test
    void theCheckpointNamesTheFeatureColumns() throws IOException {
        assertEquals("[\"a\",\"b\",\"c\"]",
                SafeTensors.read(run.resolve("model.safetensors")).metadata().get("myelin.features"));
    }

    @Test
    void reorderedColumnsAndAnExtraOneGiveTheSameAnswers() throws IOException {
        Path original = Cli.write(dir, "in.csv", table(200, 260));
        Path shuffled = Cli.write(dir, "shuffled.csv", reordered(table(200, 260)));

        Cli.Result a = Cli.run("predict", run.toString(), "--input", original.toString()).noStackTrace();
        Cli.Result b = Cli.run("predict", run.toString(), "--input", shuffled.toString()).noStackTrace();

        assertEquals(0, b.code(), b.toString());
        assertTrue(b.out().contains("shuffled.csv (60 rows, columns left out: id)"), b.out());
        assertEquals(accuracyLine(a), accuracyLine(b));
        assertTrue(Double.parseDouble(accuracyLine(a).substring(9, 15)) > 0.9, accuracyLine(a));
        assertEquals(a.out().lines().filter(l -> l.startsWith("sample ")).toList(),
                b.out().lines().filter(l -> l.startsWith("sample ")).toList());
    }

    @Test
    void evalReadsAReorderedTestFileByName() throws IOException {
        Cli.Result before = Cli.run("eval", run.toString()).noStackTrace();
        Path other = dir.resolve("other");
        java.nio.file.Files.createDirectories(other);
        Cli.write(other, "train.csv", table(0, 200));
        Cli.write(other, "test.csv", reordered(table(200, 260)).replaceAll(",row\\d+", "").replace(",id", ""));

        Cli.Result after = Cli.run("eval", run.toString(), "--data", other.toString()).noStackTrace();

        assertEquals(0, after.code(), after.toString());
        String line = before.out().lines().filter(l -> l.contains("test accuracy")).findFirst().orElseThrow();
        assertTrue(after.out().contains(line), before.out() + "\n---\n" + after.out());
    }

    @Test
    void aMissingColumnIsNamed() throws IOException {
        Path in = Cli.write(dir, "partial.csv", "c,a,kind\n1,2,up\n");
        Cli.Result r = Cli.run("predict", run.toString(), "--input", in.toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("partial.csv:1: expected the feature column 'b' that the model was trained on,"
                + " found the columns [c, a, kind]; give every feature column of the training data (in any order)"),
                r.err());
    }

    /** The core's SavedModel, as a Java program uses it, answers what {@code myelin predict} writes. */
    @Test
    void aJavaProgramLoadsTheRunAndPredictsWhatPredictWrites() throws IOException {
        Path in = Cli.write(dir, "shuffled-java.csv", reordered(table(200, 260)));
        Path out = dir.resolve("predictions.csv");
        Cli.Result r = Cli.run("predict", run.toString(), "--input", in.toString(), "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());

        SavedModel model = SavedModel.load(run);
        List<String> lines = java.nio.file.Files.readAllLines(in);
        List<String> header = List.of(lines.get(0).split(","));
        float[][] rows = new float[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            rows[i - 1] = new float[f.length];
            for (int j = 0; j < f.length; j++) {
                rows[i - 1][j] = j == header.indexOf("c") || j == header.indexOf("a") || j == header.indexOf("b")
                        ? Float.parseFloat(f[j]) : Float.NaN;
            }
        }
        Tensor x = model.inputs(header, rows);
        int[] classes = model.predictClasses(x);
        float[] p = model.probabilities(x).toArray();
        List<String> written = java.nio.file.Files.readAllLines(out);
        assertEquals(rows.length + 1, written.size());
        for (int i = 0; i < rows.length; i++) {
            String[] w = written.get(i + 1).split(",");
            assertEquals(w[2], model.className(classes[i]), "row " + i);
            assertEquals(Float.parseFloat(w[3]), p[2 * i], 1e-6f, "row " + i);
        }
    }
}
