package dev.myelin.cli;

import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of every command that reads a config: {@code --data} and {@code --set}. */
final class ConfigOverrides {
    @Option(names = "--data", paramLabel = "DIR", description = "The data directory (overrides data.dir).")
    Path data;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Overrides a config value: a dotted path and a YAML value, e.g. optimizer.lr=0.01,"
                    + " data.train_limit=1000, model[1].linear.out=64. Repeatable.")
    List<String> sets = new ArrayList<>();

    /** {@code config} with the overrides applied. */
    RunConfig load(Path config) {
        return ConfigLoader.load(config, sets, data);
    }
}
