package dev.modelc.check;

/**
 * A constant argument of a function, such as {@code axis = 1} or the class count of
 * {@code onehot(y, 10)}: given by keyword, or by position after the function's values. Its
 * value is known when the model compiles.
 */
record Setting(String name, Kind kind, String example, boolean required) {
    /** What a setting holds. */
    public enum Kind {
        /** A whole number, possibly negative: {@code axis = -1}. */
        INTEGER,
        /** {@code true} or {@code false}. */
        FLAG,
        /** A number or constant arithmetic: {@code negative_slope = 0.01}. */
        NUMBER,
        /** A list of dimensions, whole numbers from 1 or {@code batch}: {@code [batch, 1, 8, 8]}. */
        SHAPE
    }

    static final Setting AXIS = optional("axis", Kind.INTEGER, "1 or -1");
    static final Setting KEEPDIMS = optional("keepdims", Kind.FLAG, "true");

    static Setting optional(String name, Kind kind, String example) {
        return new Setting(name, kind, example, false);
    }

    static Setting required(String name, Kind kind, String example) {
        return new Setting(name, kind, example, true);
    }

    /** How a person should write it, for the error when it is written otherwise. */
    String expected() {
        return switch (kind) {
            case INTEGER -> "`" + name + "` must be a whole number, such as " + example;
            case FLAG -> "`" + name + "` must be `true` or `false`";
            case NUMBER -> "`" + name + "` must be a number, such as " + example;
            case SHAPE -> "`" + name + "` must be a list of dimensions, such as " + example;
        };
    }
}
