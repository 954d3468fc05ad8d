package dev.modelc.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;

/** The element type of generated arithmetic: the same IR renders to either. */
public enum Dtype {
    F32("f32", TypeName.FLOAT),
    F64("f64", TypeName.DOUBLE);

    private final String label;
    private final TypeName type;

    Dtype(String label, TypeName type) {
        this.label = label;
        this.type = type;
    }

    public String label() {
        return label;
    }

    public TypeName type() {
        return type;
    }

    /** Bytes of one element. */
    public int bytes() {
        return this == F64 ? Double.BYTES : Float.BYTES;
    }

    public static Dtype parse(String text) {
        for (Dtype d : values()) {
            if (d.label.equals(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype `" + text + "`; use f32 or f64");
    }

    /** A Java literal of this type: {@code 2.0} or {@code 2.0f}; infinities and NaN by name. */
    public CodeBlock literal(double value) {
        String box = this == F64 ? "Double" : "Float";
        if (Double.isNaN(value)) {
            return CodeBlock.of("$L.NaN", box);
        }
        if (Double.isInfinite(value)) {
            return CodeBlock.of("$L.$L_INFINITY", box, value > 0 ? "POSITIVE" : "NEGATIVE");
        }
        return this == F64 ? CodeBlock.of("$L", Double.toString(value))
                : CodeBlock.of("$Lf", Float.toString((float) value));
    }

    /** The boxed type's simple name, for constants such as {@code Double.NEGATIVE_INFINITY}. */
    public String boxName() {
        return this == F64 ? "Double" : "Float";
    }

    /** Wraps a double-valued call so it has this type: a cast for f32. */
    public CodeBlock fromDouble(CodeBlock call) {
        return this == F64 ? call : CodeBlock.of("(float) $L", call);
    }
}
