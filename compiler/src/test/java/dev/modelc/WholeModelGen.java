package dev.modelc;

import dev.modelc.TensorExpr.Apply;
import dev.modelc.WholeModel.Naming;
import dev.modelc.WholeModel.Stop;
import dev.modelc.WholeModel.Training;
import dev.modelc.codegen.Dtype;
import dev.modelc.graph.Tensor;
import dev.modelc.testing.property.Gen;
import dev.modelc.testing.property.RandomSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Generates whole models: a loss from {@link TensorCaseGen} (every differentiable op, random
 * shapes, params and inputs with values clear of kinks), then metrics and a stop condition
 * made of its parts, so that one sub-expression belongs to several roots, and random naming,
 * recomputation, optimizer, schedule, clipping, dtype and memory budget. Shrinks the extras
 * away first, then the loss as {@link TensorCaseShrinks} does.
 */
final class WholeModelGen implements Gen<WholeModel> {
    private static final TensorCaseGen CORE = new TensorCaseGen();
    private static final List<String> SCHEDULES = List.of("constant", "step(step_size = 2, gamma = 0.5)",
            "multistep(milestones = [1, 2], gamma = 0.5)", "exponential(gamma = 0.9)", "inverse_time(k = 0.5)",
            "linear_warmup(steps = 3)", "cosine(steps = 5, warmup = 1)", "cosine(min_lr = 0.001)",
            "reduce_on_plateau(factor = 0.5, patience = 0)");
    private static final List<Long> BUDGETS = List.of(256L, 1024L, 4096L, 16384L);

    @Override
    public WholeModel generate(RandomSource random) {
        TensorCase core = CORE.generate(random);
        Map<String, Tensor> values = core.leafValues();
        List<TensorExpr> parts = parts(core.loss());
        List<TensorExpr> metrics = new ArrayList<>();
        int count = random.nextInt(0, 3);
        for (int i = 0; i < count && !parts.isEmpty(); i++) {
            metrics.add(metric(random, random.pick(parts)));
        }
        if (random.chance(0.15)) {
            metrics.add(core.loss());
        }
        Stop stop = random.chance(0.4) ? stop(random, random.chance(0.5) || parts.isEmpty() ? core.loss()
                : metric(random, random.pick(parts)), values) : null;
        Naming naming = new Naming(random.chance(0.5), random.pick(List.of(0, 0, 2, 3, 4)));
        int recomputeEvery = random.pick(List.of(0, 0, 1, 2, 3));
        long budget = random.chance(0.2) ? random.pick(BUDGETS) : 0;
        Dtype dtype = random.chance(0.3) ? Dtype.F32 : Dtype.F64;
        return new WholeModel(core, metrics, stop, training(random), dtype, naming, recomputeEvery, budget,
                random.nextInt(0, 3));
    }

    /** The operations of the loss but the loss itself: what metrics and stop conditions are made of. */
    private static List<TensorExpr> parts(TensorExpr loss) {
        List<Apply> applies = new ArrayList<>();
        loss.collectApplies(applies);
        return applies.stream().skip(1).map(a -> (TensorExpr) a).distinct().toList();
    }

    /** A part as a scalar: itself when it is one, else its sum, mean or max. */
    private static TensorExpr metric(RandomSource random, TensorExpr part) {
        if (part.shape().isScalar()) {
            return part;
        }
        return TensorExpr.apply(random.pick(List.of(TensorOp.SUM, TensorOp.MEAN, TensorOp.MAX)), null, List.of(part));
    }

    /** A threshold well to one side of the expression's value, so the condition is clearly true or false. */
    private static Stop stop(RandomSource random, TensorExpr expr, Map<String, Tensor> values) {
        double value = TensorSemantics.evaluate(expr, values).data()[0];
        if (!Double.isFinite(value)) {
            return null;
        }
        double gap = 0.5 + Math.abs(value) * 0.5;
        boolean below = random.chance(0.5);
        boolean holds = random.chance(0.3);
        double threshold = below == holds ? value + gap : value - gap;
        return new Stop(expr, below, Math.round(threshold * 1000) / 1000.0);
    }

    private static Training training(RandomSource random) {
        Map<String, Double> settings = new LinkedHashMap<>();
        String optimizer = random.pick(List.of("gd", "sgd", "adam", "adamw", "rmsprop", "adagrad"));
        settings.put("lr", random.pick(List.of(0.01, 0.05, 0.1)));
        switch (optimizer) {
            case "sgd" -> {
                settings.put("momentum", random.pick(List.of(0.0, 0.9, 0.5)));
                settings.put("dampening", random.pick(List.of(0.0, 0.0, 0.3)));
                settings.put("weight_decay", random.pick(List.of(0.0, 0.1)));
                if (settings.get("momentum") > 0 && settings.get("dampening") == 0) {
                    settings.put("nesterov", random.pick(List.of(0.0, 1.0)));
                }
            }
            case "adam", "adamw" -> {
                settings.put("beta1", random.pick(List.of(0.9, 0.8)));
                settings.put("beta2", random.pick(List.of(0.999, 0.9)));
                settings.put("eps", random.pick(List.of(1e-8, 1e-3)));
                settings.put("weight_decay", random.pick(List.of(0.0, 0.1)));
            }
            case "rmsprop" -> {
                settings.put("alpha", random.pick(List.of(0.99, 0.9)));
                settings.put("eps", random.pick(List.of(1e-8, 1e-2)));
                settings.put("momentum", random.pick(List.of(0.0, 0.5)));
                settings.put("centered", random.pick(List.of(0.0, 1.0)));
                settings.put("weight_decay", random.pick(List.of(0.0, 0.1)));
            }
            case "adagrad" -> {
                settings.put("lr_decay", random.pick(List.of(0.0, 0.5)));
                settings.put("initial_accumulator_value", random.pick(List.of(0.0, 0.1)));
                settings.put("weight_decay", random.pick(List.of(0.0, 0.1)));
            }
            default -> {
            }
        }
        String schedule = random.chance(0.5) ? random.pick(SCHEDULES) : null;
        double clip = random.chance(0.25) ? random.pick(List.of(0.5, 1.0, 100.0)) : 0;
        return new Training(optimizer, settings, schedule, clip, random.nextInt(1, 3));
    }

    @Override
    public Stream<WholeModel> shrink(WholeModel m) {
        List<WholeModel> simpler = new ArrayList<>();
        IntStream.range(0, m.metrics().size()).forEach(i -> {
            List<TensorExpr> fewer = new ArrayList<>(m.metrics());
            fewer.remove(i);
            simpler.add(with(m, fewer, m.stop(), m.training(), m.dtype(), m.naming(), m.recomputeEvery(),
                    m.memoryBudget()));
        });
        if (m.stop() != null) {
            simpler.add(with(m, m.metrics(), null, m.training(), m.dtype(), m.naming(), m.recomputeEvery(),
                    m.memoryBudget()));
        }
        if (m.memoryBudget() != 0 || m.recomputeEvery() != 0) {
            simpler.add(with(m, m.metrics(), m.stop(), m.training(), m.dtype(), m.naming(), 0, 0));
        }
        if (!m.naming().equals(Naming.INLINE)) {
            simpler.add(with(m, m.metrics(), m.stop(), m.training(), m.dtype(), Naming.INLINE, m.recomputeEvery(),
                    m.memoryBudget()));
        }
        if (!m.training().equals(Training.PLAIN)) {
            simpler.add(with(m, m.metrics(), m.stop(), Training.PLAIN, m.dtype(), m.naming(), m.recomputeEvery(),
                    m.memoryBudget()));
        }
        if (m.dtype() != Dtype.F64) {
            simpler.add(with(m, m.metrics(), m.stop(), m.training(), Dtype.F64, m.naming(), m.recomputeEvery(),
                    m.memoryBudget()));
        }
        if (m.extraRows() != 0) {
            simpler.add(new WholeModel(m.core(), m.metrics(), m.stop(), m.training(), m.dtype(), m.naming(),
                    m.recomputeEvery(), m.memoryBudget(), 0));
        }
        return Stream.concat(simpler.stream(), CORE.shrink(m.core()).map(m::withCore));
    }

    private static WholeModel with(WholeModel m, List<TensorExpr> metrics, Stop stop, Training training, Dtype dtype,
                                   Naming naming, int recomputeEvery, long budget) {
        return new WholeModel(m.core(), metrics, stop, training, dtype, naming, recomputeEvery, budget,
                m.extraRows());
    }
}
