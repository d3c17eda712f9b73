package dev.myelin.cli.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cli.report.Chart;
import dev.myelin.search.Distribution;
import dev.myelin.search.Parameter;
import dev.myelin.search.Search;
import dev.myelin.search.SearchSpace;
import dev.myelin.search.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** search.png's panels: a categorical key gets a panel of its own, as a numeric one does. */
class SearchChartsTest {
    @TempDir
    Path dir;

    @Test
    void aCategoricalKeyIsChartedOneColumnPerValue() throws IOException {
        SearchSpace space = new SearchSpace(List.of(
                Parameter.of("optimizer.name", new Distribution.Choice(List.of("sgd", "adam", "nadam"))),
                Parameter.of("optimizer.lr", new Distribution.LogUniform(1e-4, 1e-1))));
        List<Search.Evaluation> evals = new ArrayList<>();
        String[] names = {"adam", "sgd", "adam", "nadam"};
        for (int i = 0; i < names.length; i++) {
            Trial t = new Trial(i, Map.of("optimizer.name", names[i], "optimizer.lr", 1e-3 * (i + 1)));
            evals.add(new Search.Evaluation(t, 0, 2, 0.5 - 0.1 * i));
        }
        Search.Outcome o = new Search.Outcome(evals.stream().map(Search.Evaluation::trial).toList(), evals,
                evals.get(3));
        List<Chart> panels = SearchCharts.panels(space, "val_loss", o);
        assertEquals(List.of("val_loss vs optimizer.name", "val_loss vs optimizer.lr"),
                panels.stream().map(Chart::title).toList());
        assertTrue(panels.get(0).render().getWidth() > 0);
        Path png = dir.resolve("search.png");
        Chart.save(png, 2, panels);
        assertTrue(Files.size(png) > 1000);
    }
}
