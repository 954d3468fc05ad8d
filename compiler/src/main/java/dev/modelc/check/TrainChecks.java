package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.graph.DataSpec;
import dev.modelc.graph.ScheduleSpec;
import dev.modelc.graph.TrainSpec;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.syntax.Ast;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks the train block and turns it into a {@link TrainSpec}. */
final class TrainChecks {
    private final Diagnostics diagnostics;
    private final ExpressionChecks expressions;
    private final Map<String, Ast.TrainItem> seen = new HashMap<>();
    private final Map<String, Type> inputs;
    private final HeldOutChecks heldOut;

    /**
     * @param inputs the model's inputs and their types, in declaration order, for the data clause
     * @param declared every name the model declares
     * @param metrics the model's metrics, which {@code stop when test_<metric> ...} may watch
     */
    TrainChecks(Diagnostics diagnostics, ExpressionChecks expressions, Map<String, Type> inputs, Set<String> declared,
                Set<String> metrics) {
        this.diagnostics = diagnostics;
        this.expressions = expressions;
        this.inputs = inputs;
        this.heldOut = new HeldOutChecks(diagnostics, declared, metrics);
    }

    TrainSpec check(Ast.TrainBlock block) {
        TrainSpec d = TrainSpec.defaults();
        String optimizer = d.optimizer();
        Map<String, Double> hyper = d.hyperparameters();
        ScheduleSpec schedule = d.schedule();
        double clipNorm = d.clipNorm();
        Optional<DataSpec> data = Optional.empty();
        int batch = d.batchSize();
        boolean shuffle = d.shuffle();
        long epochs = d.epochs();
        long maxSteps = d.maxSteps();
        long seed = d.seed();
        Ast.StopItem heldOutItem = null;
        for (Ast.TrainItem item : block.items()) {
            if (!firstOfItsKind(item)) {
                continue;
            }
            String keyword = keyword(item);
            if (item instanceof Ast.OptimizerItem o) {
                Map<String, Double> values = optimizer(o);
                optimizer = values == null ? optimizer : o.name().text();
                hyper = values == null ? hyper : values;
            } else if (item instanceof Ast.ScheduleItem s) {
                ScheduleSpec checked = schedule(s);
                schedule = checked == null ? schedule : checked;
            } else if (item instanceof Ast.ClipNormItem c) {
                clipNorm = clipNorm(c);
            } else if (item instanceof Ast.DataItem dataItem) {
                data = Optional.ofNullable(new DataChecks(diagnostics, inputs).check(dataItem));
            } else if (item instanceof Ast.BatchItem b) {
                Long size = positive(b.size(), "the batch size");
                if (size != null && size > Limits.MAX_BATCH) {
                    diagnostics.error(b.size().span(), "a batch of " + Limits.count(size) + " rows is more than the "
                            + Limits.count(Limits.MAX_BATCH) + " modelc supports", "train on fewer rows per step");
                } else if (size != null) {
                    batch = size.intValue();
                }
                shuffle = b.shuffle();
            } else if (item instanceof Ast.CountItem c && keyword.equals("epochs")) {
                Long value = positive(c.value(), "the number of epochs");
                epochs = value == null ? epochs : value;
            } else if (item instanceof Ast.CountItem c && keyword.equals("max_steps")) {
                Long value = Numbers.integer(c.value(), diagnostics);
                maxSteps = value == null ? maxSteps : value;
            } else if (item instanceof Ast.CountItem c) {
                Long value = Numbers.integer(c.value(), diagnostics);
                seed = value == null ? seed : value;
            } else if (heldOut.watches(((Ast.StopItem) item).condition())) {
                heldOutItem = (Ast.StopItem) item;
            } else {
                stop((Ast.StopItem) item);
            }
        }
        ModelSignature.HeldOutStop stop = heldOutItem == null ? null : heldOut.check(heldOutItem, data);
        heldOut.checkPlateau(block, schedule, data);
        return new TrainSpec(optimizer, hyper, schedule, clipNorm, data, batch, shuffle, epochs, maxSteps, seed,
                stop);
    }

    private void stop(Ast.StopItem s) {
        Facts facts = expressions.checkCondition(s.condition());
        if (facts.type() != null && !facts.type().shape().isScalar()) {
            diagnostics.error(s.condition().span(), "`stop when` needs a scalar condition, got shape "
                    + facts.type().shape(), "reduce it, e.g. `mean(...) < 0.01`");
        }
    }

    private Long positive(Ast.Number number, String what) {
        Long value = Numbers.integer(number, diagnostics);
        if (value != null && value < 1) {
            diagnostics.error(number.span(), what + " must be at least 1");
            return null;
        }
        return value;
    }

    private boolean firstOfItsKind(Ast.TrainItem item) {
        Ast.TrainItem first = seen.putIfAbsent(keyword(item), item);
        if (first != null) {
            diagnostics.error(item.span(), "`" + keyword(item) + "` is already set on line " + first.span().line(),
                    "keep only one of them");
            return false;
        }
        return true;
    }

    static String keyword(Ast.TrainItem item) {
        if (item instanceof Ast.CountItem c) {
            return c.keyword();
        }
        if (item instanceof Ast.DataItem) {
            return "data";
        }
        if (item instanceof Ast.BatchItem) {
            return "batch";
        }
        if (item instanceof Ast.OptimizerItem) {
            return "optimizer";
        }
        if (item instanceof Ast.ClipNormItem) {
            return "clip_norm";
        }
        return item instanceof Ast.ScheduleItem ? "schedule" : "stop when";
    }

    /** Every hyperparameter of the optimizer, defaults filled in; null after reporting an error. */
    private Map<String, Double> optimizer(Ast.OptimizerItem item) {
        String name = item.name().text();
        List<TrainTables.Parameter> table = TrainTables.OPTIMIZERS.get(name);
        if (table == null) {
            unknown(item.name(), "optimizer", TrainTables.optimizers());
            return null;
        }
        SettingArguments.Values values = new SettingArguments(diagnostics, "hyperparameter")
                .check(item.name(), item.arguments(), table);
        if (values == null) {
            return null;
        }
        Map<String, Double> hyper = values.numbers();
        if (hyper.getOrDefault("nesterov", 0.0) == 1 && (hyper.get("momentum") == 0 || hyper.get("dampening") != 0)) {
            diagnostics.error(item.span(), "nesterov momentum needs a `momentum` above 0 and no `dampening`",
                    "add `momentum = 0.9`, or remove `nesterov = true`");
            return null;
        }
        return hyper;
    }

    private ScheduleSpec schedule(Ast.ScheduleItem item) {
        String name = item.name().text();
        List<TrainTables.Parameter> table = TrainTables.SCHEDULES.get(name);
        if (table == null) {
            unknown(item.name(), "schedule", TrainTables.schedules());
            return null;
        }
        SettingArguments.Values values = new SettingArguments(diagnostics, "parameter")
                .check(item.name(), item.arguments(), table);
        if (values == null) {
            return null;
        }
        Double steps = values.numbers().get("steps");
        double warmup = values.numbers().getOrDefault("warmup", 0.0);
        if (name.equals("cosine") && steps != null && warmup >= steps) {
            diagnostics.error(item.span(), "the warmup (" + TrainTables.number(warmup)
                    + " steps) must be shorter than the whole schedule (" + TrainTables.number(steps) + " steps)",
                    "`steps` counts every update, the warmup included");
            return null;
        }
        return new ScheduleSpec(name, values.numbers(), values.milestones());
    }

    private void unknown(Ast.Ident name, String what, Set<String> known) {
        String suggestion = Suggestions.closest(name.text(), known);
        diagnostics.error(name.span(), "unknown " + what + " `" + name.text() + "`", suggestion != null
                ? "did you mean `" + suggestion + "`?" : "the " + what + "s are " + inWords(known));
    }

    private static String inWords(Collection<String> names) {
        List<String> list = List.copyOf(names);
        return String.join(", ", list.subList(0, list.size() - 1)) + " and " + list.get(list.size() - 1);
    }

    private double clipNorm(Ast.ClipNormItem item) {
        double value = Numbers.value(item.value(), diagnostics);
        if (Double.isNaN(value)) {
            return TrainSpec.NO_CLIPPING;
        }
        if (value <= 0) {
            diagnostics.error(item.value().span(), "the gradient norm limit must be positive, got "
                    + TrainTables.number(value), "remove `clip_norm` to train without clipping");
            return TrainSpec.NO_CLIPPING;
        }
        return value;
    }
}
