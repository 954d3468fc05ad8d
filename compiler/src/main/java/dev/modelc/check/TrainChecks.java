package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.graph.DataSpec;
import dev.modelc.graph.TrainSpec;
import dev.modelc.syntax.Ast;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/** Checks the train block and turns it into a {@link TrainSpec}. */
final class TrainChecks {
    private static final List<String> LATER_OPTIMIZERS = List.of("adam", "adamw", "rmsprop", "adagrad");
    private final Diagnostics diagnostics;
    private final ExpressionChecks expressions;
    private final Map<String, Ast.TrainItem> seen = new HashMap<>();

    TrainChecks(Diagnostics diagnostics, ExpressionChecks expressions) {
        this.diagnostics = diagnostics;
        this.expressions = expressions;
    }

    TrainSpec check(Ast.TrainBlock block) {
        TrainSpec d = TrainSpec.defaults();
        String optimizer = d.optimizer();
        Map<String, Double> hyper = new LinkedHashMap<>(d.hyperparameters());
        Optional<DataSpec> data = Optional.empty();
        int batch = d.batchSize();
        boolean shuffle = d.shuffle();
        long epochs = d.epochs();
        long maxSteps = d.maxSteps();
        long seed = d.seed();
        for (Ast.TrainItem item : block.items()) {
            if (!firstOfItsKind(item)) {
                continue;
            }
            String keyword = keyword(item);
            if (item instanceof Ast.OptimizerItem o) {
                if (optimizer(o, hyper)) {
                    optimizer = o.name().text();
                }
            } else if (item instanceof Ast.DataItem dataItem) {
                data = Optional.ofNullable(new DataChecks(diagnostics).check(dataItem));
            } else if (item instanceof Ast.BatchItem b) {
                Long size = positive(b.size(), "the batch size");
                batch = size == null ? batch : (int) Math.min(size, Integer.MAX_VALUE);
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
            } else if (item instanceof Ast.StopItem s) {
                stop(s);
            } else {
                diagnostics.error(item.span(), "`" + keyword + "` is not supported yet: the learning rate is constant",
                        "remove it; `--lr` sets the rate from the command line");
            }
        }
        if (batch > 1 << 20) {
            diagnostics.error(spanOf("batch"), "a batch of more than " + (1 << 20) + " rows is not supported");
        }
        return new TrainSpec(optimizer, hyper, data, batch, shuffle, epochs, maxSteps, seed);
    }

    private void stop(Ast.StopItem s) {
        Facts facts = expressions.check(s.condition());
        if (facts.type() != null && !facts.type().shape().isScalar()) {
            diagnostics.error(s.condition().span(), "`stop when` needs a scalar condition, got shape "
                    + facts.type().shape(), "reduce it, e.g. `mean(...) < 0.01`");
        }
    }

    private dev.modelc.diagnostics.Span spanOf(String keyword) {
        return seen.get(keyword).span();
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
        return item instanceof Ast.ScheduleItem ? "schedule" : "stop when";
    }

    private boolean optimizer(Ast.OptimizerItem item, Map<String, Double> hyper) {
        String name = item.name().text();
        Set<String> known = Builtins.OPTIMIZERS.get(name);
        if (known == null) {
            if (LATER_OPTIMIZERS.contains(name)) {
                diagnostics.error(item.name().span(), "optimizer `" + name + "` is not supported yet",
                        "use `gd(lr = ...)` or `sgd(lr = ..., momentum = ...)`");
            } else {
                String suggestion = Suggestions.closest(name, Builtins.OPTIMIZERS.keySet());
                diagnostics.error(item.name().span(), "unknown optimizer `" + name + "`",
                        suggestion == null ? "the optimizers are gd and sgd" : "did you mean `" + suggestion + "`?");
            }
            return false;
        }
        boolean ok = true;
        for (Ast.Argument argument : item.arguments()) {
            ok &= hyperparameter(name, known, argument, hyper);
        }
        return ok;
    }

    private boolean hyperparameter(String optimizer, Set<String> known, Ast.Argument argument, Map<String, Double> hyper) {
        if (argument.name() == null) {
            diagnostics.error(argument.span(), "name the hyperparameter, as in `" + optimizer + "(lr = 0.1)`");
            return false;
        }
        String key = argument.name().text();
        if (!known.contains(key)) {
            diagnostics.error(argument.name().span(), "`" + optimizer + "` has no hyperparameter `" + key + "`",
                    "`" + optimizer + "` takes `" + String.join("`, `", known.stream().sorted().toList()) + "`");
            return false;
        }
        int errorsBefore = diagnostics.errorCount();
        OptionalDouble value = ConstantExpressions.evaluate(argument.value(), diagnostics);
        if (diagnostics.errorCount() > errorsBefore) {
            return false; // a literal out of range, already reported
        }
        if (value.isEmpty()) {
            diagnostics.error(argument.value().span(), "`" + key + "` must be a constant number",
                    "hyperparameters are fixed before training starts; write a number, as in `" + key + " = 0.1`");
            return false;
        }
        if (!Double.isFinite(value.getAsDouble())) {
            diagnostics.error(argument.value().span(), "`" + key + "` must be a finite number");
            return false;
        }
        double v = value.getAsDouble();
        if (key.equals("lr") && v <= 0) {
            diagnostics.error(argument.value().span(), "the learning rate must be positive");
            return false;
        }
        if (key.equals("momentum") && (v < 0 || v >= 1)) {
            diagnostics.error(argument.value().span(), "momentum must be at least 0 and below 1");
            return false;
        }
        hyper.put(key, v);
        return true;
    }
}
