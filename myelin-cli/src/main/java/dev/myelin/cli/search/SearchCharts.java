package dev.myelin.cli.search;

import dev.myelin.cli.report.Chart;
import dev.myelin.search.Parameter;
import dev.myelin.search.Search;
import dev.myelin.search.Trial;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code search.png}: the metric against each numeric searched key (log axis where the space is
 * log), one point per trial at the first rung's budget, the winner marked; for successive
 * halving also the bracket, each promoted trial's metric against its budget.
 */
final class SearchCharts {
    private SearchCharts() {
    }

    static void save(Path png, SearchConfig search, Search.Outcome o) throws IOException {
        List<Search.Evaluation> first = o.evaluations().stream().filter(e -> e.rung() == 0).toList();
        Trial best = o.best().trial();
        List<Chart> panels = new ArrayList<>();
        for (Parameter p : search.options().space().parameters()) {
            List<Search.Evaluation> numeric = first.stream()
                    .filter(e -> e.trial().params().get(p.key()) instanceof Number).toList();
            if (numeric.isEmpty()) {
                continue;
            }
            Chart c = Chart.of(search.metric() + " vs " + p.key(), p.key(), search.metric())
                    .points("trials (" + first.get(0).budget() + (first.get(0).budget() == 1 ? " epoch)" : " epochs)"),
                            x(numeric, p.key()), y(numeric));
            List<Search.Evaluation> winner = numeric.stream().filter(e -> e.trial().equals(best)).toList();
            if (!winner.isEmpty()) {
                c.points("best: trial " + best.name(), x(winner, p.key()), y(winner));
            }
            panels.add(p.distribution().log() ? c.logX() : c);
        }
        if (o.evaluations().stream().anyMatch(e -> e.rung() > 0)) {
            panels.add(bracket(search, o));
        }
        if (!panels.isEmpty()) {
            Chart.save(png, Math.min(3, panels.size()), panels);
        }
    }

    private static Chart bracket(SearchConfig search, Search.Outcome o) {
        Chart c = Chart.of("successive halving: " + search.metric() + " per rung", "epochs", search.metric());
        Map<Trial, List<Search.Evaluation>> byTrial = new LinkedHashMap<>();
        o.evaluations().forEach(e -> byTrial.computeIfAbsent(e.trial(), t -> new ArrayList<>()).add(e));
        List<Search.Evaluation> stopped = new ArrayList<>();
        byTrial.forEach((t, es) -> {
            if (es.size() == 1) {
                stopped.add(es.get(0));
            } else {
                double[] x = es.stream().mapToDouble(Search.Evaluation::budget).toArray();
                c.line("trial " + t.name() + (t.equals(o.best().trial()) ? " (best)" : ""), x, y(es));
            }
        });
        if (!stopped.isEmpty()) {
            c.points("stopped after the first rung", stopped.stream().mapToDouble(Search.Evaluation::budget).toArray(),
                    y(stopped));
        }
        return c;
    }

    private static double[] x(List<Search.Evaluation> es, String key) {
        return es.stream().mapToDouble(e -> ((Number) e.trial().params().get(key)).doubleValue()).toArray();
    }

    private static double[] y(List<Search.Evaluation> es) {
        return es.stream().mapToDouble(Search.Evaluation::metric).toArray();
    }
}
