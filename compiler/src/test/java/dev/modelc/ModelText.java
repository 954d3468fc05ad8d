package dev.modelc;

import dev.modelc.ScalarExpr.Apply;
import dev.modelc.ScalarExpr.Constant;
import dev.modelc.ScalarExpr.Param;
import java.util.List;

/**
 * Writes a {@link ScalarExpr} as .model text with only the parentheses the language's
 * precedence needs: {@code ^} binds tightest and groups to the right, then unary minus, then
 * {@code * /}, then {@code + -}, both grouping to the left. A parser that disagrees computes
 * another value, which the gradient property test sees.
 */
final class ModelText {
    private static final int SUM = 1;
    private static final int PRODUCT = 2;
    private static final int NEGATION = 3;
    private static final int POWER = 4;
    private static final int ATOM = 5;

    private record Text(String text, int level) {
        /** The text, parenthesized unless it binds at least as tightly as {@code level}. */
        String atLeast(int level) {
            return this.level >= level ? text : "(" + text + ")";
        }
    }

    private ModelText() {
    }

    static String minimal(ScalarExpr expr) {
        return render(expr).text();
    }

    private static Text render(ScalarExpr expr) {
        if (expr instanceof Param p) {
            return new Text("p" + p.index(), ATOM);
        }
        if (expr instanceof Constant c) {
            boolean negative = c.value() < 0 || (c.value() == 0 && 1 / c.value() < 0);
            String literal = Double.toString(Math.abs(c.value()));
            return negative ? new Text("-" + literal, NEGATION) : new Text(literal, ATOM);
        }
        Apply a = (Apply) expr;
        if (a.op().isCall()) {
            List<String> arguments = a.operands().stream().map(o -> render(o).text()).toList();
            return new Text(a.op().symbol() + "(" + String.join(", ", arguments) + ")", ATOM);
        }
        if (a.op() == ScalarOp.NEGATE) {
            // Another minus right after this one stays parenthesized for the reader's sake.
            return new Text("-" + render(a.operand(0)).atLeast(NEGATION + 1), NEGATION);
        }
        int level = switch (a.op()) {
            case ADD, SUBTRACT -> SUM;
            case MULTIPLY, DIVIDE -> PRODUCT;
            default -> POWER;
        };
        boolean groupsRight = level == POWER;
        String left = render(a.operand(0)).atLeast(groupsRight ? level + 1 : level);
        String right = render(a.operand(1)).atLeast(groupsRight ? level : level + 1);
        return new Text(left + " " + a.op().symbol() + " " + right, level);
    }
}
