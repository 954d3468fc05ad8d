package dev.modelc.check;

import dev.modelc.check.ModelChecker.Symbol;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Span;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.graph.Shape;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.Ast.Expr;
import java.util.Map;
import java.util.Set;

/** Checks one expression against the names declared above it, and infers its type. */
final class ExpressionChecks {
    static final String STRING_HELP = "strings only name data files, as in `data csv(\"train.csv\")`";
    static final String LIST_HELP = "lists only give a schedule its milestones, as in "
            + "`schedule multistep(milestones = [30, 80])`";
    /** Longer operands appear in hints as "(...)". */
    private static final int MAX_HINT_TEXT = 24;
    private final Diagnostics diagnostics;
    private final Map<String, Symbol> scope;
    private final Map<String, Ast.Declaration> allDeclarations;
    private final Set<String> unreadable;
    private final ShapeChecks shapes;
    private final CallChecks calls;
    private final IndexChecks indexes;
    private final Functions functions;
    /** Whether the expression is a train block's condition, below every declaration. */
    private boolean inTrainBlock;

    ExpressionChecks(Diagnostics diagnostics, Map<String, Symbol> scope, Map<String, Ast.Declaration> allDeclarations,
                     Set<String> unreadable, Functions functions) {
        this.diagnostics = diagnostics;
        this.unreadable = unreadable;
        this.scope = scope;
        this.allDeclarations = allDeclarations;
        this.functions = functions;
        this.shapes = new ShapeChecks(diagnostics, name -> scope.containsKey(name)
                && !(scope.get(name).declaration() instanceof Ast.Definition));
        this.calls = new CallChecks(diagnostics, shapes, scope, this, new FunctionCalls(diagnostics, functions, scope,
                this));
        this.indexes = new IndexChecks(diagnostics, shapes, scope, this);
    }

    ShapeChecks shapes() {
        return shapes;
    }

    /**
     * Checks a condition of the train block, such as {@code stop when}: it sees every declaration,
     * so an unknown name gets the closest declared one as a suggestion, or no help at all.
     */
    Facts checkCondition(Expr expr) {
        inTrainBlock = true;
        try {
            return check(expr);
        } finally {
            inTrainBlock = false;
        }
    }

    /** Checks a value: strings are not values. */
    Facts check(Expr expr) {
        Facts facts = visit(expr);
        if (facts.isText()) {
            diagnostics.error(expr.span(), "a string cannot be a value", STRING_HELP);
            return Facts.UNKNOWN;
        }
        return facts;
    }

    Facts visit(Expr expr) {
        if (expr instanceof Ast.Number number) {
            Numbers.value(number, diagnostics);
            return Facts.of(Type.SCALAR);
        }
        if (expr instanceof Ast.Text) {
            return Facts.TEXT;
        }
        if (expr instanceof Ast.Name name) {
            return name(name);
        }
        if (expr instanceof Ast.Unary unary) {
            return operand(unary.operand());
        }
        if (expr instanceof Ast.Binary binary) {
            return binary(binary);
        }
        if (expr instanceof Ast.ListLiteral) {
            diagnostics.error(expr.span(), "a list cannot be a value", LIST_HELP);
            return Facts.UNKNOWN;
        }
        if (expr instanceof Ast.Index index) {
            return indexes.check(index);
        }
        return calls.check((Ast.Call) expr);
    }

    /** An operand of arithmetic: a value, never a string. */
    Facts operand(Expr expr) {
        Facts facts = visit(expr);
        if (facts.isText()) {
            diagnostics.error(expr.span(), "a string cannot be used in arithmetic", STRING_HELP);
            return Facts.UNKNOWN;
        }
        return facts;
    }

    private Facts binary(Ast.Binary binary) {
        Facts left = operand(binary.left());
        Facts right = operand(binary.right());
        Facts facts = left.join(right);
        if (left.type() == null || right.type() == null) {
            return facts.withType(null);
        }
        Shape a = left.type().shape();
        Shape b = right.type().shape();
        if (binary.op() == Ast.BinaryOp.MATMUL) {
            Shape shape = shapes.matmul(a, b, binary.opSpan(), text(binary.left()), text(binary.right()));
            return facts.withType(shape == null ? null : Type.floating(shape));
        }
        String what = binary.op().isComparison() ? "comparison `" + binary.op().symbol + "` of"
                : "`" + binary.op().symbol + "` of";
        Shape shape = shapes.broadcast(what, a, b, binary.opSpan());
        facts = facts.withType(shape == null ? null : Type.floating(shape));
        if (binary.op().isComparison()) {
            return facts.block(binary.opSpan(), "the comparison `" + binary.op().symbol + "`");
        }
        return facts;
    }

    /** A short source form of an operand for hints: its name, its own short text, or "(...)". */
    private String text(Expr expr) {
        if (expr instanceof Ast.Name name) {
            return name.name();
        }
        Span span = expr.span();
        String line = diagnostics.source().line(span.line());
        int length = line.codePointCount(0, line.length());
        if (span.endLine() != span.line() || span.endColumn() - span.column() > MAX_HINT_TEXT
                || span.endColumn() - 1 > length) {
            return "(...)";
        }
        String text = line.substring(line.offsetByCodePoints(0, span.column() - 1),
                line.offsetByCodePoints(0, span.endColumn() - 1));
        return expr instanceof Ast.Binary || expr instanceof Ast.Unary ? "(" + text + ")" : text;
    }

    private Facts name(Ast.Name name) {
        Symbol symbol = scope.get(name.name());
        if (symbol != null) {
            return symbol.facts();
        }
        Ast.Declaration later = allDeclarations.get(name.name());
        if (later == null && unreadable.contains(name.name())) {
            return Facts.UNKNOWN.withErrorInside();
        }
        if (later != null) {
            diagnostics.error(name.span(), "`" + name.name() + "` is used before its "
                            + ModelChecker.kindWord(later) + " on line " + later.span().line(),
                    "values are defined top to bottom; move that line above this one");
        } else if (Builtins.lookup(name.name()) != null || functions.lookup(name.name()) != null) {
            diagnostics.error(name.span(), "`" + name.name() + "` is a function; call it as `" + name.name() + "(...)`");
        } else if (Builtins.INITIALIZERS.containsKey(name.name())) {
            diagnostics.error(name.span(), "`" + name.name() + "` is an initializer, not a value",
                    "initializers only give a param its first value, as in `param w = " + name.name() + "`");
        } else {
            String suggestion = Suggestions.closest(name.name(), scope.keySet());
            String declare = inTrainBlock ? null : "declare it above this line, e.g. `param " + name.name() + " = 0.0`";
            diagnostics.error(name.span(), "unknown name `" + name.name() + "`", suggestion == null
                    ? declare : "did you mean `" + suggestion + "`?");
        }
        return Facts.UNKNOWN;
    }
}
