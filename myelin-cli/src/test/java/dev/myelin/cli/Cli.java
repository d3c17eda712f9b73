package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the CLI in-process with captured output. */
public final class Cli {
    private Cli() {
    }

    public record Result(int code, String out, String err) {
        /** Fails when stderr holds a stack trace (errors must be one readable message). */
        public Result noStackTrace() {
            assertFalse(err.contains("\tat ") || err.contains("Exception in thread"), "stack trace in stderr:\n" + err);
            return this;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(o, e, args);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** A tiny disc config: 200 training points, 100 test points, a 2-layer net, 2 epochs. */
    public static String discConfig() {
        return """
                seed: 3
                data:
                  dataset: disc
                  train_size: 200
                  test_size: 100
                  validation: 0.2
                  standardize: none
                model:
                  - linear: {out: 16}
                  - batchnorm1d: {}
                  - relu
                  - dropout: {p: 0.1}
                  - linear: {out: 2}
                loss: cross_entropy
                optimizer: {name: sgd, lr: 0.1, momentum: 0.9}
                epochs: 2
                batch_size: 32
                """;
    }
}
