package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.Ast.Expr;
import java.util.OptionalDouble;

/** Evaluates expressions made of literals and arithmetic, such as {@code -3.0} or {@code 1/3}. */
final class ConstantExpressions {
    private ConstantExpressions() {
    }

    /** The value, or empty when the expression is not a literal constant. */
    static OptionalDouble evaluate(Expr expr, Diagnostics diagnostics) {
        if (expr instanceof Ast.Number number) {
            return OptionalDouble.of(Numbers.value(number, diagnostics));
        }
        if (expr instanceof Ast.Unary unary) {
            return negate(evaluate(unary.operand(), diagnostics));
        }
        if (expr instanceof Ast.Binary binary) {
            return binary(binary, diagnostics);
        }
        return OptionalDouble.empty();
    }

    private static OptionalDouble negate(OptionalDouble value) {
        return value.isPresent() ? OptionalDouble.of(-value.getAsDouble()) : value;
    }

    private static OptionalDouble binary(Ast.Binary binary, Diagnostics diagnostics) {
        OptionalDouble left = evaluate(binary.left(), diagnostics);
        OptionalDouble right = evaluate(binary.right(), diagnostics);
        if (left.isEmpty() || right.isEmpty()) {
            return OptionalDouble.empty();
        }
        double a = left.getAsDouble();
        double b = right.getAsDouble();
        return switch (binary.op()) {
            case ADD -> OptionalDouble.of(a + b);
            case SUBTRACT -> OptionalDouble.of(a - b);
            case MULTIPLY -> OptionalDouble.of(a * b);
            case DIVIDE -> OptionalDouble.of(a / b);
            case POWER -> OptionalDouble.of(Math.pow(a, b));
            default -> OptionalDouble.empty();
        };
    }
}
