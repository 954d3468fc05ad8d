package dev.modelc.codegen;

import dev.modelc.codegen.HostileModels.Case;
import java.util.ArrayList;
import java.util.List;

/**
 * File names and source text that reach the comments, javadoc and string literals of a generated
 * class. Each payload would add a method, a statement or a syntax error if it escaped, so an escape
 * shows as a member found by reflection, a failed step, a javac error, or the marker in code.
 */
final class HostileText {
    private static final String M = HostileModels.MARKER;
    /** Text that, outside a comment or string, declares a method. */
    static final String METHOD = "public void " + M + "() {}";
    /** Text that, outside a comment or string, fails every pass it lands in. */
    static final String STATEMENT = "if (true) throw new Error(\"" + M + "\");";

    private HostileText() {
    }

    /** A model with inputs, values, metrics and a stop condition, so the text reaches every comment it can. */
    static String model(String lineComment) {
        return String.join("\n",
                "model M",
                "input x : [batch, 2]   // " + lineComment,
                "param w : [2] = 0.5    // " + lineComment,
                "param b = 0.1 /* " + lineComment.replace("*/", "* /") + " */",
                "h = tanh(x @ w) + b    // " + lineComment,
                "loss L = mean(h^2)     // " + lineComment,
                "metric m = max(h)      // " + lineComment,
                "train {",
                "  stop when L /* " + lineComment.replace("*/", "* /") + " */ < 0.0001 // " + lineComment,
                "}",
                "");
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        for (String payload : payloads()) {
            cases.add(new Case("file name " + visible(payload), "m" + payload + ".model", model("fine"), Dtype.F64,
                    List.of()));
            // A line end would end the .model comment.
            if (payload.indexOf('\n') < 0 && payload.indexOf('\r') < 0) {
                cases.add(new Case("source line " + visible(payload), "m.model", model(payload), Dtype.F64,
                        List.of()));
            }
        }
        cases.add(new Case("folders in the file name", "C:\\models\\*/ " + METHOD + " /*\\m.model", model("fine"),
                Dtype.F64, List.of()));
        cases.add(new Case("carriage returns end lines", "m.model", model("\\u000a " + METHOD).replace('\n', '\r'),
                Dtype.F32, List.of()));
        cases.add(new Case("a definition over several lines", "m.model", "model M\nparam w = 1\nh = w // */ "
                + METHOD + "\n  * 2 // \\u000a " + STATEMENT + "\n  + 1\nloss L = h^2\n", Dtype.F64, List.of()));
        String path = "d\"*/ " + METHOD + " \\u000a " + STATEMENT + "\u2028\n" + METHOD + ".csv";
        cases.add(new Case("a data path", "m.model", model("fine").replace("train {", "train {\n  data csv(\""
                + path.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\", label = last)"),
                Dtype.F64, List.of()));
        return cases;
    }

    /** Each payload once in a file name and once in comments on every line of a model. */
    private static List<String> payloads() {
        return List.of(
                "*/ " + METHOD + " /*",
                "*/ " + STATEMENT + " /*",
                "\\u000a " + METHOD,
                "\\u000d " + STATEMENT,
                "\\u000A\\u000D " + METHOD,
                "\\uuuu000a " + METHOD,
                "\\u002a/ " + METHOD + " /\\u002a",
                "\\\\u000a \\\\\\u000a " + METHOD,
                "\\u0022 + " + M + "() + \\u0022",
                "\" + " + M + "() + \"",
                "\\\" + " + M + "() + \\\"",
                "\\",
                "trailing backslash \\",
                "\n" + METHOD,
                "\r" + STATEMENT,
                "\u2028" + METHOD + "\u2029" + STATEMENT,
                "\u0085\u000b\u000c\u0000 " + METHOD,
                "{@code } } */ @Override <pre> </pre> &amp; " + METHOD,
                "<b> & &amp; &#64; {@code x} { {@link " + M + "} @deprecated @see " + M,
                "$L $S $N $T $$ %s %n " + M,
                "héllo 模型 🙂 \uD83D " + M);
    }

    /** The payload with control characters spelled out, for test names. */
    private static String visible(String payload) {
        StringBuilder out = new StringBuilder();
        payload.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || Character.isSurrogate((char) cp)) {
                out.append(String.format("<U+%04X>", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
