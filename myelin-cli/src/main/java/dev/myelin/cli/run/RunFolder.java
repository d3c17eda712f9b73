package dev.myelin.cli.run;

import dev.myelin.model.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The folder a training run writes: {@code config.yaml}, {@code metrics.csv}, {@code summary.json}
 * and {@code model.safetensors} (an ensemble: {@code members/<k>/} with each member's metrics.csv
 * and model.safetensors). By default {@code runs/<config name>-<yyyyMMdd-HHmmss>} under
 * the working directory (with {@code -2}, {@code -3}, ... when that name is taken).
 */
public final class RunFolder {
    public static final String CONFIG = "config.yaml";
    public static final String METRICS = "metrics.csv";
    public static final String SUMMARY = "summary.json";
    /** The folder of the full checkpoints a run resumes from ({@code last}, {@code best}). */
    public static final String CHECKPOINTS = "checkpoints";
    /** The folder of an ensemble's members. */
    public static final String MEMBERS = SavedModel.MEMBERS;
    private static final List<String> OUTPUTS = List.of(CONFIG, METRICS, SUMMARY, Checkpoint.FILE_NAME,
            CHECKPOINTS, MEMBERS, "report.html", "curves.png");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunFolder() {
    }

    /**
     * Creates the run folder and locks it ({@link RunLock}): {@code out} when given (it must not
     * hold an earlier run), else a fresh default. The lock is taken before the folder is checked,
     * so a second process on the same {@code --out} learns which process holds it.
     */
    public static RunLock create(Path out, String name) throws IOException {
        if (out != null) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UserException("--out " + out + ": expected a folder, found a file");
            }
            RunLock lock = RunLock.acquire(Files.createDirectories(out));
            for (String f : OUTPUTS) {
                if (Files.exists(out.resolve(f))) {
                    lock.close();
                    throw new UserException("--out " + out + ": expected a new or empty folder, found an earlier run ("
                            + out.resolve(f) + "); choose another folder, delete that run, or continue it with"
                            + " `myelin train --resume " + out + "`");
                }
            }
            return lock;
        }
        Path base = Path.of("runs", name + "-" + LocalDateTime.now().format(STAMP));
        Path dir = base;
        for (int i = 2; Files.exists(dir); i++) {
            dir = Path.of(base + "-" + i);
        }
        return RunLock.acquire(Files.createDirectories(dir));
    }
}
