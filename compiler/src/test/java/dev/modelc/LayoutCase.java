package dev.modelc;

import dev.modelc.TensorCase.Decl;
import dev.modelc.TensorCase.Role;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One case of the layout property test: params and inputs with their values, then a chain of
 * definitions that slice, index, concatenate, stack, reshape, flatten, gather, convolve, pool and
 * batch-normalize them, and the
 * loss {@code sum(sin(v) * v)} of the last. The test reads each step on its own, as NumPy would.
 */
record LayoutCase(int rows, List<Decl> decls, List<Step> steps) {
    LayoutCase {
        decls = List.copyOf(decls);
        steps = List.copyOf(steps);
    }

    /** What a step does. */
    enum Kind {
        /** {@code a * b}, b broadcast over a's leading dimensions. */
        MUL,
        /** {@code a[:, from:to]} along {@code axis}. */
        SLICE,
        /** {@code a[:, from]} along {@code axis}, which it drops; {@code to} is the index as written, maybe negative. */
        AT,
        CONCAT,
        STACK,
        RESHAPE,
        FLATTEN,
        /** {@code a[b]}, rows of table a at integer indices b; written {@code gather(a, b)} when {@code from} is 1. */
        GATHER,
        /** {@code conv2d(a, K, stride = axis, padding = from)} of images a [n, c, h, w] with a param kernel K. */
        CONV,
        /** {@code max_pool2d(a, from)}, or {@code avg_pool2d(a, from)} when {@code axis} is 1. */
        POOL,
        /** {@code batch_norm(a, G, B)} of images a [n, c, h, w], in training, with params G and B [c, 1, 1]. */
        NORM
    }

    /** A definition {@code name = kind(operands...)}, with the shape it has. */
    record Step(String name, Kind kind, List<String> operands, int axis, int from, int to, Shape shape) {
        String text() {
            String a = operands.get(0);
            return switch (kind) {
                case MUL -> a + " * " + operands.get(1);
                case SLICE -> a + "[" + ":, ".repeat(axis) + from + ":" + to + "]";
                case AT -> a + "[" + ":, ".repeat(axis) + to + "]";
                case CONCAT -> "concat(" + String.join(", ", operands) + ", axis = " + axis + ")";
                case STACK -> "stack(" + String.join(", ", operands) + ", axis = " + axis + ")";
                case RESHAPE -> "reshape(" + a + ", " + shape + ")";
                case FLATTEN -> "flatten(" + a + ")";
                case GATHER -> from == 1 ? "gather(" + a + ", " + operands.get(1) + ")" : a + "[" + operands.get(1) + "]";
                case CONV -> "conv2d(" + a + ", " + operands.get(1) + (axis == 1 ? "" : ", stride = " + axis)
                        + (from == 0 ? "" : ", padding = " + from) + ")";
                case POOL -> (axis == 1 ? "avg" : "max") + "_pool2d(" + a + ", " + from + ")";
                case NORM -> "batch_norm(" + String.join(", ", operands) + ")";
            };
        }
    }

    String modelText(String name) {
        StringBuilder text = new StringBuilder("model ").append(name).append("\n\n");
        for (Decl d : decls) {
            if (d.role() == Role.PARAM) {
                text.append("param ").append(d.name()).append(" : ").append(d.shape()).append(" = 0\n");
            } else {
                text.append("input ").append(d.name()).append(" : ").append(d.role() == Role.LABELS ? "int" : "")
                        .append(d.shape()).append('\n');
            }
        }
        for (Step s : steps) {
            text.append(s.name()).append(" = ").append(s.text()).append('\n');
        }
        String last = steps.get(steps.size() - 1).name();
        return text.append("loss L = sum(sin(").append(last).append(") * ").append(last).append(")\n").toString();
    }

    String describe() {
        StringBuilder text = new StringBuilder(modelText("M").strip()).append("\n// ").append(rows)
                .append(" rows; values in row-major order:\n");
        for (Decl d : decls) {
            text.append("// ").append(d.name()).append(" = ").append(d.values().stream()
                    .map(v -> d.role() == Role.LABELS ? Long.toString(Math.round(v)) : Double.toString(v))
                    .collect(Collectors.joining(", ", "[", "]"))).append('\n');
        }
        return text.toString().strip();
    }

    Map<String, Tensor> leafValues() {
        Map<String, Tensor> values = new LinkedHashMap<>();
        decls.forEach(d -> values.put(d.name(), d.tensor(rows)));
        return values;
    }

    /** The same with only the first row of each input. */
    LayoutCase withOneRow() {
        List<Decl> cut = decls.stream().map(d -> !d.shape().hasBatch() ? d
                : d.withValues(d.values().subList(0, d.values().size() / rows))).toList();
        return new LayoutCase(1, cut, steps);
    }

    /** The first {@code count} steps only, so that shrinking can cut the chain short. */
    LayoutCase withSteps(int count) {
        return new LayoutCase(rows, decls, steps.subList(0, count));
    }

    /** The loss as the test reads the model, step by step, from the leaves' values. */
    double loss(Map<String, Tensor> leaves) {
        Map<String, Tensor> values = new LinkedHashMap<>(leaves);
        for (Step s : steps) {
            values.put(s.name(), apply(s, values));
        }
        Tensor v = values.get(steps.get(steps.size() - 1).name());
        return Arrays.stream(v.data()).map(x -> Math.sin(x) * x).sum();
    }

    private static Tensor apply(Step s, Map<String, Tensor> values) {
        Tensor a = values.get(s.operands().get(0));
        return switch (s.kind()) {
            case MUL -> multiply(a, values.get(s.operands().get(1)));
            case SLICE -> slice(a, s.axis(), s.from(), s.to(), false);
            case AT -> slice(a, s.axis(), s.from(), s.from() + 1, true);
            case CONCAT -> join(s.operands().stream().map(values::get).toList(), s.axis(), false);
            case STACK -> join(s.operands().stream().map(values::get).toList(), s.axis(), true);
            case RESHAPE, FLATTEN -> new Tensor(dims(a, s.shape()), a.data());
            case GATHER -> gather(a, values.get(s.operands().get(1)));
            case CONV -> LayoutImages.conv(a, values.get(s.operands().get(1)), s.axis(), s.from());
            case POOL -> LayoutImages.pool(a, s.from(), s.axis() == 1);
            case NORM -> LayoutImages.batchNorm(a, values.get(s.operands().get(1)), values.get(s.operands().get(2)));
        };
    }

    private static int[] dims(Tensor a, Shape shape) {
        int rows = shape.hasBatch() ? a.dims()[0] : 1;
        return shape.dims().stream().mapToInt(d -> d == Shape.BATCH ? rows : d).toArray();
    }

    /** b's elements repeat over a's leading dimensions: b's shape is a trailing part of a's. */
    private static Tensor multiply(Tensor a, Tensor b) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.data()[i] * b.data()[i % b.size()];
        }
        return new Tensor(a.dims(), out);
    }

    private static Tensor slice(Tensor a, int axis, int from, int to, boolean drop) {
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= a.dims()[d];
        }
        int inner = a.size() / outer / a.dims()[axis];
        List<Double> out = new ArrayList<>();
        for (int o = 0; o < outer; o++) {
            for (int k = from; k < to; k++) {
                for (int i = 0; i < inner; i++) {
                    out.add(a.data()[(o * a.dims()[axis] + k) * inner + i]);
                }
            }
        }
        List<Integer> dims = new ArrayList<>(Arrays.stream(a.dims()).boxed().toList());
        if (drop) {
            dims.remove(axis);
        } else {
            dims.set(axis, to - from);
        }
        return new Tensor(dims.stream().mapToInt(Integer::intValue).toArray(),
                out.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Along an axis that exists ({@code concat}) or a new one of size 1 in each part ({@code stack}). */
    private static Tensor join(List<Tensor> parts, int axis, boolean newAxis) {
        int[] first = parts.get(0).dims();
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= first[d];
        }
        List<Double> out = new ArrayList<>();
        int total = 0;
        for (int o = 0; o < outer; o++) {
            total = 0;
            for (Tensor p : parts) {
                int chunk = p.size() / outer;
                for (int i = 0; i < chunk; i++) {
                    out.add(p.data()[o * chunk + i]);
                }
                total += newAxis ? 1 : p.dims()[axis];
            }
        }
        List<Integer> dims = new ArrayList<>(Arrays.stream(first).boxed().toList());
        if (newAxis) {
            dims.add(axis, total);
        } else {
            dims.set(axis, total);
        }
        return new Tensor(dims.stream().mapToInt(Integer::intValue).toArray(),
                out.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static Tensor gather(Tensor table, Tensor ids) {
        int row = table.size() / table.dims()[0];
        double[] out = new double[ids.size() * row];
        for (int i = 0; i < ids.size(); i++) {
            System.arraycopy(table.data(), (int) Math.round(ids.data()[i]) * row, out, i * row, row);
        }
        int[] dims = new int[ids.rank() + table.rank() - 1];
        System.arraycopy(ids.dims(), 0, dims, 0, ids.rank());
        System.arraycopy(table.dims(), 1, dims, ids.rank(), table.rank() - 1);
        return new Tensor(dims, out);
    }
}
