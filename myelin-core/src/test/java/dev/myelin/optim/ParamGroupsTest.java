package dev.myelin.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parameter groups: two groups with their own lr and weight decay replay torch.optim with
 * param_groups (golden/optim_param_groups.json); each group's lr is saved and restored; a
 * parameter in two groups is refused.
 */
class ParamGroupsTest {
    static Stream<String> cases() {
        Golden cases = Golden.load("optim_param_groups.json").get("cases");
        return IntStream.range(0, cases.size()).mapToObj(i -> cases.get(i).get("name").asString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void twoGroupsReplayPyTorch(String name) {
        Golden g = Golden.load("optim_param_groups.json");
        Golden c = find(g.get("cases"), name);
        String cls = c.get("optimizer").asString();
        Golden groups = c.get("groups");
        List<Tensor> params = new ArrayList<>();
        List<OptimizerOptions> options = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            params.add(groups.get(i).get("param_init").tensor().requiresGrad(true));
            options.add(GoldenOptimizers.options(cls, groups.get(i).get("options")));
        }
        Optimizer opt = GoldenOptimizers.create(cls, params.stream().map(List::of).toList(), options);
        assertEquals(groups.size(), opt.groupCount());
        for (int k = 0; k < 5; k++) {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).setGrad(groups.get(i).get("grads").get(k).tensor());
            }
            opt.step();
            for (int i = 0; i < params.size(); i++) {
                g.tolerance().assertClose(name + " group " + i + " after step " + (k + 1),
                        groups.get(i).get("params").get(k).tensor(), params.get(i));
            }
        }
    }

    private static Golden find(Golden cases, String name) {
        for (int i = 0; i < cases.size(); i++) {
            if (cases.get(i).get("name").asString().equals(name)) {
                return cases.get(i);
            }
        }
        throw new IllegalArgumentException("no golden case " + name);
    }

    @Test
    void eachGroupsLrIsSavedAndRestored() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        Tensor b = Tensor.zeros(3).requiresGrad(true);
        Sgd saver = new Sgd(List.of(new ParamGroup<>(List.of(a), Sgd.Options.of(0.1)),
                new ParamGroup<>(List.of(b), Sgd.Options.of(0.01))));
        saver.setLr(1, 0.005);
        Map<String, Tensor> dict = saver.stateDict();
        assertTrue(dict.containsKey("param_groups.1.lr"), dict.keySet().toString());

        Sgd loader = new Sgd(List.of(new ParamGroup<>(List.of(a), Sgd.Options.of(0.1)),
                new ParamGroup<>(List.of(b), Sgd.Options.of(0.01))));
        loader.loadStateDict(dict);
        assertEquals(0.1, loader.lr(0));
        assertEquals(0.005f, (float) loader.lr(1));
        assertEquals(0.01, loader.initialLr(1), "initial lr stays the constructed one");
    }

    @Test
    void groupsIndexParametersInOrderAndStepWithTheirOwnLr() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        Tensor b = Tensor.zeros(2).requiresGrad(true);
        Sgd opt = new Sgd(List.of(new ParamGroup<>(List.of(a), Sgd.Options.of(1)),
                new ParamGroup<>(List.of(b), Sgd.Options.of(0.5))));
        assertEquals(List.of(a, b), opt.params());
        assertEquals(1, opt.groupOf(1));
        a.setGrad(Tensor.ones(2));
        b.setGrad(Tensor.ones(2));
        opt.step();
        assertArrayEquals(new float[] {-1, -1}, a.data());
        assertArrayEquals(new float[] {-0.5f, -0.5f}, b.data());
    }

    @Test
    void aParameterInTwoGroupsIsRefused() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(
                new ParamGroup<>(List.of(a), Adam.Options.of(1e-3)), new ParamGroup<>(List.of(a), Adam.Options.of(1e-4)))));
        assertTrue(e.getMessage().contains("appears in group 0 and again in group 1"), e.getMessage());
    }

    @Test
    void stateOfAnUnknownGroupIsRefused() {
        Sgd opt = new Sgd(List.of(Tensor.zeros(1).requiresGrad(true)), Sgd.Options.of(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.loadStateDict(Map.of("param_groups.3.lr", Tensor.scalar(0.1f))));
        assertTrue(e.getMessage().contains("names parameter group 3 but the optimizer has 1"), e.getMessage());
    }
}
