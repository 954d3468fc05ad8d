package dev.modelc.syntax;

import dev.modelc.diagnostics.Suggestions;
import dev.modelc.grammar.ModelLexer;
import dev.modelc.grammar.ModelParser;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/** The {@code help:} line of a syntax error, for the mistakes whose likely fix can be told. */
final class SyntaxHints {
    private static final List<String> DECLARATION_KEYWORDS = List.of("model", "param", "input", "loss", "metric",
            "output", "def", "recompute", "train");
    private static final List<String> TRAIN_SETTINGS = List.of("optimizer", "stop", "max_steps", "seed", "data",
            "batch", "schedule", "epochs", "clip_norm");

    private SyntaxHints() {
    }

    /** Binary operators: one of these with nothing after it on its line leaves the expression open. */
    private static final List<String> BINARY_OPERATORS = List.of("^", "*", "/", "@", "+", "-", "<", "<=", ">",
            ">=", "==", "!=");

    /** A character the language has no use for, with the tokens around it. */
    static String forCharacter(TokenStream tokens, Token offending) {
        int index = offending.getTokenIndex();
        if (offending.getText().equals(".") && index >= 1 && index + 2 < tokens.size()) {
            Token value = tokens.get(index - 1);
            Token function = tokens.get(index + 1);
            Token open = tokens.get(index + 2);
            if (function.getType() == ModelLexer.IDENT && open.getText().equals("(")) {
                String rest = index + 3 < tokens.size() && tokens.get(index + 3).getText().equals(")") ? "" : ", ...";
                return "functions take the value as their first argument: write `" + function.getText() + "("
                        + operand(value) + rest + ")`";
            }
        }
        return forCharacter(offending.getText());
    }

    /** A character the language has no use for. */
    static String forCharacter(String text) {
        if (isInvisible(text.codePointAt(0))) {
            return "this character is invisible, and often pasted from a web page; replace it with a plain space";
        }
        if (isMark(text.codePointAt(0))) {
            return "an accent typed as a mark of its own after its letter; names take the accented letter as one "
                    + "character, such as `é`";
        }
        return switch (text) {
            case "#" -> "comments start with `//`";
            case "$" -> "`$` has no meaning in a model; names are letters, digits and `_`";
            case "\"" -> "a string ends with `\"` on the line where it starts";
            case ";" -> "declarations end at the next declaration; remove the `;`";
            default -> null;
        };
    }

    /** A combining mark, such as U+0301: on its own it would sit on the quote around it, so it is shown by code. */
    static boolean isMark(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    /** Control characters, odd spaces such as U+00A0 and format characters: shown by code, not as themselves. */
    static boolean isInvisible(int codePoint) {
        return Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                || Character.isSpaceChar(codePoint) || Character.getType(codePoint) == Character.FORMAT;
    }

    /**
     * The operator that ends a line with nothing after it, when that is why the parser failed: it
     * then reports the next line's keyword, or the {@code =} of the next line's definition, whose
     * name it took for the missing operand.
     */
    static Optional<Token> danglingOperator(TokenStream tokens, Token offending) {
        int index = offending.getTokenIndex();
        int before = index - 1;
        boolean startsDeclaration = offending.getType() == Token.EOF
                || DECLARATION_KEYWORDS.contains(offending.getText()) || offending.getText().equals("}");
        if (offending.getText().equals("=") && before >= 1 && startsLine(tokens, before)) {
            before--;
            startsDeclaration = true;
        }
        if (!startsDeclaration || before < 0) {
            return Optional.empty();
        }
        Token operator = tokens.get(before);
        boolean lineEnd = offending.getType() == Token.EOF || operator.getLine() < tokens.get(before + 1).getLine();
        return BINARY_OPERATORS.contains(operator.getText()) && lineEnd ? Optional.of(operator) : Optional.empty();
    }

    private static boolean startsLine(TokenStream tokens, int index) {
        return index == 0 || tokens.get(index - 1).getLine() < tokens.get(index).getLine();
    }

    /** A token the parser did not expect; {@code expected} is the text after "expected", maybe empty. */
    static String forToken(Parser parser, Token offending, String expected) {
        if (expected.equals("`model`")) {
            return "a .model file starts with the model's name, as in `model Quadratic`";
        }
        if (expected.contains("a train setting")) {
            return inTrainBlock(offending);
        }
        if (expected.equals("a name") && DECLARATION_KEYWORDS.contains(offending.getText())) {
            return "`" + offending.getText() + "` starts a declaration, so it cannot be a name; choose another";
        }
        TokenStream tokens = parser.getInputStream();
        int index = offending.getTokenIndex();
        String before = index >= 1 ? tokens.get(index - 1).getText() : "";
        String hint = operatorHint(tokens, offending);
        if (hint != null) {
            return hint;
        }
        if (offending.getText().equals("=") && TRAIN_SETTINGS.contains(before)) {
            return "train settings take no `=`: write `" + before + " " + example(before) + "`";
        }
        if (parser.getContext() instanceof ModelParser.DefineDeclContext && expected.equals("`=`") && index >= 1) {
            return afterBareName(tokens.get(index - 1), index >= 2 ? tokens.get(index - 2) : null);
        }
        if (index >= 2 && tokens.get(index - 2).getText().equals("param") && offending.getType() != Token.EOF
                && offending.getLine() == tokens.get(index - 1).getLine()) {
            String value = offending.getType() == ModelLexer.NUMBER ? offending.getText() : "...";
            return "give `" + tokens.get(index - 1).getText() + "` its first value with `=`, as in `param "
                    + tokens.get(index - 1).getText() + " = " + value + "`";
        }
        return null;
    }

    /** Operators of other languages: {@code **} for a power, {@code +=} and the like for an update. */
    private static String operatorHint(TokenStream tokens, Token offending) {
        int index = offending.getTokenIndex();
        Token previous = index >= 1 ? tokens.get(index - 1) : null;
        Token next = index + 1 < tokens.size() ? tokens.get(index + 1) : null;
        if (offending.getText().equals("*") && previous != null && previous.getText().equals("*")
                && adjacent(previous, offending)) {
            String base = index >= 2 ? operand(tokens.get(index - 2)) : "x";
            return "powers are written with `^`: `" + base + "^" + (next == null ? "2" : operand(next)) + "`";
        }
        boolean update = List.of("+", "-", "*", "/", "^").contains(offending.getText()) && next != null
                && next.getText().equals("=") && adjacent(offending, next) && previous != null
                && previous.getType() == ModelLexer.IDENT;
        if (update) {
            String name = previous.getText();
            String value = index + 2 < tokens.size() ? operand(tokens.get(index + 2)) : "...";
            return "a definition gives a name its only value; give the new value a new name, as in `" + name
                    + "2 = " + name + " " + offending.getText() + " " + value + "`, and use `" + name + "2` below";
        }
        return null;
    }

    private static boolean adjacent(Token first, Token second) {
        return first.getLine() == second.getLine()
                && first.getCharPositionInLine() + first.getText().length() == second.getCharPositionInLine();
    }

    /** A token as the operand of an example: a name or number as written, anything else as {@code x}. */
    private static String operand(Token token) {
        boolean plain = token.getType() == ModelLexer.IDENT || token.getType() == ModelLexer.NUMBER;
        return plain ? token.getText() : "x";
    }

    /** A value to show after a train setting's keyword. */
    private static String example(String setting) {
        return switch (setting) {
            case "clip_norm" -> "1.0";
            case "optimizer" -> "sgd(lr = 0.1)";
            case "schedule" -> "cosine(warmup = 100)";
            case "batch" -> "32";
            case "data" -> "csv(\"train.csv\")";
            case "stop" -> "when J < 0.01";
            default -> "100";
        };
    }

    private static String inTrainBlock(Token offending) {
        String word = offending.getText();
        if (DECLARATION_KEYWORDS.contains(word)) {
            return "the train block holds only settings; declare this above `train {`";
        }
        String suggestion = offending.getType() == ModelLexer.IDENT ? Suggestions.closest(word, TRAIN_SETTINGS) : null;
        if (suggestion != null) {
            return "did you mean `" + suggestion + "`?";
        }
        return "the settings are " + String.join(", ", TRAIN_SETTINGS.stream().map(s -> "`" + s + "`").toList())
                .replace("`stop`", "`stop when`");
    }

    /**
     * A declaration that starts with a bare name is a definition {@code name = ...}; when no
     * {@code =} follows, the name was either a misspelled keyword or the end of the line above.
     */
    private static String afterBareName(Token name, Token before) {
        String keyword = Suggestions.closest(name.getText(), DECLARATION_KEYWORDS);
        if (keyword != null) {
            return "`" + name.getText() + "` is not a keyword; did you mean `" + keyword + "`?";
        }
        if (before != null && before.getLine() == name.getLine()) {
            return "`" + name.getText() + "` starts a new definition; is an operator missing before it?";
        }
        return null;
    }
}
