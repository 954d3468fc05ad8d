package dev.modelc;

import dev.modelc.testing.property.RandomSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Breaks model texts the ways files get broken: tokens inserted, deleted, swapped or repeated,
 * text cut short, two files spliced, line endings changed, and bytes that are random or not
 * UTF-8 at all. Each mutation names itself, so a failing case says how it was made.
 */
final class TextMutations {
    /** Words, numbers, strings, comments, runs of blanks, and single other characters. */
    private static final Pattern TOKEN = Pattern.compile(
            "[\\p{L}_][\\p{L}\\p{N}_]*|[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?|\"[^\"\\n]*\"?|//[^\\n]*|/\\*|\\*/"
                    + "|<=|>=|==|!=|\\s+|.", Pattern.DOTALL);
    private static final List<String> VOCABULARY = List.of("model", "param", "input", "loss", "metric", "output",
            "train", "recompute", "{", "}", "(", ")", "[", "]", ",", ":", "=", "==", "+", "-", "*", "/", "^", "@", "<",
            ">=", "batch", "int", "float", "data", "optimizer", "schedule", "epochs", "max_steps", "seed", "clip_norm",
            "stop", "when", "shuffle", "axis", "sum", "mean", "relu", "softmax_cross_entropy", "csv", "x", "W", "0",
            "1.5", "1e999", "-", "\"s\"", "\"", "/*", "*/", "//", "\n", "\t", "\r", "\u00a0", "\u2028", "\uFEFF",
            "\u0000", "\u00e9", "\ud83d\ude00", "$", "#", ";", "\\", "`", "'", "?", "1_0", "0x1F");
    /** Byte sequences that are not UTF-8: stray continuation, lone lead bytes, overlong, a surrogate. */
    private static final List<byte[]> NOT_UTF8 = List.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
            new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});

    private final RandomSource random;
    private final List<String> names = new ArrayList<>();

    TextMutations(RandomSource random) {
        this.random = random;
    }

    /** What the mutations made: the bytes, and the names of the mutations in the order applied. */
    record Mutated(byte[] bytes, String description) {
    }

    /** One to three mutations of a text cut into {@link #tokens}; {@code other} is a second file to splice in. */
    Mutated mutate(List<String> text, List<String> other) {
        List<String> tokens = new ArrayList<>(text);
        int count = random.nextInt(1, 3);
        for (int i = 0; i < count; i++) {
            tokens = textMutation(tokens, other);
        }
        byte[] bytes = String.join("", tokens).getBytes(StandardCharsets.UTF_8);
        if (random.chance(0.12)) {
            bytes = byteMutation(bytes);
        }
        return new Mutated(bytes, String.join(", ", names));
    }

    private List<String> textMutation(List<String> tokens, List<String> other) {
        int at = random.nextInt(tokens.size() + 1);
        switch (random.nextInt(8)) {
            case 0 -> {
                names.add("insert token");
                tokens.add(at, random.pick(VOCABULARY));
            }
            case 1 -> {
                names.add("delete token");
                removeAt(tokens, at);
            }
            case 2 -> {
                names.add("swap tokens");
                swap(tokens, random.nextInt(tokens.size() + 1), at);
            }
            case 3 -> {
                names.add("repeat tokens");
                int from = Math.max(0, at - random.nextInt(1, 6));
                tokens.addAll(at, new ArrayList<>(tokens.subList(from, at)));
            }
            case 4 -> {
                names.add("truncate");
                return new ArrayList<>(tokens.subList(0, at));
            }
            case 5 -> {
                names.add("splice");
                List<String> spliced = new ArrayList<>(tokens.subList(0, at));
                spliced.addAll(other.subList(random.nextInt(other.size() + 1), other.size()));
                return spliced;
            }
            case 6 -> {
                names.add("line endings");
                String end = random.pick(List.of("\r\n", "\r", "\n\n", "\u2028", ""));
                tokens.replaceAll(token -> token.replace("\n", end));
            }
            default -> {
                names.add("replace token");
                if (at < tokens.size()) {
                    tokens.set(at, random.pick(VOCABULARY));
                }
            }
        }
        return tokens;
    }

    private byte[] byteMutation(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = random.nextInt(bytes.length + 1);
        out.write(bytes, 0, at);
        if (random.chance(0.5)) {
            names.add("bytes that are not UTF-8");
            byte[] bad = random.pick(NOT_UTF8);
            out.write(bad, 0, bad.length);
        } else {
            names.add("random bytes");
            int count = random.nextInt(1, 8);
            for (int i = 0; i < count; i++) {
                out.write(random.nextInt(256));
            }
        }
        int skip = random.chance(0.5) ? 0 : Math.min(bytes.length - at, random.nextInt(0, 4));
        out.write(bytes, at + skip, bytes.length - at - skip);
        return out.toByteArray();
    }

    private static void removeAt(List<String> tokens, int at) {
        if (at < tokens.size()) {
            tokens.remove(at);
        }
    }

    private static void swap(List<String> tokens, int i, int j) {
        if (i < tokens.size() && j < tokens.size()) {
            String t = tokens.get(i);
            tokens.set(i, tokens.get(j));
            tokens.set(j, t);
        }
    }

    /** The text cut into tokens roughly as the lexer would; joined again they give the text back. */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }
}
