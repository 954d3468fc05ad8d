package dev.modelc.codegen;

/** Makes model text safe to place in generated Java comments and string literals. */
final class Comments {
    private Comments() {
    }

    /**
     * Doubles every backslash, so that javac reads no Unicode escape such as {@code \u000a}
     * in it, breaks any {@code *}{@code /} that would end a block comment, and replaces
     * control characters.
     */
    static String safe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\\') {
                out.append("\\\\");
            } else if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                out.append('\uFFFD');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString().replace("*/", "*\u2215");
    }
}
