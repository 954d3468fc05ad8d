package dev.modelc.runtime.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The first line of a CSV file that names its columns: one name per cell, spaces around it and
 * double quotes around it dropped.
 *
 * @param names the names, one per column, in order
 * @param line the 1-based line the names are on
 */
public record Header(List<String> names, int line) {
    public Header {
        names = List.copyOf(names);
    }

    /** The names on a line of {@code length} bytes. */
    static Header parse(byte[] bytes, int length, int line) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i == length || bytes[i] == ',') {
                names.add(name(new String(bytes, start, i - start, StandardCharsets.UTF_8)));
                start = i + 1;
            }
        }
        return new Header(names, line);
    }

    private static String name(String cell) {
        String trimmed = cell.strip();
        if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
            return trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** The column named {@code name}, or -1 when none is; -2 when more than one is. */
    public int indexOf(String name) {
        int found = -1;
        for (int c = 0; c < names.size(); c++) {
            if (names.get(c).equals(name)) {
                if (found >= 0) {
                    return -2;
                }
                found = c;
            }
        }
        return found;
    }
}
