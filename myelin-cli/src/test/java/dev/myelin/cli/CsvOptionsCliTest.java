package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The csv keys for files as they come: {@code header: false} with the label by position (a
 * scikit-learn or UCI file), {@code separator}, and {@code exclude} for an id column.
 */
class CsvOptionsCliTest {
    @TempDir
    Path dir;

    /** Rows "id;a;b;kind" (or without the id, and with {@code sep}), kind depending on a and b. */
    private static String rows(int from, int to, String sep, boolean id) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            double a = (i * 37 % 50) / 5.0 - 5;
            double b = (i * 11 % 50) / 5.0 - 5;
            sb.append(id ? "r" + i + sep : "").append(String.format(Locale.ROOT, "%s%s%s%s%s%n", a, sep, b, sep,
                    a + b > 0 ? "up" : "down"));
        }
        return sb.toString();
    }

    private static String config(String data) {
        return "seed: 1\ndata: " + data + "\nmodel: [{linear: {out: 8}}, tanh, {linear: {out: 2}}]\n"
                + "optimizer: {name: adam, lr: 0.05}\nepochs: 8\nbatch_size: 16\n";
    }

    @Test
    void aFileWithoutAHeaderTrainsAndPredictsByPosition() throws IOException {
        Cli.write(dir, "train.data", rows(0, 200, ",", false));
        Cli.write(dir, "test.data", rows(200, 260, ",", false));
        Path cfg = Cli.write(dir, "uci.yaml", config("{dataset: csv, train: train.data, test: test.data, header: false,"
                + " label: 2, standardize: per-feature}"));
        Path run = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("header: false"), "the resolved config keeps it");
        double acc = Double.parseDouble(r.out().replaceAll("(?s).*test accuracy ([0-9.]+).*", "$1"));
        assertTrue(acc > 0.9, "learns a + b > 0 from the positions: " + r.out());

        Path input = Cli.write(dir, "new.data", rows(300, 310, ",", false));
        Cli.Result p = Cli.run("predict", run.toString(), "--input", input.toString(), "--limit", "10").noStackTrace();
        assertEquals(0, p.code(), p.toString());
        assertTrue(p.out().contains("(10 rows)"), p.out());
        assertTrue(p.out().contains("on 10 labeled samples"), "the label column is found by position: " + p.out());
    }

    @Test
    void anotherSeparatorAndAnExcludedIdColumn() throws IOException {
        Cli.write(dir, "train.csv", "id;a;b;kind\n" + rows(0, 200, ";", true));
        Cli.write(dir, "test.csv", "id;a;b;kind\n" + rows(200, 260, ";", true));
        Path cfg = Cli.write(dir, "semi.yaml", config("{dataset: csv, train: train.csv, test: test.csv, separator: \";\","
                + " label: kind, exclude: [id], standardize: per-feature}"));
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", dir.resolve("run").toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("0 +Linear +\\[N, 8] +24  yes")), "two features: " + r.out());

        Cli.Result plain = Cli.run("train", cfg.toString(), "--set", "data.separator=\",\"", "--out",
                dir.resolve("run2").toString()).noStackTrace();
        assertEquals(2, plain.code(), plain.toString());
        assertTrue(plain.err().contains("the file seems separated by ';'; say so with data.separator: \";\""),
                plain.err());
    }

    @Test
    void badCsvKeysNameTheField() throws IOException {
        Cli.write(dir, "train.csv", "a,b,kind\n1,2,x\n");
        Path both = Cli.write(dir, "both.yaml", config("{dataset: csv, train: train.csv, test: train.csv, label: kind,"
                + " features: [a], exclude: [b]}"));
        Cli.Result r = Cli.run("train", both.toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("data.exclude") && r.err().contains("received both"), r.err());

        Path sep = Cli.write(dir, "sep.yaml", config("{dataset: csv, train: train.csv, test: train.csv, label: kind,"
                + " separator: \"ab\"}"));
        r = Cli.run("train", sep.toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("data.separator") && r.err().contains("one character"), r.err());
    }
}
