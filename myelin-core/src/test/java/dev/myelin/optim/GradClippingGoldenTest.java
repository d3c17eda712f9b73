package dev.myelin.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient clipping by value and by norm (global and per parameter, L1/L2/∞) equals
 * torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (golden/optim_clipping.json), including the
 * lecture's [0.9, 100] examples; a non-finite norm is reported naming the parameter.
 */
class GradClippingGoldenTest {
    static Stream<Integer> cases() {
        return IntStream.range(0, Golden.load("optim_clipping.json").get("cases").size()).boxed();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesPyTorch(int index) {
        Golden g = Golden.load("optim_clipping.json");
        Golden c = g.get("cases").get(index);
        String name = c.get("name").asString();
        List<Tensor> params = withGrads(c.get("grads"));
        if (c.get("mode").asString().equals("value")) {
            new GradClipping.ByValue(c.get("clip_value").asDouble()).apply(params);
        } else {
            double p = normType(c.get("norm_type"));
            boolean perParameter = c.get("per_parameter").asBoolean();
            double before = new GradClipping.ByNorm(c.get("max_norm").asDouble(), p, perParameter, true).apply(params);
            assertEquals(GradNorms.totalNorm(withGrads(c.get("grads")), 2), before, 0, name + ": norm before clipping");
            if (!perParameter) {
                double want = c.get("total_norm").asDouble();
                assertEquals(want, GradNorms.totalNorm(withGrads(c.get("grads")), p), 1e-5 * want, name + ": total norm");
            }
        }
        for (int i = 0; i < params.size(); i++) {
            g.tolerance().assertClose(name + " grad " + i, c.get("clipped").get(i).tensor(), params.get(i).grad());
        }
    }

    /** A number, or the string "inf" (JSON has no infinity). */
    private static double normType(Golden g) {
        try {
            return g.asDouble();
        } catch (ClassCastException e) {
            assertEquals("inf", g.asString());
            return Double.POSITIVE_INFINITY;
        }
    }

    private static List<Tensor> withGrads(Golden grads) {
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < grads.size(); i++) {
            Tensor g = grads.get(i).tensor();
            Tensor p = Tensor.zeros(g.shape()).requiresGrad(true);
            p.setGrad(g);
            params.add(p);
        }
        return params;
    }

    /** The lecture's numbers, written out (Huang, "Training Deep Neural Networks", "Gradient Clipping"). */
    @Test
    void lectureExamples() {
        Tensor p = Tensor.zeros(2).requiresGrad(true);
        p.setGrad(Tensor.of(new float[] {0.9f, 100f}, 2));
        new GradClipping.ByValue(1).apply(List.of(p));
        assertArrayEquals(new float[] {0.9f, 1.0f}, p.grad().data());

        p.setGrad(Tensor.of(new float[] {0.9f, 100f}, 2));
        double before = GradClipping.ByNorm.global(1).apply(List.of(p));
        assertEquals(100.00405, before, 1e-5);
        assertArrayEquals(new float[] {0.00899964f, 0.9999595f}, p.grad().data(), 1e-7f);
    }

    @Test
    void nonFiniteNormNamesTheParameter() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        Tensor b = Tensor.zeros(3, 1).requiresGrad(true);
        a.setGrad(Tensor.ones(2));
        b.setGrad(Tensor.of(new float[] {1, Float.NaN, 2}, 3, 1));
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
                () -> GradClipping.ByNorm.global(1).apply(List.of(a, b)));
        assertEquals(1, e.parameter());
        assertTrue(e.getMessage().contains("parameter 1 (shape [3, 1]) has a NaN or infinite gradient"), e.getMessage());
        assertArrayEquals(new float[] {1, 1}, a.grad().data(), "nothing is clipped when the norm is not finite");
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        Tensor b = Tensor.zeros(2).requiresGrad(true);
        b.setGrad(Tensor.of(new float[] {3, 4}, 2));
        assertEquals(5, GradClipping.ByNorm.global(1).apply(List.of(a, b)), 1e-12);
        assertArrayEquals(new float[] {0.6f, 0.8f}, b.grad().data(), 1e-6f);
    }
}
