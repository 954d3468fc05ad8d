package dev.modelc.runtime.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors reader written from the format's description alone, to check what the
 * writer produces without trusting its reader: 8 bytes, a little-endian unsigned length N;
 * N bytes of UTF-8 JSON mapping tensor names to {dtype, shape, data_offsets} and
 * "__metadata__" to a map of strings; then the data, offsets counted from its first byte.
 */
final class SpecReader {
    /** One tensor as the header describes it, with its values decoded from the data. */
    record Entry(String dtype, List<Long> shape, long begin, long end, double[] values) {
    }

    /** What the file holds: the header length, the raw header text, metadata and tensors. */
    record Contents(long headerLength, String header, Map<String, String> metadata, Map<String, Entry> tensors) {
    }

    private final String text;
    private int at;

    private SpecReader(String text) {
        this.text = text;
    }

    @SuppressWarnings("unchecked")
    static Contents read(byte[] file) {
        long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(file, 8, (int) n, StandardCharsets.UTF_8);
        Map<String, Object> json = (Map<String, Object>) new SpecReader(header.strip()).parse();
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            Map<String, Object> fields = (Map<String, Object>) e.getValue();
            if (e.getKey().equals("__metadata__")) {
                fields.forEach((k, v) -> metadata.put(k, (String) v));
                continue;
            }
            String dtype = (String) fields.get("dtype");
            List<Long> shape = (List<Long>) (List<?>) fields.get("shape");
            List<Long> offsets = (List<Long>) (List<?>) fields.get("data_offsets");
            int width = dtype.equals("F64") ? 8 : 4;
            ByteBuffer data = ByteBuffer.wrap(file, (int) (8 + n + offsets.get(0)),
                    (int) (offsets.get(1) - offsets.get(0))).order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[(int) ((offsets.get(1) - offsets.get(0)) / width)];
            for (int i = 0; i < values.length; i++) {
                values[i] = width == 8 ? data.getDouble() : data.getFloat();
            }
            tensors.put(e.getKey(), new Entry(dtype, shape, offsets.get(0), offsets.get(1), values));
        }
        return new Contents(n, header, metadata, tensors);
    }

    private Object parse() {
        skipSpace();
        Object value = value();
        skipSpace();
        return value;
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private Object value() {
        char c = text.charAt(at);
        if (c == '{') {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            skipSpace();
            while (text.charAt(at) != '}') {
                String key = (String) parse();
                at++; // the colon
                map.put(key, parse());
                if (text.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
            return map;
        }
        if (c == '[') {
            List<Object> list = new ArrayList<>();
            at++;
            skipSpace();
            while (text.charAt(at) != ']') {
                list.add(parse());
                if (text.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
            return list;
        }
        if (c == '"') {
            StringBuilder s = new StringBuilder();
            at++;
            while (text.charAt(at) != '"') {
                char next = text.charAt(at++);
                if (next == '\\') {
                    char escaped = text.charAt(at++);
                    s.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    s.append(next);
                }
            }
            at++;
            return s.toString();
        }
        int start = at;
        while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '-')) {
            at++;
        }
        return Long.parseLong(text.substring(start, at));
    }
}
