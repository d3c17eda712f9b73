package dev.myelin.cli.config;

import dev.myelin.cli.Cli;

import dev.myelin.cli.run.PreparedData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.data.Covariance;
import dev.myelin.data.Dataset;
import dev.myelin.data.Projection;
import dev.myelin.io.SafeTensors;
import dev.myelin.tensor.Rng;
import java.io.IOException;
import dev.myelin.model.SavedModel;
import dev.myelin.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data.preprocess end to end: config, fit on the training split only, checkpoint, eval. */
class PreprocessTest {
    @TempDir
    Path dir;

    private static String discWith(String preprocess) {
        return Cli.discConfig().replace("  standardize: none\n", "  preprocess: " + preprocess + "\n");
    }

    private static String testFigures(Path run) throws IOException {
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        return String.format(Locale.ROOT, "test accuracy %.4f, test loss %.4f", s.get("test_accuracy").asDouble(),
                s.get("test_loss").asDouble());
    }

    /** Trains {@code yaml} into a fresh run folder; fails unless it exits 0. */
    private Path train(String name, String yaml) throws IOException {
        Path run = dir.resolve(name);
        Cli.Result r = Cli.run("train", Cli.write(dir, name + ".yaml", yaml).toString(), "--out", run.toString())
                .noStackTrace();
        assertEquals(0, r.code(), r.toString());
        return run;
    }

    /** {@code myelin eval RUN} prints the test figures the training run wrote into summary.json. */
    private static void assertEvalReproduces(Path run) throws IOException {
        String expected = testFigures(run);
        Cli.Result e = Cli.run("eval", run.toString()).noStackTrace();
        assertEquals(0, e.code(), e.toString());
        assertTrue(e.out().contains(expected), expected + " in\n" + e.out());
    }

    @Test
    void zcaRoundTripsThroughTheCheckpointAndEvalGivesTheSameTestFigures() throws IOException {
        Path run = train("zca", discWith("[{zca: {eps: 0.01}}]"));
        SafeTensors.Contents ck = SafeTensors.read(run.resolve("model.safetensors"));
        assertArrayEquals(new int[] {2}, ck.tensors().get("myelin.preprocess.0.mean").shape());
        assertArrayEquals(new int[] {2, 2}, ck.tensors().get("myelin.preprocess.0.matrix").shape());
        JsonNode step = new ObjectMapper().readTree(ck.metadata().get("myelin.preprocess")).get("steps").get(0);
        assertEquals("zca", step.get("type").asText());
        assertEquals(0.01, step.get("eps").asDouble(), 0);
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("zca"), "resolved config keeps the step");
        assertEvalReproduces(run);
    }

    @Test
    void pcaChangesTheInputWidthTheModelIsBuiltFor() throws IOException {
        Path run = train("pca", discWith("[standardize, {pca_whiten: {components: 1}}]"));
        SafeTensors.Contents ck = SafeTensors.read(run.resolve("model.safetensors"));
        assertArrayEquals(new int[] {16, 1}, ck.tensors().get("0.weight").shape(), "Linear sees 1 component");
        assertArrayEquals(new int[] {1, 2}, ck.tensors().get("myelin.preprocess.1.matrix").shape());
        assertEquals("[2]", ck.metadata().get("myelin.input_shape"), "the raw sample shape, before PCA");
        assertEvalReproduces(run);
        // predict reads raw 2-column samples and applies the saved standardize + PCA before the model
        Path in = Cli.write(dir, "points.csv", "x,y\n0.1,0.2\n3.0,-2.5\n");
        Cli.Result p = Cli.run("predict", run.toString(), "--input", in.toString()).noStackTrace();
        assertEquals(0, p.code(), p.toString());
        assertTrue(p.out().contains("sample 1: predicted "), p.out());
    }

    @Test
    void resizeShrinksTheImagesTheModelSeesAndASavedModelResizesRawInputs() throws IOException {
        Path run = train("resize", """
                seed: 0
                data: {dataset: fashion-mnist, train_limit: 300, test_limit: 100, validation: 0.0, augment: [flip],
                       preprocess: [{resize: {size: [14, 12]}}, standardize]}
                model: [flatten, {linear: {out: 10}}]
                epochs: 1
                """);
        SafeTensors.Contents ck = SafeTensors.read(run.resolve("model.safetensors"));
        assertArrayEquals(new int[] {10, 14 * 12}, ck.tensors().get("1.weight").shape(), "Linear sees 14x12 pixels");
        assertEquals("[1,28,28]", ck.metadata().get("myelin.input_shape"), "the raw sample shape, before resizing");
        JsonNode step = new ObjectMapper().readTree(ck.metadata().get("myelin.preprocess")).get("steps").get(0);
        assertEquals("resize", step.get("type").asText());
        assertEquals(14, step.get("height").asInt());
        assertEquals(12, step.get("width").asInt());
        assertEvalReproduces(run);
        SavedModel m = SavedModel.load(run);
        assertArrayEquals(new int[] {2, 10}, m.predict(Tensor.zeros(2, 1, 28, 28)).shape());
    }

    @Test
    void statisticsComeFromTheTrainingSplitOnly() throws IOException {
        // Training rows: two correlated features; test rows shifted by +1000. 10 of 50 training rows are
        // held out for validation; the fit must see the other 40 only.
        StringBuilder train = new StringBuilder("a,b,y\n");
        StringBuilder test = new StringBuilder("a,b,y\n");
        Rng rng = new Rng(1);
        for (int i = 0; i < 70; i++) {
            double z = 10 * rng.nextGaussian();
            double a = z + rng.nextGaussian();
            double b = 3 * z + 40 * rng.nextDouble();
            boolean isTest = i >= 50;
            (isTest ? test : train).append(a + (isTest ? 1000 : 0)).append(',').append(b + (isTest ? 1000 : 0))
                    .append(',').append(i % 2).append('\n');
        }
        Cli.write(dir, "t.csv", train.toString());
        Cli.write(dir, "s.csv", test.toString());
        String yaml = """
                seed: 5
                data: {dataset: csv, train: t.csv, test: s.csv, label: y, validation: 0.2, preprocess: %s}
                model: [{linear: {out: 2}}]
                """;
        RunConfig white = ConfigLoader.load(Cli.write(dir, "w.yaml", yaml.formatted("[zca]")), List.of(), null);
        RunConfig none = ConfigLoader.load(Cli.write(dir, "n.yaml", yaml.formatted("[]")), List.of(), null);
        PreparedData d = PreparedData.load(white.data(), white.source(), new Rng(5), null);
        PreparedData raw = PreparedData.load(none.data(), none.source(), new Rng(5), null);
        assertEquals(40, d.train().size());
        assertEquals(10, d.validation().size());

        Projection zca = (Projection) d.preprocessing().steps().get(0);
        double[] trainMean = Covariance.of(raw.train()).mean();
        double[] everything = Covariance.of(concat(raw.train(), raw.validation())).mean();
        for (int j = 0; j < 2; j++) {
            assertEquals(trainMean[j], zca.mean()[j], 1e-4, "mean of the 40 training rows, feature " + j);
        }
        assertTrue(Math.abs(everything[1] - trainMean[1]) > 0.1, "the validation rows would move the mean: "
                + everything[1] + " vs " + trainMean[1]);
        Covariance c = Covariance.of(d.train());
        assertEquals(1, c.get(0, 0), 1e-3);
        assertEquals(1, c.get(1, 1), 1e-3);
        assertEquals(0, c.get(0, 1), 1e-3);
        assertTrue(Covariance.of(d.test()).mean()[0] > 10, "test rows keep their shift through the training map");
    }

    @Test
    void checkpointsFromBeforeThePipelineStillLoad() throws IOException {
        Path run = train("old", Cli.discConfig().replace("standardize: none", "standardize: per-feature"));
        Path file = run.resolve("model.safetensors");
        SafeTensors.Contents ck = SafeTensors.read(file);
        JsonNode step = new ObjectMapper().readTree(ck.metadata().get("myelin.preprocess")).get("steps").get(0);
        Map<String, String> meta = new LinkedHashMap<>(ck.metadata());
        // the metadata as Myelin wrote it before data.preprocess existed
        meta.put("myelin.preprocess", "{\"standardize\":\"per-feature\",\"mean\":" + step.get("mean") + ",\"std\":"
                + step.get("std") + "}");
        SafeTensors.write(file, ck.tensors(), meta);
        assertEvalReproduces(run);

        meta.put("myelin.preprocess", "{\"standardize\":\"median\"}");
        SafeTensors.write(file, ck.tensors(), meta);
        Cli.Result bad = Cli.run("eval", run.toString()).noStackTrace();
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("myelin.preprocess") && bad.err().contains("median"), bad.err());
    }

    @Test
    void aSetOfOneSpellingReplacesTheFilesOtherAndNullMeansTheDefault() throws IOException {
        Path file = Cli.write(dir, "scalar.yaml", Cli.discConfig().replace("  standardize: none\n",
                "  standardize: scalar\n"));
        RunConfig zca = ConfigLoader.load(file, List.of("data.preprocess=[standardize, {zca: {eps: 0.1}}]"), null);
        assertEquals(2, zca.data().preprocess().size(), "the command line's list replaces the file's standardize");
        Path listed = Cli.write(dir, "listed.yaml", Cli.discConfig().replace("  standardize: none\n",
                "  preprocess: [standardize, zca]\n"));
        RunConfig back = ConfigLoader.load(listed, List.of("data.standardize=per-feature"), null);
        assertEquals(1, back.data().preprocess().size(), "and the other way round");
        RunConfig none = ConfigLoader.load(file, List.of("data.standardize=null"), null);
        assertEquals(ConfigLoader.load(Cli.write(dir, "plain.yaml", Cli.discConfig().replace("  standardize: none\n",
                "")), List.of(), null).data().preprocess(), none.data().preprocess(), "KEY=null: as if not written");
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.myelin.model.bind.ConfigException.class,
                () -> ConfigLoader.load(file, List.of("optimizer.lr=null"), null));
        assertTrue(e.getMessage().contains("--set optimizer.lr=null: field 'optimizer.lr': expected a number, found"
                + " nothing"), "SGD's lr has no default, as in torch: " + e.getMessage());
    }

    @Test
    void configErrorsNameTheFieldWhatWasExpectedAndFound() throws IOException {
        String unknown = trainError(discWith("[standardize, zca_whiten]"));
        assertTrue(unknown.contains("field 'data.preprocess[1]'") && unknown.contains("'zca_whiten'")
                && unknown.contains("Did you mean 'pca_whiten'?"), unknown);
        String tooMany = trainError(discWith("[{pca: {components: 5}}]"));
        assertTrue(tooMany.contains("field 'data.preprocess[0]'") && tooMany.contains("1..2")
                && tooMany.contains("received 5"), tooMany);
        String both = trainError(Cli.discConfig().replace("  standardize: none\n",
                "  standardize: scalar\n  preprocess: [zca]\n"));
        assertTrue(both.contains("field 'data.standardize'") && both.contains("not both"), both);
        String eps = trainError(discWith("[{zca: {eps: -1}}]"));
        assertTrue(eps.contains("field 'data.preprocess[0].zca.eps'") && eps.contains("a number >= 0"), eps);
        String option = trainError(discWith("[{pca: {k: 1}}]"));
        assertTrue(option.contains("'k'") && option.contains("components"), option);
        String augment = trainError("""
                data: {dataset: fashion-mnist, preprocess: [standardize, {pca: {components: 20}}], augment: [flip]}
                model: [{linear: {out: 10}}]
                """);
        assertTrue(augment.contains("field 'data.augment'") && augment.contains("data.preprocess[1] (pca)")
                && augment.contains("zca"), augment);
        String resize = trainError(discWith("[{resize: {size: 4}}]"));
        assertTrue(resize.contains("field 'data.preprocess[0]'") && resize.contains("resize is for image data only"),
                resize);
        String notList = trainError(discWith("zca"));
        assertTrue(notList.contains("field 'data.preprocess'") && notList.contains("a list"), notList);
    }

    private String trainError(String yaml) throws IOException {
        Path cfg = Cli.write(dir, "bad.yaml", yaml);
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", dir.resolve("bad-run").toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(cfg.toString()), "names the file: " + r.err());
        return r.err();
    }

    private static Dataset concat(Dataset a, Dataset b) {
        int d = a.featureSize();
        float[] x = new float[(a.size() + b.size()) * d];
        for (int i = 0; i < a.size(); i++) {
            a.features(i, x, i * d);
        }
        for (int i = 0; i < b.size(); i++) {
            b.features(i, x, (a.size() + i) * d);
        }
        return new dev.myelin.data.ArrayDataset(x, new int[] {d}, new float[a.size() + b.size()], 0);
    }
}
