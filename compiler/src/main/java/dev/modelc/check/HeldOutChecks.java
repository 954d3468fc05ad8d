package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.graph.DataSpec;
import dev.modelc.graph.ScheduleSpec;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.syntax.Ast;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Checks what watches the held-out rows once an epoch: {@code stop when test_loss < 0.05},
 * {@code stop when test_accuracy >= 0.98} (any metric, {@code test_<metric>}), and
 * {@code schedule reduce_on_plateau(held_out = true)}. Both need data that holds rows out. A
 * name the model declares itself, {@code test_loss} say, keeps its own meaning.
 */
final class HeldOutChecks {
    private static final Map<Ast.BinaryOp, Ast.BinaryOp> MIRRORED = Map.of(Ast.BinaryOp.LESS, Ast.BinaryOp.GREATER,
            Ast.BinaryOp.LESS_EQUAL, Ast.BinaryOp.GREATER_EQUAL, Ast.BinaryOp.GREATER, Ast.BinaryOp.LESS,
            Ast.BinaryOp.GREATER_EQUAL, Ast.BinaryOp.LESS_EQUAL);
    private static final String FORM = "write e.g. `stop when test_loss < 0.05` or `stop when test_accuracy > 0.98`";
    private final Diagnostics diagnostics;
    private final Set<String> declared;
    private final Set<String> metrics;

    HeldOutChecks(Diagnostics diagnostics, Set<String> declared, Set<String> metrics) {
        this.diagnostics = diagnostics;
        this.declared = declared;
        this.metrics = metrics;
    }

    /** Whether a stop condition compares a held-out value: a {@code test_...} name the model does not declare. */
    boolean watches(Ast.Expr condition) {
        return condition instanceof Ast.Binary b && b.op().isComparison()
                && (heldOutName(b.left()) != null || heldOutName(b.right()) != null);
    }

    private String heldOutName(Ast.Expr side) {
        return side instanceof Ast.Name name && name.name().startsWith("test_") && !declared.contains(name.name())
                ? name.name() : null;
    }

    /** The held-out stop, or null after reporting what is wrong with it. */
    ModelSignature.HeldOutStop check(Ast.StopItem item, Optional<DataSpec> data) {
        Ast.Binary b = (Ast.Binary) item.condition();
        boolean left = heldOutName(b.left()) != null;
        Ast.Name name = (Ast.Name) (left ? b.left() : b.right());
        Ast.Expr other = left ? b.right() : b.left();
        Ast.BinaryOp op = left ? b.op() : MIRRORED.get(b.op());
        if (op == null) {
            diagnostics.error(b.opSpan(), "a held-out value is compared with <, <=, > or >=, not " + b.op().symbol,
                    FORM);
            return null;
        }
        String watched = name.name().substring("test_".length());
        if (!watched.equals("loss") && !metrics.contains(watched)) {
            diagnostics.error(name.span(), "`" + name.name() + "` is not a held-out value: they are test_loss"
                    + metrics.stream().map(m -> ", test_" + m).reduce("", String::concat), FORM);
            return null;
        }
        if (heldOutName(other) != null || !(other instanceof Ast.Number || other instanceof Ast.Unary)) {
            diagnostics.error(other.span(), "a held-out value is compared with a number", FORM);
            return null;
        }
        OptionalDouble threshold = ConstantExpressions.evaluate(other, diagnostics);
        if (threshold.isEmpty()) {
            return null;
        }
        if (!holdsOut(data)) {
            diagnostics.error(name.span(), "`" + name.name() + "` is measured on held-out rows, but the data holds "
                    + "none out", "hold some out: `data csv(\"file.csv\", ..., test = 0.2)`");
            return null;
        }
        return new ModelSignature.HeldOutStop(watched.equals("loss") ? null : watched, op.symbol,
                threshold.getAsDouble());
    }

    /** {@code reduce_on_plateau(held_out = true)} needs held-out rows too. */
    void checkPlateau(Ast.TrainBlock block, ScheduleSpec schedule, Optional<DataSpec> data) {
        if (schedule.parameters().getOrDefault("held_out", 0.0) != 1 || holdsOut(data)) {
            return;
        }
        block.items().stream().filter(Ast.ScheduleItem.class::isInstance).findFirst().ifPresent(item ->
                diagnostics.error(item.span(), "`held_out = true` watches the loss over held-out rows, but the data "
                        + "holds none out", "hold some out: `data csv(\"file.csv\", ..., test = 0.2)`"));
    }

    private static boolean holdsOut(Optional<DataSpec> data) {
        return data.isPresent() && data.get().testFraction() > 0;
    }
}
