package dev.myelin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.Golden;
import dev.myelin.io.SafeTensors;
import dev.myelin.nn.Module;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model saved by Myelin loads into PyTorch with {@code load_state_dict(strict=True)}: the checked-in
 * {@code myelin_saved.safetensors} is what {@link SavedModel#save} writes, and {@code tools/golden/make_golden.py}
 * loads it into {@code nn.Sequential(Linear(4, 8), BatchNorm1d(8), ReLU(), Linear(8, 3))} strictly (the script
 * fails otherwise) and records torch's eval-mode logits, which Myelin must reproduce.
 *
 * <p>{@code -Dmyelin.golden.write=true} rewrites the checked-in file from {@link #model()}; then rerun the script.
 */
class MyelinToTorchTest {
    static final String SPEC = "{\"model\": [{\"linear\": {\"out\": 8}}, {\"batchnorm1d\": {}}, \"relu\","
            + " {\"linear\": {\"out\": 3}}]}";

    @TempDir
    Path dir;

    /** The model, with non-trivial running statistics from three training-mode passes. */
    static SavedModel model() {
        ModelSpec spec = ModelSpec.fromJson(SPEC, "myelin_saved");
        Module m = spec.build(new int[] {4}, 3, new Rng(62));
        m.train();
        for (int i = 0; i < 3; i++) {
            m.forward(Tensor.randn(new Rng(100 + i), 16, 4).mul(2f).add(0.5f));
        }
        return SavedModel.of(m, spec, new int[] {4}, 3);
    }

    private static Path checkedIn() {
        return Path.of("src/test/resources/golden/myelin_saved.safetensors");
    }

    @Test
    void theCheckedInFileIsWhatSaveWritesToday() throws IOException {
        Path now = dir.resolve("now.safetensors");
        model().save(now);
        if (Boolean.getBoolean("myelin.golden.write")) {
            Files.copy(now, checkedIn(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path golden = dir.resolve("golden.safetensors");
        try (InputStream in = MyelinToTorchTest.class.getResourceAsStream("/golden/myelin_saved.safetensors")) {
            Files.copy(in, golden);
        }
        assertEquals(layout(now), layout(golden), "rewrite it: -Dmyelin.golden.write=true, then make_golden.py");
    }

    @Test
    void torchLoadedTheSavedModelStrictlyAndMyelinGivesTorchsLogits() throws IOException {
        Golden g = Golden.load("myelin_saved.json");
        assertEquals(0, g.get("missing_keys").size());
        assertEquals(0, g.get("unexpected_keys").size());
        assertEquals("torch.int64", g.get("num_batches_tracked_dtype").asString());
        Path file = dir.resolve("model.safetensors");
        try (InputStream in = MyelinToTorchTest.class.getResourceAsStream("/golden/myelin_saved.safetensors")) {
            Files.copy(in, file);
        }
        SavedModel m = SavedModel.load(file);
        g.tolerance().assertClose("logits", g.get("logits").tensor(), m.predict(g.get("inputs").tensor()));
        assertEquals(g.get("num_batches_tracked").asLong(), (long) m.state().get("1.num_batches_tracked").data()[0]);
    }

    /** Each tensor's key, dtype and shape as the file's header gives them, sorted by key. */
    private static Map<String, String> layout(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) dev.myelin.io.Json.parse(header.trim());
        Map<String, String> out = new TreeMap<>();
        h.forEach((k, v) -> {
            if (!k.equals("__metadata__")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> e = (Map<String, Object>) v;
                out.put(k, e.get("dtype") + " " + e.get("shape"));
            }
        });
        assertTrue(SafeTensors.read(file).metadata().containsKey("myelin.config"));
        return out;
    }
}
