package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.optim.Adam;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.regularize.ParamSelection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Transfer learning: loading another model's weights with a key report, and freezing by pattern. */
class TransferTest {
    /** Sequential(Linear(3, 5), BatchNorm1d(5), ReLU, Linear(5, out)). */
    private static Sequential net(long seed, int out) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(3, 5, rng), new BatchNorm1d(5), Activation.relu(), new Linear(5, out, rng));
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, t.detach().copy()));
        return out;
    }

    @Test
    void aNewHeadIsIgnoredAndTheBodyLoads() {
        Sequential source = net(1, 10);
        source.forward(Tensor.randn(new Rng(3), 8, 3)); // running statistics away from (0, 1)
        Sequential target = net(2, 2);
        Tensor headBefore = target.stateDict().get("3.weight").copy();

        LoadReport r = WeightTransfer.load(target, source.stateDict(),
                new WeightTransfer.Options(Map.of(), List.of("3.*"), true));

        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked"), r.loaded());
        assertEquals(List.of("3.weight", "3.bias"), r.ignored());
        assertTrue(r.complete());
        assertArrayEquals(source.stateDict().get("1.running_mean").data(), target.stateDict().get("1.running_mean").data());
        assertArrayEquals(headBefore.data(), target.stateDict().get("3.weight").data());
    }

    @Test
    void strictLoadingOfWhatDoesNotFitChangesNothingAndSaysWhatToDo() {
        Sequential target = net(2, 2);
        Map<String, Tensor> before = copy(target.stateDict());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightTransfer.load(target, net(1, 10).stateDict(), WeightTransfer.Options.defaults()));

        assertTrue(e.getMessage().contains("shape mismatch 2"), e.getMessage());
        assertTrue(e.getMessage().contains("3.weight (model [2, 5], source [10, 5])"), e.getMessage());
        assertTrue(e.getMessage().contains("ignore"), e.getMessage());
        before.forEach((k, t) -> assertArrayEquals(t.data(), target.stateDict().get(k).data(), k));
    }

    @Test
    void renameMapsPrefixesAndNonStrictReportsTheRest() {
        Map<String, Tensor> source = new LinkedHashMap<>();
        net(1, 2).stateDict().forEach((k, t) -> source.put("features." + k, t));
        source.put("classifier.weight", Tensor.zeros(4, 4));
        Sequential target = net(2, 2);

        LoadReport r = WeightTransfer.load(target, source,
                new WeightTransfer.Options(Map.of("features.", "", "features.3.", "9."), List.of(), false));

        assertEquals(List.of("3.weight", "3.bias"), r.missing(), "features.3. goes to 9. (the longest prefix wins)");
        assertEquals(List.of("9.weight", "9.bias", "classifier.weight"), r.unexpected());
        assertEquals(7, r.loaded().size());
        assertFalse(r.complete());
        assertTrue(r.describe().startsWith("loaded 7, missing 2, unexpected 3"), r.describe());
    }

    @Test
    void twoKeysRenamedToOneAreRefused() {
        Map<String, Tensor> source = Map.of("a.w", Tensor.zeros(1), "b.w", Tensor.zeros(1));
        assertThrows(IllegalArgumentException.class, () -> WeightTransfer.load(net(1, 2),
                new LinkedHashMap<>(source), new WeightTransfer.Options(Map.of("a.", "", "b.", ""), List.of(), false)));
    }

    @Test
    void namePatternsMatchAModuleAndEverythingBelowIt() {
        assertTrue(new NamePattern("0").matches("0.weight"));
        assertTrue(new NamePattern("0.*").matches("0.bias"));
        assertFalse(new NamePattern("0").matches("10.weight"));
        assertTrue(new NamePattern("features.1").matches("features.1.running_mean"));
        assertTrue(new NamePattern("*.bias").matches("3.bias"));
        assertTrue(new NamePattern("?.weight").matches("3.weight"));
        assertFalse(new NamePattern("?.weight").matches("13.weight"));
    }

    @Test
    void aFrozenLayerKeepsItsBytesAndItsBatchNormItsStatistics() {
        Sequential model = net(1, 2);
        List<String> frozen = Freezing.freeze(model, List.of("0", "1.*"));
        Map<String, Tensor> before = copy(model.stateDict());
        Adam adam = new Adam(model.parameters(), Adam.Options.of(0.1));
        Rng rng = new Rng(4);

        model.train();
        for (int step = 0; step < 3; step++) {
            adam.zeroGrad();
            model.forward(Tensor.randn(rng, 8, 3).mul(3f)).sum().backward();
            adam.step();
        }

        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), frozen);
        assertEquals(frozen, Freezing.frozenParameters(model));
        assertFalse(model.layers().get(1).isTraining(), "a frozen batch norm runs in eval mode");
        assertTrue(model.layers().get(1).isFrozen());
        for (String k : List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked")) {
            assertArrayEquals(before.get(k).data(), model.stateDict().get(k).data(), k);
        }
        assertNull(model.stateDict().get("0.weight").grad());
        assertNotEquals(before.get("3.weight").data()[0], model.stateDict().get("3.weight").data()[0]);
        assertTrue(adam.stateDict().keySet().stream().filter(k -> k.startsWith("state."))
                        .allMatch(k -> k.startsWith("state.4.") || k.startsWith("state.5.")),
                "no optimizer state for frozen parameters: " + adam.stateDict().keySet());
        assertEquals(List.of("3.weight"), List.copyOf(ParamSelection.WEIGHTS.select(model).keySet()),
                "no weight decay on frozen parameters");
    }

    @Test
    void unfreezingTrainsTheLayerAgain() {
        Sequential model = net(1, 2);
        Freezing.freeze(model, List.of("0.*", "1.*"));

        List<String> thawed = Freezing.unfreeze(model, List.of("1"));
        model.train();

        assertEquals(List.of("1.weight", "1.bias"), thawed);
        assertEquals(List.of("0.weight", "0.bias"), Freezing.frozenParameters(model));
        assertTrue(model.layers().get(1).isTraining());
        assertFalse(model.layers().get(0).isTraining());
    }

    @Test
    void aPatternThatMatchesNothingIsAnErrorNamingTheLayers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Freezing.freeze(net(1, 2), List.of("features.*")));
        assertTrue(e.getMessage().contains("\"features.*\" matches no parameter"), e.getMessage());
        assertTrue(e.getMessage().contains("[0, 1, 2, 3]"), e.getMessage());
    }

    @Test
    void batchNormStepCountsAreIntegerKeys() {
        assertEquals(java.util.Set.of("1.num_batches_tracked"), net(1, 2).integerStateKeys());
    }
}
