package dev.myelin.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphTest {
    @Test
    void theGraphNamesParametersAndInputsAndShowsEachOpsShape() {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).requiresGrad(true);
        Tensor x = Tensor.of(new float[] {1, 1, 2, 2}, 2, 2);
        Tensor h = x.matmul(w.transpose(0, 1)).relu();
        Tensor loss = h.mul(h).sum(); // h used twice: one vertex, two edges
        Graph g = Graph.of(loss, Map.of("0.weight", w), Map.of("input", x));
        Graph.Vertex out = g.vertices().get(0);
        assertEquals("SUM", out.label());
        assertArrayEquals(new int[0], out.shape());
        assertEquals(1, g.count("parameter"));
        assertEquals(1, g.count("input"));
        Graph.Vertex mul = g.vertices().get(out.inputs()[0]);
        assertEquals("MUL", mul.label());
        assertEquals(2, mul.inputs().length);
        assertEquals(mul.inputs()[0], mul.inputs()[1], "a tensor used twice is one vertex");
        assertArrayEquals(new int[] {2, 3}, g.vertices().get(mul.inputs()[0]).shape());
        String dot = g.toDot();
        assertTrue(dot.startsWith("digraph myelin {"), dot);
        assertTrue(dot.contains("label=\"0.weight\\n[3, 2]\""), dot);
        assertTrue(dot.contains("label=\"input\\n[2, 2]\""), dot);
        assertTrue(dot.contains("label=\"MATMUL\\n[2, 3]\""), dot);
        long edges = dot.lines().filter(l -> l.contains("->")).count();
        assertEquals(g.vertices().stream().mapToLong(v -> v.inputs().length).sum(), edges);
    }

    @Test
    void aBackwardGraphHasOneRootPerGradient() {
        Tensor w = Tensor.of(new float[] {0.5f, -1}, 2).requiresGrad(true);
        Tensor loss = w.mul(w).sum();
        List<Tensor> grads = Autograd.grad(loss, List.of(w), null, true);
        Graph g = Graph.of(grads, Map.of("w", w), Map.of());
        assertArrayEquals(new int[] {2}, g.vertices().get(0).shape(), "dL/dw has w's shape");
        assertTrue(g.count("op") >= 1, "computing 2w is recorded");
        assertTrue(g.toDot().contains("penwidth=2"));
    }
}
