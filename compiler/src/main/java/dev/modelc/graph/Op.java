package dev.modelc.graph;

/**
 * The primitive operations of the graph IR. Everything the language offers beyond these is
 * desugared into them during lowering, so only these need a shape rule ({@link ShapeRules}),
 * a reference evaluation ({@link Evaluator}), a derivative rule ({@code DerivativeRules})
 * and a Java rendering ({@code codegen}).
 *
 * <p>Elementwise ops take operands of one shape, or scalars, which stand for every element;
 * other broadcasting is explicit through {@link #EXPAND}.
 */
public enum Op {
    // leaves
    CONST("const", 0, Kind.LEAF),
    PARAM("param", 0, Kind.LEAF),
    INPUT("input", 0, Kind.LEAF),
    /** The number of rows bound for this pass, as a scalar. */
    BATCH_SIZE("batch_size", 0, Kind.LEAF),

    // elementwise arithmetic
    ADD("add", 2, Kind.ELEMENTWISE),
    MUL("mul", 2, Kind.ELEMENTWISE),
    NEG("neg", 1, Kind.ELEMENTWISE),
    RECIP("recip", 1, Kind.ELEMENTWISE),
    POW("pow", 2, Kind.ELEMENTWISE),

    // elementwise functions
    EXP("exp", 1, Kind.ELEMENTWISE),
    LOG("log", 1, Kind.ELEMENTWISE),
    SQRT("sqrt", 1, Kind.ELEMENTWISE),
    ABS("abs", 1, Kind.ELEMENTWISE),
    TANH("tanh", 1, Kind.ELEMENTWISE),
    SIGMOID("sigmoid", 1, Kind.ELEMENTWISE),
    SOFTPLUS("softplus", 1, Kind.ELEMENTWISE),
    RELU("relu", 1, Kind.ELEMENTWISE),
    SIN("sin", 1, Kind.ELEMENTWISE),
    COS("cos", 1, Kind.ELEMENTWISE),

    // piecewise constant: derivative zero almost everywhere
    SIGN("sign", 1, Kind.PIECEWISE_CONSTANT),
    STEP("step", 1, Kind.PIECEWISE_CONSTANT),

    // comparisons give 1 or 0; not differentiable, so never on a loss path
    LT("lt", 2, Kind.COMPARISON),
    LE("le", 2, Kind.COMPARISON),
    GT("gt", 2, Kind.COMPARISON),
    GE("ge", 2, Kind.COMPARISON),
    EQ("eq", 2, Kind.COMPARISON),
    NE("ne", 2, Kind.COMPARISON),

    // views: new shape or order over the same elements, never copied
    /** Broadcasts a scalar, or dimensions of size 1, to the attribute's shape. */
    EXPAND("expand", 1, Kind.VIEW),
    /** The same elements in row-major order under the attribute's shape. */
    RESHAPE("reshape", 1, Kind.VIEW),
    /** Swaps the two axes of a matrix. */
    TRANSPOSE("transpose", 1, Kind.VIEW),
    /** Integer labels [..] to rows of 0/1 [.., classes]; the attribute is the class count. */
    ONEHOT("onehot", 1, Kind.VIEW),

    // reductions over the attribute's axes, which the result drops
    SUM("sum", 1, Kind.REDUCTION),
    MAX("max", 1, Kind.REDUCTION),
    /** log(sum(exp(x))) over one axis, computed stably. */
    LOGSUMEXP("logsumexp", 1, Kind.REDUCTION),
    /** Index of the largest element along one axis; not differentiable. */
    ARGMAX("argmax", 1, Kind.INDEX),

    /** Matrix product of [m, k] and [k, n]. */
    MATMUL("matmul", 2, Kind.CONTRACTION);

    /** How an op behaves for differentiation and scheduling. */
    public enum Kind {
        LEAF, ELEMENTWISE, PIECEWISE_CONSTANT, COMPARISON, VIEW, REDUCTION, INDEX, CONTRACTION
    }

    private final String mnemonic;
    private final int arity;
    private final Kind kind;

    Op(String mnemonic, int arity, Kind kind) {
        this.mnemonic = mnemonic;
        this.arity = arity;
        this.kind = kind;
    }

    public String mnemonic() {
        return mnemonic;
    }

    public int arity() {
        return arity;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isLeaf() {
        return kind == Kind.LEAF;
    }

    /** Computed element by element, each from the same element of its operands. */
    public boolean isElementwise() {
        return kind == Kind.ELEMENTWISE || kind == Kind.PIECEWISE_CONSTANT || kind == Kind.COMPARISON;
    }

    /** Whether a loss may depend on a parameter through this op. */
    public boolean isDifferentiable() {
        return kind != Kind.COMPARISON && kind != Kind.INDEX && this != ONEHOT;
    }
}
