package dev.modelc;

import dev.modelc.LayoutCase.Kind;
import dev.modelc.LayoutCase.Step;
import dev.modelc.TensorCase.Decl;
import dev.modelc.TensorCase.Role;
import dev.modelc.graph.Shape;
import dev.modelc.testing.property.Gen;
import dev.modelc.testing.property.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Generates layout cases: a start (rows of a param table gathered at integer inputs of
 * repeated indices, up to rank 5 together; a batch input scaled by a param; images
 * [batch, c, h, w] scaled by a param, then convolved or pooled; or a param alone) and then up
 * to five steps, each a slice, a position, a concatenation, a stack, a reshape, a flatten, or
 * for a value of rank 4 a convolution or a pooling (either maybe followed by a batch norm), of the
 * value so far, with the batch dimension kept first.
 */
final class LayoutCaseGen implements Gen<LayoutCase> {
    static final int MAX_STEPS = 5;
    private static final int MAX_DIM = 4;

    @Override
    public LayoutCase generate(RandomSource random) {
        return new Builder(random).build();
    }

    @Override
    public Stream<LayoutCase> shrink(LayoutCase c) {
        Stream<LayoutCase> oneRow = c.rows() > 1 ? Stream.of(c.withOneRow()) : Stream.empty();
        return Stream.concat(oneRow, IntStream.range(1, c.steps().size()).mapToObj(c::withSteps));
    }

    private static final class Builder {
        private final RandomSource random;
        private final int rows;
        private final List<Decl> decls = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private String current;
        private Shape shape;
        /** Whether values may repeat exactly (rows gathered twice), where the largest of a window is a tie. */
        private boolean repeats;

        Builder(RandomSource random) {
            this.random = random;
            this.rows = random.nextInt(1, 4);
        }

        LayoutCase build() {
            start();
            int count = random.nextInt(1, MAX_STEPS);
            for (int i = 0; i < count; i++) {
                step();
            }
            return new LayoutCase(rows, decls, steps);
        }

        private void start() {
            double draw = random.nextDouble();
            if (draw < 0.35) {
                repeats = true;
                int tableRows = random.nextInt(2, 4);
                Shape tableShape = shapeOf(tableRows, dims(1, 2));
                String table = declare("E", Role.PARAM, tableShape, 0);
                Shape idsShape = random.chance(0.7) ? shapeOf(Shape.BATCH, dims(0, 2)) : new Shape(dims(1, 3));
                String ids = declare("ids", Role.LABELS, idsShape, tableRows);
                List<Integer> dims = new ArrayList<>(idsShape.dims());
                dims.addAll(tableShape.dims().subList(1, tableShape.rank()));
                add(Kind.GATHER, List.of(table, ids), 0, random.chance(0.3) ? 1 : 0, 0, new Shape(dims));
            } else if (draw < 0.6) {
                List<Integer> rest = dims(1, 2);
                String x = declare("x", Role.INPUT, shapeOf(Shape.BATCH, rest), 0);
                String p = declare("p", Role.PARAM, new Shape(rest), 0);
                add(Kind.MUL, List.of(x, p), 0, 0, 0, shapeOf(Shape.BATCH, rest));
            } else if (draw < 0.8) {
                List<Integer> rest = List.of(random.nextInt(1, 2), random.nextInt(2, 4), random.nextInt(2, 4));
                String x = declare("x", Role.INPUT, shapeOf(Shape.BATCH, rest), 0);
                String p = declare("p", Role.PARAM, new Shape(rest), 0);
                add(Kind.MUL, List.of(x, p), 0, 0, 0, shapeOf(Shape.BATCH, rest));
                image();
            } else {
                String p = declare("p", Role.PARAM, new Shape(dims(1, 3)), 0);
                current = p;
                shape = decls.get(decls.size() - 1).shape();
                add(Kind.MUL, List.of(p, declare("q", Role.PARAM, shape, 0)), 0, 0, 0, shape);
            }
        }

        private void step() {
            int first = shape.hasBatch() ? 1 : 0;
            List<Integer> axes = IntStream.range(first, shape.rank()).boxed().toList();
            for (int attempt = 0; attempt < 10; attempt++) {
                switch (random.nextInt(0, 6)) {
                    case 0 -> {
                        List<Integer> wide = axes.stream().filter(a -> shape.dim(a) >= 2).toList();
                        if (!wide.isEmpty()) {
                            int axis = random.pick(wide);
                            int from = random.nextInt(0, shape.dim(axis) - 1);
                            int to = random.nextInt(from + 1, shape.dim(axis));
                            add(Kind.SLICE, List.of(current), axis, from, to, resized(axis, to - from));
                            return;
                        }
                    }
                    case 1 -> {
                        if (!axes.isEmpty() && shape.rank() >= 2) {
                            int axis = random.pick(axes);
                            int at = random.nextInt(0, shape.dim(axis) - 1);
                            int written = random.chance(0.3) ? at - shape.dim(axis) : at;
                            add(Kind.AT, List.of(current), axis, at, written, shape.without(axis));
                            return;
                        }
                    }
                    case 2 -> {
                        if (!axes.isEmpty()) {
                            int axis = random.pick(axes);
                            String partner = partner();
                            add(Kind.CONCAT, List.of(current, partner), axis, 0, 0, resized(axis, 2 * shape.dim(axis)));
                            return;
                        }
                    }
                    case 3 -> {
                        int axis = random.nextInt(first, shape.rank());
                        String partner = partner();
                        List<Integer> dims = new ArrayList<>(shape.dims());
                        dims.add(axis, 2);
                        add(Kind.STACK, List.of(current, partner), axis, 0, 0, new Shape(dims));
                        return;
                    }
                    case 4 -> {
                        reshape();
                        return;
                    }
                    case 6 -> {
                        if (shape.rank() == 4 && shape.dims().lastIndexOf(Shape.BATCH) <= 0) {
                            image();
                            return;
                        }
                    }
                    default -> {
                        if (shape.rank() >= 2) {
                            add(Kind.FLATTEN, List.of(current), 0, 0, 0, Shape.of(shape.dim(0),
                                    (int) (shape.sizeWithoutBatch() / Math.max(1, shape.dim(0)))));
                            return;
                        }
                    }
                }
            }
        }

        /**
         * A convolution with a new param kernel, of stride 1 or 2 and padding 0 or 1, or a
         * pooling in windows of 2 or 3 where they fit (the largest only where no value repeats,
         * since a tie has no derivative), of the current [n, c, h, w].
         */
        private void image() {
            int h = shape.dim(2);
            int w = shape.dim(3);
            if (random.chance(0.6)) {
                int stride = random.nextInt(1, 2);
                int padding = random.nextInt(0, 1);
                int kh = random.nextInt(1, Math.min(3, h + 2 * padding));
                int kw = random.nextInt(1, Math.min(3, w + 2 * padding));
                int filters = random.nextInt(1, 2);
                String k = declare("K", Role.PARAM, Shape.of(filters, shape.dim(1), kh, kw), 0);
                add(Kind.CONV, List.of(current, k), stride, padding, 0, Shape.of(shape.dim(0), filters,
                        (h + 2 * padding - kh) / stride + 1, (w + 2 * padding - kw) / stride + 1));
            } else {
                int size = random.nextInt(Math.min(2, Math.min(h, w)), Math.min(3, Math.min(h, w)));
                boolean average = repeats || random.chance(0.5);
                add(Kind.POOL, List.of(current), average ? 1 : 0, size, 0,
                        Shape.of(shape.dim(0), shape.dim(1), h / size, w / size));
            }
            if (!repeats && shape.dim(2) * shape.dim(3) >= 2 && random.chance(0.5)) {
                batchNorm();
            }
        }

        /**
         * A batch norm of the current images with a new gamma and beta per channel, where each
         * channel has at least two elements even in one row (and no value repeats), so that its
         * variance is not 0.
         */
        private void batchNorm() {
            Shape perChannel = Shape.of(shape.dim(1), 1, 1);
            String gamma = declare("G", Role.PARAM, perChannel, 0);
            String beta = declare("B", Role.PARAM, perChannel, 0);
            add(Kind.NORM, List.of(current, gamma, beta), 0, 0, 0, shape);
        }

        /** A value of the current shape for concat and stack: the current value times a new param. */
        private String partner() {
            Shape rest = shape.hasBatch() ? new Shape(shape.dims().subList(1, shape.rank())) : shape;
            String q = declare("q", Role.PARAM, rest, 0);
            String before = current;
            Shape kept = shape;
            add(Kind.MUL, List.of(current, q), 0, 0, 0, shape);
            String partner = current;
            current = before;
            shape = kept;
            return partner;
        }

        /** The elements per row split into one to three random factors, the batch first if there is one. */
        private void reshape() {
            long size = shape.sizeWithoutBatch();
            List<Integer> dims = new ArrayList<>();
            if (shape.hasBatch()) {
                dims.add(Shape.BATCH);
            }
            long left = size;
            int parts = random.nextInt(1, 3);
            for (int i = 1; i < parts && left > 1; i++) {
                long rest = left;
                List<Integer> divisors = IntStream.rangeClosed(1, (int) rest).filter(d -> rest % d == 0).boxed().toList();
                int d = random.pick(divisors);
                dims.add(d);
                left /= d;
            }
            dims.add((int) left);
            add(Kind.RESHAPE, List.of(current), 0, 0, 0, new Shape(dims));
        }

        private Shape resized(int axis, int size) {
            List<Integer> dims = new ArrayList<>(shape.dims());
            dims.set(axis, size);
            return new Shape(dims);
        }

        private void add(Kind kind, List<String> operands, int axis, int from, int to, Shape result) {
            String name = "v" + steps.size();
            steps.add(new Step(name, kind, operands, axis, from, to, result));
            current = name;
            shape = result;
        }

        private List<Integer> dims(int min, int max) {
            return IntStream.range(0, random.nextInt(min, max)).mapToObj(i -> random.nextInt(1, MAX_DIM)).toList();
        }

        private static Shape shapeOf(int first, List<Integer> rest) {
            List<Integer> dims = new ArrayList<>();
            dims.add(first);
            dims.addAll(rest);
            return new Shape(dims);
        }

        private String declare(String prefix, Role role, Shape declared, int classes) {
            String name = prefix + decls.size();
            int size = (int) declared.size(rows);
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                values.add(role == Role.LABELS ? random.nextInt(0, classes - 1)
                        : Math.round(random.nextDouble(-1.5, 1.5) * 1000) / 1000.0);
            }
            decls.add(new Decl(name, role, declared, classes, values));
            return name;
        }
    }
}
