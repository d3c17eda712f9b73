package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.SafeTensors;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code transfer:} end to end: start from a trained run's weights, freeze layers, thaw them later. */
class TransferCliTest {
    @TempDir
    Path dir;
    private Path pretrained;

    @BeforeEach
    void pretrain() throws IOException {
        pretrained = dir.resolve("pre");
        Cli.Result r = Cli.run("train", Cli.write(dir, "pre.yaml", Cli.discConfig()).toString(), "--out",
                pretrained.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
    }

    private Cli.Result fineTune(String name, String transfer, String head) throws IOException {
        String cfg = Cli.discConfig().replace("seed: 3", "seed: 4").replace("linear: {out: 2}", head)
                + "transfer:\n" + transfer;
        return Cli.run("train", Cli.write(dir, name + ".yaml", cfg).toString(), "--out", dir.resolve(name).toString())
                .noStackTrace();
    }

    private Map<String, Tensor> weights(String run) throws IOException {
        return SafeTensors.read(dir.resolve(run).resolve("model.safetensors")).tensors();
    }

    /** SHA-256 of a tensor's float32 bytes. */
    private static String hash(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(t.data());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void frozenLayersKeepTheirBytesAndTheRestTrains() throws IOException {
        Cli.Result r = fineTune("ft", "  init_from: " + pretrained + "\n  freeze: [\"0\", \"1.*\"]\n", "linear: {out: 2}");

        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("init_from " + pretrained + ": loaded 9, missing 0, unexpected 0"), r.out());
        Map<String, Tensor> before = weights("pre");
        Map<String, Tensor> after = weights("ft");
        for (String k : List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked")) {
            assertEquals(hash(before.get(k)), hash(after.get(k)), k);
        }
        assertNotEquals(hash(before.get("4.weight")), hash(after.get("4.weight")));
    }

    private static final String NEW_HEAD = "linear: {out: 8}\n  - relu\n  - linear: {out: 2}";

    @Test
    void aNewHeadIsIgnoredAndUnfreezingTrainsTheBodyFromItsEpoch() throws IOException {
        String base = "  init_from: " + pretrained + "\n  ignore: [\"4.*\", \"6.*\"]\n  freeze: [\"0\", \"1\"]\n";
        Cli.Result frozen = fineTune("frozen", base, NEW_HEAD);
        Cli.Result thawed = fineTune("thawed", base + "  unfreeze: [{epoch: 2, layers: [\"0\"]}]\n", NEW_HEAD);

        assertEquals(0, frozen.code(), frozen.toString());
        assertEquals(0, thawed.code(), thawed.toString());
        assertTrue(frozen.out().contains("ignored: 4.weight, 4.bias, 6.weight, 6.bias"), frozen.out());
        assertEquals(hash(weights("pre").get("0.weight")), hash(weights("frozen").get("0.weight")));
        assertNotEquals(hash(weights("pre").get("0.weight")), hash(weights("thawed").get("0.weight")));
        assertEquals(hash(weights("pre").get("1.running_mean")), hash(weights("thawed").get("1.running_mean")),
                "batch norm 1 stays frozen, in eval mode");
        assertEquals(List.of(8, 16), List.of(weights("thawed").get("4.weight").shape()[0],
                weights("thawed").get("4.weight").shape()[1]));
    }

    @Test
    void weightsThatDoNotFitAreAnErrorThatSaysWhatToDo() throws IOException {
        Cli.Result r = fineTune("bad", "  init_from: " + pretrained + "\n", NEW_HEAD);

        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("4.weight (model [8, 16], source [2, 16])"), r.err());
        assertTrue(r.err().contains("ignore"), r.err());
        assertFalse(dir.resolve("bad").resolve("model.safetensors").toFile().exists());
    }

    @Test
    void aPatternThatMatchesNoLayerIsAnErrorAtItsKey() throws IOException {
        Cli.Result r = fineTune("nomatch", "  freeze: [\"features.*\"]\n", "linear: {out: 2}");

        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("\"features.*\" matches no parameter"), r.err());
    }
}
