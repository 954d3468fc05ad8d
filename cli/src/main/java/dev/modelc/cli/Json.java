package dev.modelc.cli;

/** The little JSON the commands print: strings and numbers. */
final class Json {
    private Json() {
    }

    static String string(String value) {
        StringBuilder text = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> text.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return text.append('"').toString();
    }

    /** A double as it prints, so it reads back exactly; null for NaN and the infinities. */
    static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }
}
