package dev.myelin.bench;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs bench/pytorch_reference.py with Debian's /usr/bin/python3 and reads its JSON line. */
final class PyTorchTwin {
    private static final Path SCRIPT = Path.of("bench/pytorch_reference.py");

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
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int rc = p.waitFor();
        if (rc != 0 || out.isEmpty()) {
            System.out.println("[torch] skipped: the PyTorch twin exited with " + rc
                    + " (apt-get install -y python3-torch to compare)");
            return null;
        }
        String[] lines = out.split("\n");
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
