package dev.myelin.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs bench/pytorch_reference.py with Debian's /usr/bin/python3 and reads its JSON line.
 *
 * <p>PyTorch is the anchor only on an optimized BLAS: {@code OPENBLAS_CORETYPE} and
 * {@code OPENBLAS_L2_SIZE} are removed from its environment (they hold old OpenBLAS builds to
 * older kernels), and the script itself refuses to measure (exit 3) when a 512³ matmul runs at a
 * reference BLAS's speed; then no PyTorch figure and no ratio is reported.
 */
final class PyTorchTwin {
    private static final Path SCRIPT = Path.of("bench/pytorch_reference.py");
    /** The exit status with which the twin refuses to run on a reference BLAS. */
    private static final int REFERENCE_BLAS = 3;
    private static boolean printedBlas;

    private PyTorchTwin() {
    }

    /** The JSON result line, or null (with a message) when PyTorch or the script is unavailable. */
    static String run(BenchMain.Args a, int threads, String... workload) throws Exception {
        if (!Files.exists(SCRIPT) || !Files.isExecutable(Path.of("/usr/bin/python3"))) {
            System.out.println("[torch] skipped: needs " + SCRIPT + " (run from the repository root) and /usr/bin/python3");
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), "--threads", Integer.toString(threads)));
        if (a.trainLimit() > 0) {
            cmd.addAll(List.of("--train-limit", Integer.toString(a.trainLimit())));
        }
        if (a.data() != null) {
            cmd.addAll(List.of("--data", a.data().toString()));
        }
        cmd.addAll(List.of(workload));
        Path log = Files.createTempFile("myelin-bench-torch", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(log.toFile()));
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = p.waitFor();
            if (rc == REFERENCE_BLAS) {
                System.out.println("[torch] not reported: " + Files.readString(log).strip());
                return null;
            }
            if (rc != 0 || out.isEmpty()) {
                System.out.println("[torch] skipped: the PyTorch twin exited with " + rc
                        + " (apt-get install -y python3-torch libopenblas0-pthread to compare); its last words: "
                        + tail(Files.readString(log)));
                return null;
            }
            String[] lines = out.split("\n");
            String json = lines[lines.length - 1];
            if (!printedBlas) {
                printedBlas = true;
                System.out.println("[torch] BLAS " + blas(json));
            }
            return json;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** "LIBRARY (512^3 matmul at G GFLOP/s)" from the result's {@code meta.blas}. */
    static String blas(String json) {
        Matcher lib = Pattern.compile("\"libraries\":\\s*\\[([^\\]]*)\\]").matcher(json);
        String name = lib.find() ? lib.group(1).replace("\"", "") : "(not found)";
        return name + " (512^3 matmul at " + number(json, "matmul512_gflops") + " GFLOP/s)";
    }

    private static String tail(String log) {
        String[] lines = log.strip().split("\n");
        return lines[lines.length - 1];
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*([-0-9.eE]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("the PyTorch result has no '" + key + "': " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    static double lastNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*([-0-9.eE]+)").matcher(json);
        double v = Double.NaN;
        while (m.find()) {
            v = Double.parseDouble(m.group(1));
        }
        return v;
    }

    /** Values of {@code key} that follow each occurrence of {@code anchor}. */
    static List<Double> numbersAfter(String json, String anchor, String key) {
        List<Double> out = new ArrayList<>();
        int at = 0;
        while ((at = json.indexOf(anchor, at)) >= 0) {
            Matcher m = Pattern.compile("\"" + key + "\":\\s*([-0-9.eE]+)").matcher(json);
            if (m.find(at)) {
                out.add(Double.parseDouble(m.group(1)));
            }
            at += anchor.length();
        }
        return out;
    }
}
