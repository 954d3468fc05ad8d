package dev.modelc.codegen;

/**
 * What javac reads as code in a Java source: Unicode escapes translated first, as javac does
 * before anything else, then comments and the contents of string and character literals blanked
 * out. Text that a model smuggles into a comment or a string shows up here only if it escaped.
 */
final class JavaCode {
    private JavaCode() {
    }

    /** The source with escapes translated and every comment and literal's text replaced by spaces. */
    static String codeOnly(String source) {
        return stripCommentsAndLiterals(translateUnicodeEscapes(source));
    }

    /**
     * JLS 3.3: {@code \\u} followed by one or more {@code u} and four hex digits is one character,
     * unless the backslash follows an odd number of backslashes, which escape it.
     */
    static String translateUnicodeEscapes(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int backslashes = 0;
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\\' && backslashes % 2 == 0 && i + 1 < source.length() && source.charAt(i + 1) == 'u') {
                int digits = i + 1;
                while (digits < source.length() && source.charAt(digits) == 'u') {
                    digits++;
                }
                if (digits + 4 <= source.length() && isHex(source.substring(digits, digits + 4))) {
                    out.append((char) Integer.parseInt(source.substring(digits, digits + 4), 16));
                    i = digits + 4;
                    backslashes = 0;
                    continue;
                }
            }
            backslashes = c == '\\' ? backslashes + 1 : 0;
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static boolean isHex(String text) {
        return text.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private enum State { CODE, LINE_COMMENT, BLOCK_COMMENT, STRING, CHAR }

    private static String stripCommentsAndLiterals(String text) {
        StringBuilder out = new StringBuilder(text.length());
        State state = State.CODE;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : '\0';
            boolean lineEnd = c == '\n' || c == '\r';
            switch (state) {
                case CODE -> {
                    if (c == '/' && next == '/') {
                        state = State.LINE_COMMENT;
                    } else if (c == '/' && next == '*') {
                        state = State.BLOCK_COMMENT;
                        i++;
                    } else if (c == '"') {
                        state = State.STRING;
                    } else if (c == '\'') {
                        state = State.CHAR;
                    }
                    out.append(state == State.CODE || c == '"' || c == '\'' ? c : ' ');
                    continue;
                }
                case LINE_COMMENT -> state = lineEnd ? State.CODE : state;
                case BLOCK_COMMENT -> {
                    if (c == '*' && next == '/') {
                        state = State.CODE;
                        i++;
                    }
                }
                case STRING, CHAR -> {
                    if (c == '\\') {
                        i++;
                    } else if (c == (state == State.STRING ? '"' : '\'') || lineEnd) {
                        state = State.CODE;
                        out.append(c);
                        continue;
                    }
                }
            }
            out.append(lineEnd ? c : ' ');
        }
        return out.toString();
    }
}
