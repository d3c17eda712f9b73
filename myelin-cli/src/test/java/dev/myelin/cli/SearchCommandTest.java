package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code myelin search} end to end on the disc: each trial a {@code myelin train} process. The
 * same seed gives the same results whatever {@code --parallel}, a resumed search does not train
 * a finished trial again, and a bad space is an error naming its field.
 */
class SearchCommandTest {
    @TempDir
    Path dir;

    private Path config(String search) throws IOException {
        return Cli.write(dir, "disc-search.yaml", Cli.discConfig() + search);
    }

    private static final String RANDOM = """
            search:
              strategy: random
              trials: 4
              space:
                optimizer.lr: {log_uniform: [1.0e-3, 1.0]}
                model[3].dropout.p: {uniform: [0.0, 0.5]}
            """;

    private static String withoutComment(Path best) throws IOException {
        return String.join("\n", Files.readAllLines(best).stream().filter(l -> !l.startsWith("#")).toList());
    }

    @Test
    void theSameSeedGivesTheSameTrialsAndWinnerWhateverRunsAtOnce() throws IOException {
        Path cfg = config(RANDOM);
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        Cli.Result r1 = Cli.run("search", cfg.toString(), "--out", one.toString(), "--parallel", "1").noStackTrace();
        assertEquals(0, r1.code(), r1.toString());
        Cli.Result r2 = Cli.run("search", cfg.toString(), "--out", two.toString(), "--parallel", "2").noStackTrace();
        assertEquals(0, r2.code(), r2.toString());
        assertTrue(r1.out().startsWith("search into " + one + ": 4 trials, random, 2 epochs each, minimizing val_loss"),
                r1.out());
        assertTrue(r1.out().contains("[4/4] trial "), r1.out());
        List<String> results = Files.readAllLines(one.resolve("results.csv"));
        assertEquals("trial,rung,budget,optimizer.lr,model[3].dropout.p,val_loss", results.get(0));
        assertEquals(5, results.size());
        assertEquals(results, Files.readAllLines(two.resolve("results.csv")));
        assertEquals(withoutComment(one.resolve("best.yaml")), withoutComment(two.resolve("best.yaml")));
        assertTrue(Files.isRegularFile(one.resolve("trials/0003/model.safetensors")), "each trial is a run folder");
        assertTrue(Files.size(one.resolve("search.png")) > 1000);
        assertTrue(Files.readString(one.resolve("report.html"))
                .contains("\"differing\":[\"model[3].dropout.p\",\"optimizer.lr\"]"), "the page tables the searched keys");
    }

    @Test
    void aResumedSearchDoesNotTrainAFinishedTrialAgain() throws IOException {
        Path cfg = config(RANDOM);
        Path whole = dir.resolve("whole");
        assertEquals(0, Cli.run("search", cfg.toString(), "--out", whole.toString()).noStackTrace().code());
        Path cut = dir.resolve("cut");
        assertEquals(0, Cli.run("search", cfg.toString(), "--out", cut.toString()).noStackTrace().code());
        // As if killed while trial 2 trained: its result and everything after it are gone.
        List<String> journal = Files.readAllLines(cut.resolve("journal.jsonl"));
        Files.write(cut.resolve("journal.jsonl"), journal.subList(0, 5));
        Files.delete(cut.resolve("results.csv"));
        Cli.Result r = Cli.run("search", "--resume", cut.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertEquals(Files.readAllLines(whole.resolve("results.csv")), Files.readAllLines(cut.resolve("results.csv")));
        Cli.Result again = Cli.run("search", cfg.toString(), "--out", cut.toString()).noStackTrace();
        assertEquals(2, again.code(), again.toString());
        assertTrue(again.err().contains("found an earlier search") && again.err().contains("--resume " + cut),
                again.err());
        assertEquals(1, Files.readAllLines(cut.resolve("trials/0000.log")).stream()
                .filter(l -> l.startsWith("training ")).count(), "trial 0 trained once");
    }

    @Test
    void successiveHalvingPromotesTheBestHalf() throws IOException {
        Path cfg = config("""
                search:
                  strategy: successive_halving
                  trials: 4
                  eta: 2
                  min_epochs: 1
                  metric: val_accuracy
                  space:
                    optimizer.lr: {log_uniform: [1.0e-3, 1.0]}
                """);
        Path out = dir.resolve("sh");
        Cli.Result r = Cli.run("search", cfg.toString(), "--out", out.toString(), "--parallel", "2").noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("successive halving: 4x1 2x2 (trials x epochs per rung), maximizing val_accuracy"),
                r.out());
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 4 + 2, rows.size(), rows.toString());
        assertTrue(rows.get(5).split(",")[1].equals("1") && rows.get(5).split(",")[2].equals("2"), rows.toString());
        assertTrue(Files.readString(out.resolve("best.yaml")).contains("epochs: 2"));
        assertTrue(Files.readString(out.resolve("journal.jsonl")).contains("\"event\":\"promote\""));

        Path asha = dir.resolve("asha");
        Cli.Result a = Cli.run("search", cfg.toString(), "--set", "search.strategy=asha", "--out", asha.toString(),
                "--parallel", "2").noStackTrace();
        assertEquals(0, a.code(), a.toString());
        assertTrue(a.out().contains("ASHA: 4x1 2x2"), a.out());
        assertTrue(Files.readAllLines(asha.resolve("results.csv")).stream().anyMatch(l -> l.split(",")[1].equals("1")),
                "ASHA promotes");
    }

    @Test
    void aBadSpaceOrNoValidationIsAnErrorNamingTheField() throws IOException {
        Cli.Result r = Cli.run("search", config("search: {space: {optimizer.lr: {log_uniform: [0, 1]}}}\n").toString());
        assertEquals(2, r.noStackTrace().code(), r.toString());
        assertTrue(r.err().contains("search.space.optimizer.lr.log_uniform") && r.err().contains("0 < a < b"), r.err());

        r = Cli.run("search", config("search: {space: {optimizer.lrr: {uniform: [0.1, 1]}}}\n").toString(), "--out",
                dir.resolve("x").toString());
        assertEquals(2, r.noStackTrace().code(), r.toString());
        assertTrue(r.err().contains("lrr"), r.err());

        r = Cli.run("search", config("search: {space: {batch_size: {choice: []}}}\n").toString());
        assertEquals(2, r.noStackTrace().code(), r.toString());
        assertTrue(r.err().contains("search.space.batch_size.choice"), r.err());

        r = Cli.run("search", config(RANDOM).toString(), "--set", "data.validation=0");
        assertEquals(2, r.noStackTrace().code(), r.toString());
        assertTrue(r.err().contains("data.validation is 0. Add one"), r.err());
    }
}
