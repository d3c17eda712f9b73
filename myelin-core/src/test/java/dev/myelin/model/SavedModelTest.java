package dev.myelin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.Preprocessing;
import dev.myelin.data.Standardizer;
import dev.myelin.io.CheckpointException;
import dev.myelin.io.SafeTensors;
import dev.myelin.model.bind.ConfigException;
import dev.myelin.nn.Module;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model saved from Java loads back and predicts exactly what it predicted before, without the command line. */
class SavedModelTest {
    private static final String MLP = "{\"model\": [\"flatten\", {\"linear\": {\"out\": 8}}, {\"batchnorm1d\": {}},"
            + " \"relu\", {\"linear\": {\"out\": 3}}]}";
    private static final float[] MEAN = {1f, 2f, 3f, 4f};
    private static final float[] STD = {0.5f, 1f, 2f, 4f};

    @TempDir
    Path dir;

    private static Tensor inputs(int n, long seed) {
        return Tensor.randn(new Rng(seed), n, 1, 2, 2).mul(3f).add(2f);
    }

    /** The MLP, with non-trivial BatchNorm statistics, saved with a standardization and names. */
    private SavedModel saved(Module[] built) throws IOException {
        ModelSpec spec = ModelSpec.fromJson(MLP, "mlp.json");
        Module m = spec.build(new int[] {1, 2, 2}, 3, new Rng(7));
        m.train();
        m.forward(inputs(16, 1).reshape(16, 1, 2, 2));
        built[0] = m;
        return SavedModel.of(m, spec, new int[] {1, 2, 2}, 3)
                .withPreprocessing(Preprocessing.of(List.of(Standardizer.of(MEAN, STD))))
                .withClassNames(List.of("cat", "dog", "eel")).withFeatureNames(List.of("w", "x", "y", "z")).withEpoch(3);
    }

    @Test
    void aSavedModelLoadsBackWithItsWeightsDescriptionAndNames() throws IOException {
        Module[] m = new Module[1];
        saved(m).save(dir.resolve(SavedModel.FILE_NAME));
        SavedModel back = SavedModel.load(dir);
        assertEquals(dir.resolve(SavedModel.FILE_NAME), back.file());
        assertEquals(List.of("cat", "dog", "eel"), back.classNames());
        assertEquals(List.of("w", "x", "y", "z"), back.featureNames());
        assertEquals(3, back.epoch());
        assertArrayEquals(new int[] {1, 2, 2}, back.inputShape());
        assertEquals(3, back.numClasses());
        assertEquals(5, back.spec().layers().size());
        assertEquals("dog", back.className(1));
        assertEquals("7", back.className(7));
        Map<String, Tensor> want = m[0].stateDict();
        assertEquals(want.keySet(), back.state().keySet());
        want.forEach((k, t) -> assertArrayEquals(t.toArray(), back.state().get(k).toArray(), k));
        assertEquals(want.keySet(), back.model().stateDict().keySet());
    }

    @Test
    void predictAppliesTheSavedPreprocessingAndGivesTheSameOutputsBitForBit() throws IOException {
        Module[] m = new Module[1];
        SavedModel s = saved(m);
        s.save(dir.resolve("m.safetensors"));
        SavedModel back = SavedModel.load(dir.resolve("m.safetensors"));
        Tensor x = inputs(5, 2);
        float[] raw = x.toArray();
        float[] standardized = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            standardized[i] = (raw[i] - MEAN[i % 4]) / STD[i % 4];
        }
        m[0].eval();
        Tensor expected = m[0].forward(Tensor.of(standardized, 5, 1, 2, 2));
        assertArrayEquals(expected.toArray(), back.predict(x).toArray(), 1e-6f);
        assertArrayEquals(s.predict(x).toArray(), back.predict(x).toArray(), 0f);
        assertArrayEquals(back.predict(x).toArray(), back.predict(x.reshape(5, 4)).toArray(), 0f);
        float[] p = back.probabilities(x).toArray();
        int[] classes = back.predictClasses(x);
        for (int i = 0; i < 5; i++) {
            assertEquals(1.0, p[3 * i] + p[3 * i + 1] + p[3 * i + 2], 1e-6);
            for (int j = 0; j < 3; j++) {
                assertTrue(p[3 * i + classes[i]] >= p[3 * i + j]);
            }
        }
    }

    @Test
    void theSavedFileIsAPyTorchStateDictWithTheDescriptionInItsMetadata() throws IOException {
        Module[] m = new Module[1];
        Path f = dir.resolve("m.safetensors");
        saved(m).save(f);
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals("pt", c.metadata().get("format"));
        assertTrue(c.metadata().get("myelin.config").contains("\"batchnorm1d\""), c.metadata().get("myelin.config"));
        assertTrue(c.tensors().containsKey("2.num_batches_tracked"));
        assertEquals(1f, c.tensors().get("2.num_batches_tracked").toArray()[0], 0f);
    }

    @Test
    void wrongInputsAndForeignFilesGetClearErrors() throws IOException {
        Module[] m = new Module[1];
        saved(m).save(dir.resolve("m.safetensors"));
        SavedModel back = SavedModel.load(dir.resolve("m.safetensors"));
        String e = assertThrows(IllegalArgumentException.class, () -> back.predict(Tensor.zeros(2, 5))).getMessage();
        assertEquals("inputs: expected a batch of samples of shape [1, 2, 2] (4 values each), found shape [2, 5]", e);

        Path foreign = dir.resolve("torch.safetensors");
        SafeTensors.write(foreign, m[0].stateDict());
        String f = assertThrows(CheckpointException.class, () -> SavedModel.load(foreign)).getMessage();
        assertTrue(f.contains("no myelin.config") && f.contains("--config CONFIG.yaml"), f);
        String none = assertThrows(CheckpointException.class, () -> SavedModel.load(dir.resolve("nothing"))).getMessage();
        assertTrue(none.contains("no such file"), none);
        Files.createDirectories(dir.resolve("ens/members/0"));
        String ens = assertThrows(CheckpointException.class, () -> SavedModel.load(dir.resolve("ens"))).getMessage();
        assertTrue(ens.contains("is an ensemble run") && ens.contains("members/0"), ens);
    }

    @Test
    void aDescriptionWithATypoNamesItsFieldAndTheLikelyName() {
        String e = assertThrows(ConfigException.class, () -> ModelSpec.fromJson(
                "{\"model\": [\"flaten\", {\"linear\": {\"out\": 2}}]}", "spec.json")).getMessage();
        assertTrue(e.startsWith("spec.json: field 'model[0]': expected a layer") && e.contains("Did you mean 'flatten'?"), e);
        String empty = assertThrows(ConfigException.class, () -> ModelSpec.fromJson("{}", "spec.json")).getMessage();
        assertTrue(empty.startsWith("spec.json: field 'model': expected a list of layers"), empty);
        String json = assertThrows(ConfigException.class, () -> ModelSpec.fromJson("model:", "spec.json")).getMessage();
        assertTrue(json.startsWith("spec.json: expected a model description in JSON"), json);
    }

    @Test
    void binaryModelsGiveTwoProbabilitiesAndRegressionModelsNone() {
        ModelSpec bin = ModelSpec.fromJson("{\"model\": [{\"linear\": {\"out\": 1}}], \"loss\": \"bce_with_logits\"}", "b");
        SavedModel b = SavedModel.of(bin.build(new int[] {3}, 2, new Rng(1)), bin, new int[] {3}, 2);
        Tensor x = Tensor.randn(new Rng(2), 4, 3);
        float[] logit = b.predict(x).toArray();
        float[] p = b.probabilities(x).toArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(1 / (1 + Math.exp(-logit[i])), p[2 * i + 1], 1e-6);
            assertEquals(1, p[2 * i] + p[2 * i + 1], 1e-6);
        }
        ModelSpec reg = ModelSpec.fromJson("{\"model\": [{\"linear\": {\"out\": 1}}], \"loss\": \"mse\"}", "r");
        SavedModel r = SavedModel.of(reg.build(new int[] {3}, 0, new Rng(1)), reg, new int[] {3}, 0);
        assertThrows(IllegalStateException.class, () -> r.probabilities(x));
        assertFalse(r.spec().layers().isEmpty());
    }

    @Test
    void tableRowsAreMatchedToTheFeaturesByName() throws IOException {
        Module[] m = new Module[1];
        SavedModel s = saved(m);
        float[][] rows = {{9f, 0.4f, 0.3f, 0.2f, 0.1f}, {8f, 1.4f, 1.3f, 1.2f, 1.1f}};
        Tensor x = s.inputs(List.of("id", "z", "y", "x", "w"), rows);
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 1.1f, 1.2f, 1.3f, 1.4f}, x.toArray(), 0f);
        assertArrayEquals(s.predict(x.reshape(2, 1, 2, 2)).toArray(), s.predict(x).toArray(), 0f);
        String e = assertThrows(dev.myelin.data.DataException.class,
                () -> s.inputs(List.of("w", "x", "z"), new float[][] {{1, 2, 3}})).getMessage();
        assertTrue(e.startsWith("columns: expected the feature column 'y' that the model was trained on, found the"
                + " columns [w, x, z]"), e);
    }

    @Test
    void aDamagedInputShapeNamesTheFileAndTheKey() {
        Path f = dir.resolve("m.safetensors");
        for (String bad : new String[] {"{\"a\": 1}", "7", "[]", "[1, -28, 28]", "[1, 2.5]", "[\"1\"]", "[1, 99999999999]"}) {
            String e = assertThrows(CheckpointException.class, () -> SavedModel.inputShape(f, bad)).getMessage();
            assertTrue(e.contains(f.toString()) && e.contains("myelin.input_shape: expected a list of positive integers")
                    && e.contains(bad), e);
        }
        String huge = assertThrows(CheckpointException.class,
                () -> SavedModel.inputShape(f, "[1, 100000, 100000]")).getMessage();
        assertTrue(huge.contains("is more than 2147483647 values per sample"), huge);
        assertArrayEquals(new int[] {1, 28, 28}, assertDoesNotThrowShape(f, "[1, 28, 28]"));
    }

    private static int[] assertDoesNotThrowShape(Path f, String text) {
        try {
            return SavedModel.inputShape(f, text);
        } catch (CheckpointException e) {
            throw new AssertionError(e);
        }
    }
}
