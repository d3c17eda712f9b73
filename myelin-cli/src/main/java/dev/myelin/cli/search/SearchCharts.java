package dev.myelin.cli.search;

import dev.myelin.cli.report.Chart;
import dev.myelin.search.Parameter;
import dev.myelin.search.Search;
import dev.myelin.search.SearchSpace;
import dev.myelin.search.Trial;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code search.png}: the metric against each searched key (log axis where the space is log, one
 * column per value for a categorical key such as the optimizer's name), one point per trial at the
 * first rung's budget, the winner marked; for successive
 * halving also the bracket, each promoted trial's metric against its budget.
 */
final class SearchCharts {
    private SearchCharts() {
    }

    static void save(Path png, SearchConfig search, Search.Outcome o) throws IOException {
        List<Chart> panels = panels(search.options().space(), search.metric(), o);
        if (!panels.isEmpty()) {
            Chart.save(png, Math.min(3, panels.size()), panels);
        }
    }

    /**
     * One panel per searched key (numbers on their own axis, other values one column each in the
     * order the space lists them), then the bracket when trials were promoted.
     */
    static List<Chart> panels(SearchSpace space, String metric, Search.Outcome o) {
        List<Search.Evaluation> first = o.evaluations().stream().filter(e -> e.rung() == 0).toList();
        List<Chart> panels = new ArrayList<>();
        for (Parameter p : space.parameters()) {
            List<Search.Evaluation> tried = first.stream().filter(e -> e.trial().params().containsKey(p.key())).toList();
            if (tried.isEmpty()) {
                continue;
            }
            boolean numeric = tried.stream().allMatch(e -> e.trial().params().get(p.key()) instanceof Number);
            List<String> names = numeric ? null : categories(p, tried);
            Chart c = Chart.of(metric + " vs " + p.key(), p.key(), metric);
            c.points("trials (" + first.get(0).budget() + (first.get(0).budget() == 1 ? " epoch)" : " epochs)"),
                    x(tried, p.key(), names), y(tried));
            List<Search.Evaluation> winner = tried.stream().filter(e -> e.trial().equals(o.best().trial())).toList();
            if (!winner.isEmpty()) {
                c.points("best: trial " + o.best().trial().name(), x(winner, p.key(), names), y(winner));
            }
            panels.add(names != null ? c.categoriesX(names) : p.distribution().log() ? c.logX() : c);
        }
        if (o.evaluations().stream().anyMatch(e -> e.rung() > 0)) {
            panels.add(bracket(metric, o));
        }
        return panels;
    }

    /** The names of a categorical key's values: the space's own list first, then any other value seen. */
    private static List<String> categories(Parameter p, List<Search.Evaluation> tried) {
        Set<String> names = new LinkedHashSet<>();
        p.distribution().grid().forEach(v -> names.add(String.valueOf(v)));
        tried.forEach(e -> names.add(String.valueOf(e.trial().params().get(p.key()))));
        return List.copyOf(names);
    }

    private static Chart bracket(String metric, Search.Outcome o) {
        Chart c = Chart.of("successive halving: " + metric + " per rung", "epochs", metric);
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

    /** Each trial's value of {@code key}, or its column among {@code names} when the key is categorical. */
    private static double[] x(List<Search.Evaluation> es, String key, List<String> names) {
        return es.stream().mapToDouble(e -> {
            Object v = e.trial().params().get(key);
            return names == null ? ((Number) v).doubleValue() : names.indexOf(String.valueOf(v));
        }).toArray();
    }

    private static double[] y(List<Search.Evaluation> es) {
        return es.stream().mapToDouble(Search.Evaluation::metric).toArray();
    }
}
