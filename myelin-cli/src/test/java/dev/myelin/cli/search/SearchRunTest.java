package dev.myelin.cli.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cli.Cli;
import dev.myelin.cli.run.UserException;
import dev.myelin.search.Journal;
import dev.myelin.search.Search;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a search turns its space into trial configs, without training them. */
class SearchRunTest {
    @TempDir
    Path dir;

    @Test
    void aSearchOverTheOptimizerGivesEachKindItsOwnDefaults() throws IOException {
        Path cfg = Cli.write(dir, "opt.yaml", Cli.discConfig().replace("{name: sgd, lr: 0.1, momentum: 0.9}",
                "{name: adam, lr: 0.01}") + """
                search:
                  strategy: grid
                  space:
                    optimizer.name: {choice: [sgd, adam, rmsprop]}
                    optimizer.momentum: {grid: [0.9], when: {optimizer.name: sgd}}
                """);
        SearchRun run = SearchRun.prepare(cfg, List.of(), null, dir.resolve("out"));
        run.writeConfigs(Journal.open(run.dir().resolve(SearchRun.JOURNAL))); // resolving every trial: Adam's resolved betas would be an unknown key of sgd
        var trials = Search.trials(run.search().options());
        String sgd = Files.readString(TrialRunner.config(run.dir(), trials.get(0)));
        String adam = Files.readString(TrialRunner.config(run.dir(), trials.get(1)));
        assertTrue(sgd.contains("name: sgd") && sgd.contains("lr: 0.01") && !sgd.contains("betas")
                && sgd.contains("momentum: 0.9"), sgd);
        assertTrue(adam.contains("name: adam") && adam.contains("betas"), adam);
        assertFalse(Files.readString(run.dir().resolve(SearchRun.CONFIG)).contains("betas"),
                "search.yaml keeps the config's own optimizer section, so --resume starts from it too");
        assertEquals(3, trials.size());
    }

    @Test
    void aConfigEditedBeforeResumeIsRefusedForTheTrialsThatStarted() throws IOException {
        Path cfg = Cli.write(dir, "lr.yaml", Cli.discConfig() + """
                search:
                  strategy: random
                  trials: 2
                  space:
                    model[3].dropout.p: {uniform: [0.0, 0.5]}
                """);
        Path out = dir.resolve("out");
        SearchRun run = SearchRun.prepare(cfg, List.of(), null, out);
        Journal journal = Journal.open(out.resolve(SearchRun.JOURNAL));
        run.writeConfigs(journal);
        journal.started(Search.trials(run.search().options()).get(0), 0, 2);
        SearchRun.resume(out).writeConfigs(Journal.open(out.resolve(SearchRun.JOURNAL))); // unchanged: fine

        Path yaml = out.resolve(SearchRun.CONFIG);
        Files.writeString(yaml, Files.readString(yaml).replace("lr: 0.1", "lr: 0.2"));
        UserException e = assertThrows(UserException.class,
                () -> SearchRun.resume(out).writeConfigs(Journal.open(out.resolve(SearchRun.JOURNAL))));
        assertTrue(e.getMessage().contains("trial 0000 started with the config in")
                && e.getMessage().contains("start a new search folder"), e.getMessage());
    }
}
