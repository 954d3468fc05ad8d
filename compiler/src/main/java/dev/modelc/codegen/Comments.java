package dev.modelc.codegen;

import com.palantir.javapoet.CodeBlock;

/** Makes model text safe to place in generated Java comments and string literals. */
final class Comments {
    private Comments() {
    }

    /**
     * Doubles every backslash, so that javac reads no Unicode escape such as {@code \u000a}
     * in it, breaks any {@code *}{@code /} that would end a block comment, and replaces
     * control characters and the other characters JavaPoet takes for line ends.
     */
    static String safe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\\') {
                out.append("\\\\");
            } else if (Character.isISOControl(cp) || isLineSeparator(cp) || isSurrogate(cp)) {
                out.append('\uFFFD');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString().replace("*/", "*\u2215");
    }

    /**
     * Model text as javadoc code: {@code {@code text}}, safe as {@link #safe} makes it; when its
     * braces do not pair up, which would end the tag early, as HTML with every brace an entity.
     */
    static String code(String text) {
        String safe = safe(text);
        int depth = 0;
        for (int i = 0; i < safe.length() && depth >= 0; i++) {
            depth += safe.charAt(i) == '{' ? 1 : safe.charAt(i) == '}' ? -1 : 0;
        }
        return depth == 0 ? "{@code " + safe + "}" : "<code>" + html(safe) + "</code>";
    }

    /** Model text, such as a file name, as plain javadoc text: no HTML, tag or entity of its own. */
    static String doc(String text) {
        return html(safe(text));
    }

    private static String html(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '@' -> out.append("&#64;");
                case '{' -> out.append("&#123;");
                case '}' -> out.append("&#125;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A string literal holding exactly {@code text}. JavaPoet's {@code $S} writes U+2028 and U+2029
     * as they are and then breaks the line at them, inside the literal; here every character that
     * is not plain printable text is written as an escape, on one line.
     */
    static CodeBlock literal(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || isLineSeparator(c) || Character.isSurrogate(c)
                            && !isPair(text, i)) {
                        // An octal escape cannot hold these, and a Unicode escape is read before any line ends.
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return CodeBlock.of("$L", out.append('"'));
    }

    private static boolean isLineSeparator(int cp) {
        return cp == 0x2028 || cp == 0x2029;
    }

    /** A lone surrogate half: {@code codePoints()} gives it on its own, and no encoding can write it. */
    private static boolean isSurrogate(int cp) {
        return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
    }

    /** Whether the surrogate at {@code i} is half of a valid pair, which is written as it is. */
    private static boolean isPair(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
