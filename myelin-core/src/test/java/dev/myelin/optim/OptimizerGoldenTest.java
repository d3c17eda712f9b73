package dev.myelin.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer replays five steps of torch.optim (golden/sgd_momentum.json, sgd_nesterov.json,
 * adam.json, optim_optimizers.json: SGD, Adagrad, Adadelta, RMSprop, Adam with AMSGrad, AdamW,
 * NAdam, with and without weight decay, momentum, centering), and every optimizer's state dict
 * resumes training exactly.
 */
class OptimizerGoldenTest {
    static Stream<Arguments> goldenCases() {
        List<Arguments> out = new ArrayList<>();
        for (String file : List.of("sgd_momentum.json", "sgd_nesterov.json", "adam.json", "optim_optimizers.json")) {
            Golden cases = Golden.load(file).get("cases");
            for (int i = 0; i < cases.size(); i++) {
                out.add(Arguments.of(file, i, cases.get(i).get("name").asString()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("goldenCases")
    void replaysPyTorch(String file, int index, String name) {
        Golden g = Golden.load(file);
        Golden c = g.get("cases").get(index);
        Tensor p = c.get("param_init").tensor().requiresGrad(true);
        Optimizer opt = GoldenOptimizers.create(c.get("optimizer").asString(), c.get("options"), List.of(p));

        for (int k = 0; k < c.get("grads").size(); k++) {
            p.setGrad(c.get("grads").get(k).tensor());
            opt.step();
            g.tolerance().assertClose(file + " " + name + " after step " + (k + 1), c.get("params").get(k).tensor(), p);
        }
    }

    private static Arguments make(String name, Function<List<Tensor>, Optimizer> factory) {
        return Arguments.of(name, factory);
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                make("sgd", ps -> new Sgd(ps, new Sgd.Options(0.1, 0.9, 0.1, 0.01, false))),
                make("nesterov", ps -> new Sgd(ps, new Sgd.Options(0.1, 0.9, 0, 0.01, true))),
                make("adam", ps -> new Adam(ps, new Adam.Options(1e-3, 0.9, 0.999, 1e-8, 0.1))),
                make("adam_amsgrad", ps -> new Adam(ps, new Adam.Options(1e-2, 0.9, 0.999, 1e-8, 0, true))),
                make("adamw", ps -> new AdamW(ps, AdamW.options(1e-2))),
                make("adagrad", ps -> new Adagrad(ps, new Adagrad.Options(0.1, 0.01, 0.01, 0.1, 1e-10))),
                make("adadelta", ps -> new Adadelta(ps, Adadelta.Options.of(1.0))),
                make("rmsprop_centered_momentum",
                        ps -> new RmsProp(ps, new RmsProp.Options(0.01, 0.99, 1e-8, 0.01, 0.9, true))),
                make("nadam", ps -> new NAdam(ps, NAdam.Options.of(2e-3))));
    }

    /**
     * Two steps, save, a fresh optimizer on a copy of the parameters loads the state; the third
     * step is then bit-identical. Without loading, the third step differs (so the state matters).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void stateDictRoundTripResumesExactly(String name, Function<List<Tensor>, Optimizer> make) {
        Rng rng = new Rng(7);
        List<Tensor> params = List.of(Tensor.randn(rng, 3, 4).requiresGrad(true), Tensor.randn(rng, 5).requiresGrad(true));
        List<List<Tensor>> grads = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            grads.add(List.of(Tensor.randn(rng, 3, 4), Tensor.randn(rng, 5)));
        }
        Optimizer original = make.apply(params);
        step(original, params, grads.get(0));
        step(original, params, grads.get(1));
        Map<String, Tensor> saved = original.stateDict();

        List<Tensor> resumedParams = copies(params);
        Optimizer resumed = make.apply(resumedParams);
        resumed.loadStateDict(saved);
        List<Tensor> freshParams = copies(params);
        Optimizer fresh = make.apply(freshParams);

        step(original, params, grads.get(2));
        step(resumed, resumedParams, grads.get(2));
        step(fresh, freshParams, grads.get(2));
        for (int i = 0; i < params.size(); i++) {
            assertArrayEquals(params.get(i).data(), resumedParams.get(i).data(), name + ": param " + i + " after resuming");
            assertFalse(Arrays.equals(params.get(i).data(), freshParams.get(i).data()),
                    name + ": param " + i + " without the saved state should differ");
        }
        assertArrayEquals(original.stateDict().keySet().toArray(), resumed.stateDict().keySet().toArray(), name);
        // The dict stores lr as float32; resuming must not turn 1e-3 into 1.0000000475e-3.
        assertEquals(original.lr(), resumed.lr(), name + ": lr after resuming");
    }

    /** A saved lr different from the optimizer's own replaces it (the float32 value is kept). */
    @org.junit.jupiter.api.Test
    void loadingAStateWithAnotherLrTakesThatLr() {
        Tensor p = Tensor.zeros(2).requiresGrad(true);
        Sgd saver = new Sgd(List.of(p), Sgd.Options.of(0.25));
        Sgd loader = new Sgd(List.of(p), Sgd.Options.of(0.1));
        loader.loadStateDict(saver.stateDict());
        assertEquals(0.25, loader.lr());
    }

    private static void step(Optimizer opt, List<Tensor> params, List<Tensor> grads) {
        for (int i = 0; i < params.size(); i++) {
            params.get(i).setGrad(grads.get(i).copy());
        }
        opt.step();
    }

    private static List<Tensor> copies(List<Tensor> params) {
        return params.stream().map(p -> p.copy().requiresGrad(true)).toList();
    }
}
