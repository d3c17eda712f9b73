package dev.myelin.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A search's journal, {@code journal.jsonl}: one JSON object per line for every trial start,
 * result and promotion, appended and flushed as it happens. A resumed search reads it back and
 * does not run again what has a result; a last line cut short by a kill is ignored.
 *
 * <p>Events: {@code {"event":"start","trial":3,"rung":0,"budget":1,"params":{...}}},
 * {@code {"event":"result",...,"metric":0.42}}, {@code {"event":"promote","trial":3,"rung":1}}.
 */
public final class Journal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Map<String, Double> results = new HashMap<>();
    private final Map<Integer, JsonNode> params = new HashMap<>();

    private Journal(Path file) {
        this.file = file;
    }

    /** The journal at {@code file}, with the events already in it (none for a new search). */
    public static Journal open(Path file) throws IOException {
        Journal j = new Journal(file);
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                JsonNode e;
                try {
                    e = JSON.readTree(lines.get(i));
                } catch (IOException bad) {
                    if (i == lines.size() - 1) {
                        break; // a line cut short by a kill
                    }
                    throw new IOException(file + ":" + (i + 1) + ": not a journal line (JSON): " + bad.getMessage());
                }
                j.replay(e);
            }
        }
        return j;
    }

    private void replay(JsonNode e) {
        int trial = e.path("trial").asInt();
        switch (e.path("event").asText()) {
            case "start" -> params.putIfAbsent(trial, e.get("params"));
            case "result" -> results.put(key(trial, e.path("budget").asInt()),
                    e.get("metric").isNull() ? Double.NaN : e.get("metric").asDouble());
            default -> { }
        }
    }

    private static String key(int trial, int budget) {
        return trial + "@" + budget;
    }

    /** The metric recorded for {@code trial} at {@code budget} epochs, or null when there is none yet. */
    public synchronized Double result(int trial, int budget) {
        return results.get(key(trial, budget));
    }

    /**
     * Checks that {@code t} is the trial the journal started under its number: a search resumed
     * with another space or seed would mix two searches.
     *
     * @throws IllegalArgumentException when the journal's trial had other values
     */
    public synchronized void check(Trial t) {
        JsonNode before = params.get(t.id());
        if (before != null && !before.equals(JSON.valueToTree(t.params()))) {
            throw new IllegalArgumentException(file + ": trial " + t.id() + " was " + before + " in this search and is "
                    + JSON.valueToTree(t.params()) + " now: the space or the seed changed. Start a new search folder");
        }
    }

    /** True when the journal holds a start of trial {@code id} (it trained, or began to). */
    public synchronized boolean hasStarted(int id) {
        return params.containsKey(id);
    }

    /** Records that {@code t} starts training to {@code budget} epochs in rung {@code rung}. */
    public synchronized void started(Trial t, int rung, int budget) {
        ObjectNode e = event("start", t.id(), rung, budget);
        e.set("params", JSON.valueToTree(t.params()));
        params.putIfAbsent(t.id(), e.get("params"));
        append(e);
    }

    /** Records {@code t}'s metric after {@code budget} epochs (NaN: the trial failed or diverged). */
    public synchronized void result(Trial t, int rung, int budget, double metric) {
        ObjectNode e = event("result", t.id(), rung, budget);
        if (Double.isFinite(metric)) {
            e.put("metric", metric);
        } else {
            e.putNull("metric");
        }
        results.put(key(t.id(), budget), metric);
        append(e);
    }

    /** Records that {@code t} goes on to rung {@code rung}. */
    public synchronized void promoted(Trial t, int rung, int budget) {
        append(event("promote", t.id(), rung, budget));
    }

    private static ObjectNode event(String kind, int trial, int rung, int budget) {
        return JSON.createObjectNode().put("event", kind).put("trial", trial).put("rung", rung).put("budget", budget)
                .put("time", java.time.Instant.now().toString());
    }

    private void append(ObjectNode e) {
        try {
            Files.writeString(file, e + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException x) {
            throw new UncheckedIOException(file + ": cannot write the search journal: " + x.getMessage(), x);
        }
    }
}
