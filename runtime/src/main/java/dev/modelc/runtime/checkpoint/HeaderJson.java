package dev.modelc.runtime.checkpoint;

import dev.modelc.runtime.Printable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON a safetensors header needs, read strictly and written compactly. Objects become
 * ordered maps (a repeated key is an error, as the format demands), arrays lists, strings
 * strings, and numbers {@code Long}: a header holds only whole numbers, so a fraction or an
 * exponent is refused rather than rounded. Nesting is capped so no input can exhaust the stack,
 * and the number of values so none can exhaust the heap.
 */
final class HeaderJson {
    private static final int MAX_DEPTH = 8;
    /**
     * The most values a header may hold, about 40,000 tensors (a tensor takes six, and a PyTorch
     * model some thousands of tensors at most): parsed, a value costs up to a hundred bytes, so
     * this bounds what any header costs at some tens of megabytes beside its text, where a header
     * of empty tensors within the size limit would cost gigabytes.
     */
    static final int MAX_VALUES = 1 << 18;
    private final String text;
    private int at;
    private int values;

    private HeaderJson(String text) {
        this.text = text;
    }

    /** The value of the whole text; trailing spaces (the format's padding) are allowed, nothing else. */
    static Object parse(String text) throws CheckpointException {
        HeaderJson reader = new HeaderJson(text);
        reader.skipSpace();
        Object value = reader.value(0);
        reader.skipSpace();
        if (reader.at != text.length()) {
            throw reader.error("unexpected text after the header's end");
        }
        return value;
    }

    private Object value(int depth) throws CheckpointException {
        if (depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep");
        }
        if (++values > MAX_VALUES) {
            throw new CheckpointException("the header holds more than " + MAX_VALUES + " values (a few for each "
                    + "tensor), more than modelc reads");
        }
        if (at >= text.length()) {
            throw error("the header ends too soon");
        }
        char c = text.charAt(at);
        if (c == '{') {
            return object(depth);
        }
        if (c == '[') {
            return array(depth);
        }
        if (c == '"') {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        throw error("expected a value, found `" + Printable.escape(String.valueOf(c)) + "`");
    }

    private Map<String, Object> object(int depth) throws CheckpointException {
        Map<String, Object> members = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (peek() == '}') {
            at++;
            return members;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a quoted key");
            }
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (members.put(key, value(depth + 1)) != null) {
                throw error("the key " + Printable.quote(key) + " appears twice");
            }
            skipSpace();
            if (peek() == ',') {
                at++;
            } else {
                expect('}');
                return members;
            }
        }
    }

    private List<Object> array(int depth) throws CheckpointException {
        List<Object> items = new ArrayList<>();
        at++;
        skipSpace();
        if (peek() == ']') {
            at++;
            return items;
        }
        while (true) {
            skipSpace();
            items.add(value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                at++;
            } else {
                expect(']');
                return items;
            }
        }
    }

    private String string() throws CheckpointException {
        StringBuilder out = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("a control character inside a string");
            }
            out.append(c == '\\' ? escape() : c);
        }
    }

    private char escape() throws CheckpointException {
        char c = at < text.length() ? text.charAt(at++) : '?';
        switch (c) {
            case '"', '\\', '/':
                return c;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (at + 4 <= text.length() && text.substring(at, at + 4).matches("[0-9a-fA-F]{4}")) {
                    at += 4;
                    return (char) Integer.parseInt(text.substring(at - 4, at), 16);
                }
                throw error("\\u must be followed by four hex digits");
            default:
                throw error("unknown escape \\" + Printable.escape(String.valueOf(c)));
        }
    }

    private Long number() throws CheckpointException {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        // ASCII digits only: Character.isDigit, and Long.parseLong after it, would take other scripts' digits.
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        String digits = text.substring(start, at);
        char next = peek();
        if (next == '.' || next == 'e' || next == 'E' || digits.equals("-") || digits.matches("-?0\\d+")) {
            throw error("expected a whole number without leading zeros, fraction or exponent");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("the number " + Printable.excerpt(digits, Printable.EXCERPT) + " is too large");
        }
    }

    private void expect(char c) throws CheckpointException {
        if (peek() != c) {
            throw error("expected `" + c + "`");
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void skipSpace() {
        while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private CheckpointException error(String message) {
        return new CheckpointException("the header is not valid JSON at character " + at + ": " + message
                + "; the file is damaged, or not a safetensors file");
    }

    /** A JSON string literal: quotes, and escapes for quotes, backslashes and control characters. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
