package dev.modelc.graph;

/**
 * The primitive operations of the graph IR. Everything the language offers beyond these is
 * desugared into them during lowering, so only these need a derivative rule, a reference
 * evaluation and a Java renderer (see {@code DerivativeRules}, {@code Evaluator},
 * {@code JavaExpressions}).
 */
public enum Op {
    // leaves
    CONST("const", 0, Kind.LEAF),
    PARAM("param", 0, Kind.LEAF),

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
    NE("ne", 2, Kind.COMPARISON);

    /** How an op behaves for differentiation and scheduling. */
    public enum Kind {
        LEAF, ELEMENTWISE, PIECEWISE_CONSTANT, COMPARISON
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

    /** Whether a loss may depend on a parameter through this op. */
    public boolean isDifferentiable() {
        return kind == Kind.ELEMENTWISE || kind == Kind.LEAF || kind == Kind.PIECEWISE_CONSTANT;
    }
}
