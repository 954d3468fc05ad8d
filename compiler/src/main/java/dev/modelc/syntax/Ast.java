package dev.modelc.syntax;

import dev.modelc.diagnostics.Span;
import java.util.List;

/** The abstract syntax of a .model file: immutable records, each carrying its source span. */
public final class Ast {
    private Ast() {
    }

    /**
     * A whole file: the model's name, its declarations in source order, its {@code recompute}
     * declarations, its functions ({@code def}) in source order, and its train block.
     */
    public record Program(Ident name, List<Declaration> declarations, List<Recompute> recomputes,
                          List<Function> functions, TrainBlock train, Span span) {
        public Program(Ident name, List<Declaration> declarations, List<Recompute> recomputes, TrainBlock train,
                       Span span) {
            this(name, declarations, recomputes, List.of(), train, span);
        }

        public Program(Ident name, List<Declaration> declarations, TrainBlock train, Span span) {
            this(name, declarations, List.of(), List.of(), train, span);
        }

        /** Every name a {@code recompute} declaration lists, in source order. */
        public List<String> recomputedNames() {
            return recomputes.stream().flatMap(r -> r.names().stream()).map(Ident::text).distinct().toList();
        }
    }

    /** A name as written, with where it was written. */
    public record Ident(String text, Span span) {
    }

    // ---- declarations

    public sealed interface Declaration permits Param, Input, Definition {
        Ident name();

        Span span();
    }

    /** {@code param W : [64, 10] = he_normal}; type and initializer are optional. */
    public record Param(Ident name, TypeRef type, Expr init, Span span) implements Declaration {
    }

    /** {@code input x : [batch, 64]}. */
    public record Input(Ident name, TypeRef type, Span span) implements Declaration {
    }

    /**
     * {@code h = expr}, {@code loss L = expr}, {@code metric acc = expr} or {@code output probs = expr};
     * an output is what {@code predict} computes, and a value like any other.
     */
    public record Definition(Kind kind, Ident name, Expr value, Span span) implements Declaration {
        public enum Kind {
            VALUE, LOSS, METRIC, OUTPUT
        }
    }

    /**
     * {@code def dense(a, W, b) = relu(a @ W + b)}: a function of the model, inlined where it is
     * called; its body sees its parameters and the model's names declared above each call.
     */
    public record Function(Ident name, List<Ident> parameters, Expr body, Span span) {
        public Function {
            parameters = List.copyOf(parameters);
        }

        public List<String> parameterNames() {
            return parameters.stream().map(Ident::text).toList();
        }

        /** The argument of each parameter in a call that gives each exactly one (positional, then by name). */
        public List<Expr> arguments(Call call) {
            Expr[] bound = new Expr[parameters.size()];
            int positional = 0;
            for (Argument argument : call.arguments()) {
                int at = argument.name() == null ? positional++ : parameterNames().indexOf(argument.name().text());
                bound[at] = argument.value();
            }
            return List.of(bound);
        }
    }

    /** {@code recompute h, z}: values the backward pass computes again instead of storing them. */
    public record Recompute(List<Ident> names, Span span) {
    }

    /** An element type and a shape, {@code int[batch]} or {@code [64, 10]}. */
    public record TypeRef(ElementType element, List<Dim> dims, Span span) {
        public enum ElementType {
            FLOAT, INT
        }
    }

    /** One dimension of a declared shape: a size or a symbol such as {@code batch}. */
    public sealed interface Dim permits SizeDim, SymbolDim {
        Span span();
    }

    public record SizeDim(String text, Span span) implements Dim {
    }

    public record SymbolDim(String name, Span span) implements Dim {
    }

    // ---- the train block

    public record TrainBlock(List<TrainItem> items, Span span) {
        public static final TrainBlock EMPTY = new TrainBlock(List.of(), Span.NONE);
    }

    public sealed interface TrainItem
            permits DataItem, BatchItem, OptimizerItem, ScheduleItem, CountItem, ClipNormItem, StopItem {
        Span span();
    }

    public record DataItem(Expr source, Span span) implements TrainItem {
    }

    public record BatchItem(Number size, boolean shuffle, Span span) implements TrainItem {
    }

    /** {@code optimizer sgd(lr = 0.1)}. */
    public record OptimizerItem(Ident name, List<Argument> arguments, Span span) implements TrainItem {
    }

    /** {@code schedule cosine(warmup = 100)}. */
    public record ScheduleItem(Ident name, List<Argument> arguments, Span span) implements TrainItem {
    }

    /** {@code epochs 20}, {@code max_steps 100}, {@code seed 42}. */
    public record CountItem(String keyword, Number value, Span span) implements TrainItem {
    }

    /** {@code clip_norm 1.0}: the most the global norm of all gradients may be. */
    public record ClipNormItem(Number value, Span span) implements TrainItem {
    }

    /** {@code stop when J < 0.005}. */
    public record StopItem(Expr condition, Span span) implements TrainItem {
    }

    // ---- expressions

    public sealed interface Expr permits Number, Text, Name, Call, Unary, Binary, ListLiteral, Index {
        Span span();
    }

    /** A numeric literal, kept as written so diagnostics and folding see the exact text. */
    public record Number(String text, Span span) implements Expr {
    }

    public record Text(String value, Span span) implements Expr {
    }

    public record Name(String name, Span span) implements Expr {
    }

    /** {@code [30, 80]}: accepted only where a setting takes a list, such as {@code milestones}. */
    public record ListLiteral(List<Expr> elements, Span span) implements Expr {
    }

    public record Call(Ident function, List<Argument> arguments, Span span) implements Expr {
    }

    /** A positional argument has a null name. */
    public record Argument(Ident name, Expr value, Span span) {
    }

    /** {@code x[:, 0:3]}, {@code x[:, 2]}, {@code E[ids]}: one slot per leading axis of the target. */
    public record Index(Expr target, List<Slot> slots, Span span) implements Expr {
    }

    /**
     * One axis of an index: a range ({@code 0:3}, {@code :3}, {@code :}; a missing end is null) or
     * a position ({@code 2}, or a tensor of indices), given in {@code at}.
     */
    public record Slot(boolean range, Expr at, Expr from, Expr to, Span span) {
        public boolean isAll() {
            return range && from == null && to == null;
        }
    }

    public record Unary(UnaryOp op, Expr operand, Span span) implements Expr {
    }

    public record Binary(BinaryOp op, Expr left, Expr right, Span opSpan, Span span) implements Expr {
    }

    public enum UnaryOp {
        NEGATE("-");

        public final String symbol;

        UnaryOp(String symbol) {
            this.symbol = symbol;
        }
    }

    public enum BinaryOp {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), MATMUL("@"), POWER("^"),
        LESS("<"), LESS_EQUAL("<="), GREATER(">"), GREATER_EQUAL(">="), EQUAL("=="), NOT_EQUAL("!=");

        public final String symbol;

        BinaryOp(String symbol) {
            this.symbol = symbol;
        }

        public boolean isComparison() {
            return ordinal() >= LESS.ordinal();
        }

        /** Every operator sign, the unary minus's included. */
        public static List<String> symbols() {
            return java.util.Arrays.stream(values()).map(op -> op.symbol).toList();
        }

        public static BinaryOp of(String symbol) {
            for (BinaryOp op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("no binary operator " + symbol);
        }
    }
}
