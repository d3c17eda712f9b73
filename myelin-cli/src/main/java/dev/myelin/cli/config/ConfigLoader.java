package dev.myelin.cli.config;

import dev.myelin.model.bind.ConfigException;
import dev.myelin.model.bind.Source;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a YAML config into a tree, applies {@code --set} and {@code --data}, and validates it by
 * hand into a {@link RunConfig}, so that every error names the file and the field.
 */
public final class ConfigLoader {
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigLoader() {
    }

    /**
     * Loads {@code file}.
     *
     * @param sets    {@code key=value} assignments, applied in order
     * @param dataDir the {@code --data} directory, or null
     */
    public static RunConfig load(Path file, List<String> sets, Path dataDir) {
        return load(file, runName(file), sets, dataDir);
    }

    /** Loads {@code file} as the run {@code name} (a run folder's config.yaml, whose file name is not the run's). */
    public static RunConfig load(Path file, String name, List<String> sets, Path dataDir) {
        Source src = new Source(file.toString());
        return bind(readYaml(file, src), src, name, sets, dataDir, file.toAbsolutePath().getParent());
    }

    /**
     * The YAML tree of {@code file} (at most 1 MiB), for a command that reads a section of its
     * own (a search's {@code search:}) and binds the rest with {@link #load(Path, String, ObjectNode, List, Path)}.
     */
    public static ObjectNode tree(Path file) {
        Source src = new Source(file.toString());
        JsonNode root = readYaml(file, src);
        if (!(root instanceof ObjectNode obj)) {
            throw src.error("", "a YAML mapping of settings (seed, data, model, loss, optimizer, epochs, batch_size)",
                    root == null || root.isMissingNode() ? "an empty file" : Source.describe(root),
                    "See examples/fashion-mlp.yaml");
        }
        return obj;
    }

    /** Applies one {@code --set key=value} to {@code root} (a section a command reads itself). */
    public static void override(ObjectNode root, String assignment, Source src) {
        Overrides.apply(root, assignment, src);
    }

    /** Binds a copy of {@code root}, a tree read from {@code file} (relative paths are relative to it), as the run {@code name}. */
    public static RunConfig load(Path file, String name, ObjectNode root, List<String> sets, Path dataDir) {
        return bind(root.deepCopy(), new Source(file.toString()), name, sets, dataDir,
                file.toAbsolutePath().getParent());
    }

    /**
     * Loads a config shipped inside the program (a lab's run, {@code lab/NAME/RUN.yaml} on the
     * class path), named {@code label} in errors. Relative paths in it are left as they are.
     */
    public static RunConfig loadResource(String label, String name, List<String> sets, Path dataDir) {
        Source src = new Source(label);
        try (var in = ConfigLoader.class.getClassLoader().getResourceAsStream(label)) {
            if (in == null) {
                throw new ConfigException(label + ": no such config inside myelin; the build packs examples/" + label);
            }
            return bind(YAML.readTree(in), src, name, sets, dataDir, null);
        } catch (IOException e) {
            throw new ConfigException(label + ": cannot read the config: " + e.getMessage());
        }
    }

    private static RunConfig bind(JsonNode root, Source src, String name, List<String> sets, Path dataDir, Path parent) {
        if (!(root instanceof ObjectNode obj)) {
            throw src.error("", "a YAML mapping of settings (seed, data, model, loss, optimizer, epochs, batch_size)",
                    root == null || root.isMissingNode() ? "an empty file" : Source.describe(root),
                    "See examples/fashion-mlp.yaml");
        }
        for (String s : sets) {
            Overrides.apply(obj, s, src);
        }
        if (dataDir != null) {
            Overrides.setDataDir(obj, dataDir.toAbsolutePath().normalize().toString(), src);
        }
        return RunConfig.parse(name, src, obj, parent);
    }

    /** A config saved as JSON text (a checkpoint's metadata), described as {@code label} in errors. */
    public static RunConfig fromJson(String json, String name, String label) {
        Source src = new Source(label);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(label + ": the saved configuration is not valid JSON: " + e.getOriginalMessage());
        }
        return RunConfig.parse(name, src, root, null);
    }

    /** The resolved config as YAML text (config.yaml). */
    public static String toYaml(RunConfig c) {
        try {
            return YAML.writeValueAsString(c.toTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing the config as YAML failed", e);
        }
    }

    /** The resolved config as compact JSON (the checkpoint's metadata). */
    public static String toJson(RunConfig c) {
        return c.toTree().toString();
    }

    /** A {@code --set} value read as a YAML scalar: {@code 0.01} a number, {@code true} a boolean, {@code [1, 2]} a list. */
    static JsonNode scalar(String text) {
        if (text.isBlank()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(text);
        }
        try {
            JsonNode n = YAML.readTree(text);
            return n == null || n.isMissingNode() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.nullNode() : n;
        } catch (JsonProcessingException e) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(text);
        }
    }

    /**
     * The largest config file read, 1 MiB: the examples are a few hundred bytes, and the YAML
     * parser needs about 500 bytes of heap per byte of a document (a 10 MB one took 4.7 GB and 29 s).
     */
    static final long MAX_BYTES = 1 << 20;

    private static JsonNode readYaml(Path file, Source src) {
        try {
            long bytes = Files.size(file);
            if (bytes > MAX_BYTES) {
                throw new ConfigException(file + ": expected a config of at most " + MAX_BYTES + " bytes (1 MiB), found "
                        + bytes + " bytes. A config describes a run in a few lines; is this a data file? Give data"
                        + " files under data: (e.g. data.train)");
            }
            return YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such config file; expected a YAML file such as examples/fashion-mlp.yaml");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(file + ": not valid YAML" + where + ": " + e.getOriginalMessage()
                    + ". Check the indentation and the `key: value` syntax there");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the config file: " + e.getMessage());
        }
    }

    /** {@code examples/fashion-mlp.yaml} -> {@code fashion-mlp}. */
    public static String runName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
