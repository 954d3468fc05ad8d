package dev.modelc;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The bytes of one fuzzed .model file and how they were made. */
record FuzzCase(String origin, byte[] bytes) {

    FuzzCase withBytes(byte[] smaller) {
        return new FuzzCase(origin, smaller);
    }

    /**
     * The bytes as readable text: UTF-8 where they are UTF-8, {@code \xNN} for each byte that is
     * not, and escapes for control characters other than newline and tab.
     */
    String readable() {
        StringBuilder text = new StringBuilder();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            appendEscaped(text, out.flip());
            out.clear();
            if (!result.isError()) {
                return text.toString();
            }
            for (int i = 0; i < result.length(); i++) {
                text.append(String.format("\\x%02X", in.get() & 0xFF));
            }
        }
    }

    private static void appendEscaped(StringBuilder text, CharSequence chars) {
        chars.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == '\t' || (cp >= ' ' && !Character.isISOControl(cp) && cp != 0x2028
                    && cp != 0x2029 && cp != 0xFEFF)) {
                text.appendCodePoint(cp);
            } else {
                text.append(String.format("\\u%04X", cp));
            }
        });
    }

    @Override
    public String toString() {
        return origin + ", " + bytes.length + " bytes:\n" + readable();
    }
}
