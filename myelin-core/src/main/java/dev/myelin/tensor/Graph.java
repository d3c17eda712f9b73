package dev.myelin.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The computational graph that produced a tensor (Strojové učení II, "Deep Feedforward
 * Networks", "Computational Graph"; what PyTorchViz's {@code make_dot} draws): every recorded
 * operation with the shape of its output, back to the leaves, which are named when they are a
 * model's parameters ({@code 1.weight}) or one of the named inputs. {@link #toDot()} writes it in
 * Graphviz's DOT language, the data flowing from the leaves (top) to the output (bottom).
 */
public final class Graph {
    /**
     * One vertex: an operation's output, or a leaf.
     *
     * @param id     its number, in the order the walk from the output met it
     * @param label  the op ({@code MATMUL}) or the leaf's name ({@code 1.weight}, {@code input}, {@code constant})
     * @param shape  the tensor's shape
     * @param kind   "op", "parameter", "input" or "constant"
     * @param inputs the ids of the vertices it was computed from
     */
    public record Vertex(int id, String label, int[] shape, String kind, int[] inputs) {
    }

    private final List<Vertex> vertices;
    private final int roots;

    private Graph(List<Vertex> vertices, int roots) {
        this.vertices = List.copyOf(vertices);
        this.roots = roots;
    }

    /**
     * The graph behind {@code output}: each distinct tensor once (a tensor used twice has two
     * edges out), leaves named by {@code names} (parameters by state-dict key, and inputs).
     */
    public static Graph of(Tensor output, Map<String, Tensor> parameters, Map<String, Tensor> inputs) {
        return of(List.of(output), parameters, inputs);
    }

    /** As {@link #of(Tensor, Map, Map)} for several outputs (the gradients of a backward pass), ids 0..k-1. */
    public static Graph of(List<Tensor> outputs, Map<String, Tensor> parameters, Map<String, Tensor> inputs) {
        Map<Tensor, String> named = new IdentityHashMap<>();
        Map<Tensor, String> kinds = new IdentityHashMap<>();
        parameters.forEach((k, t) -> {
            named.put(t, k);
            kinds.put(t, "parameter");
        });
        inputs.forEach((k, t) -> {
            named.put(t, k);
            kinds.put(t, "input");
        });
        Map<Tensor, Integer> ids = new IdentityHashMap<>();
        List<Tensor> order = new ArrayList<>();
        Deque<Tensor> todo = new ArrayDeque<>();
        for (Tensor o : outputs) {
            if (!ids.containsKey(o)) {
                ids.put(o, order.size());
                order.add(o);
                todo.add(o);
            }
        }
        int roots = order.size();
        while (!todo.isEmpty()) {
            Tensor t = todo.poll();
            if (t.gradFn == null) {
                continue;
            }
            for (Tensor in : t.gradFn.inputs) {
                if (in != null && !ids.containsKey(in)) {
                    ids.put(in, order.size());
                    order.add(in);
                    todo.add(in);
                }
            }
        }
        List<Vertex> out = new ArrayList<>();
        for (Tensor t : order) {
            int[] from = t.gradFn == null ? new int[0]
                    : Arrays.stream(t.gradFn.inputs).filter(x -> x != null).mapToInt(ids::get).toArray();
            String label = t.gradFn != null ? t.gradFn.op.name() : named.getOrDefault(t, "constant");
            String kind = t.gradFn != null ? "op" : kinds.getOrDefault(t, "constant");
            out.add(new Vertex(ids.get(t), label, t.shape(), kind, from));
        }
        return new Graph(out, roots);
    }

    /** The vertices, the outputs first. */
    public List<Vertex> vertices() {
        return vertices;
    }

    /** How many vertices of {@code kind} ("op", "parameter", ...). */
    public long count(String kind) {
        return vertices.stream().filter(v -> v.kind().equals(kind)).count();
    }

    /** The graph in DOT: ops as grey boxes, parameters blue, inputs green, constants plain. */
    public String toDot() {
        StringBuilder sb = new StringBuilder("digraph myelin {\n  graph [rankdir=TB, fontname=\"DejaVu Sans\"];\n")
                .append("  node [shape=box, style=\"rounded,filled\", fontname=\"DejaVu Sans\", fontsize=10];\n");
        for (Vertex v : vertices) {
            String fill = switch (v.kind()) {
                case "op" -> "#e8e8e8";
                case "parameter" -> "#cfe2f3";
                case "input" -> "#d9ead3";
                default -> "#ffffff";
            };
            sb.append("  n").append(v.id()).append(" [label=\"").append(escape(v.label())).append("\\n")
                    .append(Arrays.toString(v.shape())).append("\", fillcolor=\"").append(fill).append("\"")
                    .append(v.id() < roots ? ", penwidth=2" : "").append("];\n");
        }
        for (Vertex v : vertices) {
            for (int from : v.inputs()) {
                sb.append("  n").append(from).append(" -> n").append(v.id()).append(";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
