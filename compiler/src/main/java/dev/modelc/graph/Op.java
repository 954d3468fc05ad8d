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
    ADD("add", 2, Kind.ELEMENTWISE, "+", Precedence.ADD),
    MUL("mul", 2, Kind.ELEMENTWISE, "*", Precedence.MUL),
    NEG("neg", 1, Kind.ELEMENTWISE, "-", Precedence.UNARY),
    /** Printed {@code 1 / x}. */
    RECIP("recip", 1, Kind.ELEMENTWISE, null, Precedence.MUL),
    POW("pow", 2, Kind.ELEMENTWISE, "^", Precedence.POW),

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
    /** log(1 + x), accurate for small x. */
    LOG1P("log1p", 1, Kind.ELEMENTWISE),
    /** e^x - 1, accurate for small x. */
    EXPM1("expm1", 1, Kind.ELEMENTWISE),
    /** The error function, 2/√π times the integral of e^(-t²) from 0 to x. */
    ERF("erf", 1, Kind.ELEMENTWISE),
    /** Its operand's value; no gradient flows through it. */
    STOP_GRADIENT("stop_gradient", 1, Kind.ELEMENTWISE),
    /** {@code cond != 0 ? a : b}, element by element; no gradient flows to the condition. */
    WHERE("where", 3, Kind.ELEMENTWISE),
    /**
     * x times its element's mask in training (0, or 1 / (1 - rate)), drawn by its {@link DropoutSite}
     * from the step's key; x itself in prediction and evaluation. Linear in x, so its own adjoint.
     */
    DROPOUT("dropout", 1, Kind.ELEMENTWISE),
    /**
     * {@code a} while training, {@code b} in prediction and evaluation: a batch statistic, or the
     * running statistic that stands for it ({@link RunningStatistic}). Gradients are taken in
     * training, so the cotangent goes to {@code a} alone.
     */
    TRAINING("training", 2, Kind.ELEMENTWISE),

    // piecewise constant: derivative zero almost everywhere
    SIGN("sign", 1, Kind.PIECEWISE_CONSTANT),
    STEP("step", 1, Kind.PIECEWISE_CONSTANT),

    // comparisons give 1 or 0; not differentiable, so never on a loss path
    LT("lt", 2, Kind.COMPARISON, "<", Precedence.COMPARE),
    LE("le", 2, Kind.COMPARISON, "<=", Precedence.COMPARE),
    GT("gt", 2, Kind.COMPARISON, ">", Precedence.COMPARE),
    GE("ge", 2, Kind.COMPARISON, ">=", Precedence.COMPARE),
    EQ("eq", 2, Kind.COMPARISON, "==", Precedence.COMPARE),
    NE("ne", 2, Kind.COMPARISON, "!=", Precedence.COMPARE),

    // views: new shape or order over the same elements, never copied
    /** Broadcasts a scalar, or dimensions of size 1, to the attribute's shape. */
    EXPAND("expand", 1, Kind.VIEW),
    /** The same elements in row-major order under the attribute's shape. */
    RESHAPE("reshape", 1, Kind.VIEW),
    /** Swaps the two axes of a matrix. */
    TRANSPOSE("transpose", 1, Kind.VIEW),
    /** Integer labels [..] to rows of 0/1 [.., classes]; the attribute is the class count. */
    ONEHOT("onehot", 1, Kind.VIEW),
    /** A range of one axis, as a {@link Slice} says. */
    SLICE("slice", 1, Kind.VIEW),
    /** Two values one after the other along the attribute's one axis; the other dimensions agree. */
    CONCAT("concat", 2, Kind.VIEW),
    /** Rows of a table (the first input) at integer indices of any shape (the second): ids.shape + row shape. */
    GATHER("gather", 2, Kind.VIEW),

    // reductions over the attribute's axes, which the result drops
    SUM("sum", 1, Kind.REDUCTION),
    MAX("max", 1, Kind.REDUCTION),
    /** log(sum(exp(x))) over one axis, computed stably. */
    LOGSUMEXP("logsumexp", 1, Kind.REDUCTION),
    /**
     * The adjoint of {@link #GATHER}: rows (the first input, ids.shape + row shape) added into a
     * table of the attribute's shape at their integer indices (the second), repeated ones summed.
     */
    SCATTER_ADD("scatter_add", 2, Kind.REDUCTION),
    /** Index of the largest element along one axis; not differentiable. */
    ARGMAX("argmax", 1, Kind.INDEX),
    /**
     * 1 at the first largest element of each group over the attribute's axes (in row-major order
     * over them), 0 elsewhere, in x's shape: where {@link #MAX}'s cotangent goes, as PyTorch's
     * {@code max(dim)} and {@code max_pool2d} send it. Not differentiable.
     */
    FIRST_MAX("first_max", 1, Kind.INDEX),
    /**
     * x [n, c, h, w] in windows of size x size side by side (the attribute is the size), each
     * window's largest element: [n, c, h / size, w / size]. The rows and columns past the last
     * whole window are dropped.
     */
    MAX_POOL2D("max_pool2d", 1, Kind.REDUCTION),
    /**
     * The adjoint of {@link #MAX_POOL2D}: from x and a cotangent [n, c, h / size, w / size], x's
     * shape with each window's cotangent at the first of its largest elements (in row-major order
     * over the window, as PyTorch's {@code max_pool2d} sends it) and 0 elsewhere.
     */
    MAX_POOL2D_GRAD("max_pool2d_grad", 2, Kind.REDUCTION),

    /** Matrix product of [m, k] and [k, n]. */
    MATMUL("matmul", 2, Kind.CONTRACTION, "@", Precedence.MUL),
    /**
     * x [n, c, h, w] convolved with a kernel [f, c, kh, kw] (a cross-correlation, as PyTorch's),
     * with the stride and zero padding of its {@link Window}: [n, f, oh, ow].
     */
    CONV2D("conv2d", 2, Kind.CONTRACTION),
    /** The adjoint of {@link #CONV2D} in x: a cotangent [n, f, oh, ow] and the kernel to x's shape. */
    CONV2D_INPUT("conv2d_input", 2, Kind.CONTRACTION),
    /** The adjoint of {@link #CONV2D} in the kernel: x and a cotangent [n, f, oh, ow] to the kernel's shape. */
    CONV2D_KERNEL("conv2d_kernel", 2, Kind.CONTRACTION);

    /** How an op behaves for differentiation and scheduling. */
    public enum Kind {
        LEAF, ELEMENTWISE, PIECEWISE_CONSTANT, COMPARISON, VIEW, REDUCTION, INDEX, CONTRACTION
    }

    /**
     * How tightly an operator binds in the model language, loosest first. Comparisons do not
     * chain, {@code ^} groups to the right, the others to the left; calls and leaves are atoms.
     */
    public enum Precedence {
        COMPARE, ADD, MUL, UNARY, POW, ATOM
    }

    private final String mnemonic;
    private final int arity;
    private final Kind kind;
    private final String symbol;
    private final Precedence precedence;

    Op(String mnemonic, int arity, Kind kind) {
        this(mnemonic, arity, kind, null, Precedence.ATOM);
    }

    Op(String mnemonic, int arity, Kind kind, String symbol, Precedence precedence) {
        this.mnemonic = mnemonic;
        this.arity = arity;
        this.kind = kind;
        this.symbol = symbol;
        this.precedence = precedence;
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

    /** The operator sign the model language writes this op with, or null for a call such as {@code exp(x)}. */
    public String symbol() {
        return symbol;
    }

    /** How tightly the op binds as the model language prints it; {@code ATOM} for calls. */
    public Precedence precedence() {
        return precedence;
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
