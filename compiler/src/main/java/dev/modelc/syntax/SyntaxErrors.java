package dev.modelc.syntax;

import dev.modelc.diagnostics.Diagnostic;
import dev.modelc.diagnostics.Span;
import dev.modelc.grammar.ModelLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's syntax errors into diagnostics written for people. Only the first one is
 * kept: after it the parser resynchronizes by guessing, and its later errors are mostly
 * echoes of the first.
 */
final class SyntaxErrors extends BaseErrorListener {
    private static final int MAX_LISTED = 6;
    private Diagnostic first;

    /** The first syntax error, if there was one. */
    Optional<Diagnostic> first() {
        return Optional.ofNullable(first);
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
                            int charPositionInLine, String msg, RecognitionException e) {
        if (first != null) {
            return;
        }
        if (!(offendingSymbol instanceof Token token)) {
            first = Diagnostic.error(Span.of(line, charPositionInLine + 1, 1), "unreadable text");
            return;
        }
        Span span = token.getType() == Token.EOF ? endOfFile(recognizer, token) : Spans.of(token);
        String found = describe(token);
        if (!(recognizer instanceof Parser parser)) {
            first = Diagnostic.error(span, "unexpected " + found);
            return;
        }
        if (token.getType() == ModelLexer.UNKNOWN_CHAR) {
            first = Diagnostic.error(span, "unexpected character " + found)
                    .withHelp(SyntaxHints.forCharacter(parser.getInputStream(), token));
            return;
        }
        Optional<Token> dangling = SyntaxHints.danglingOperator(parser.getInputStream(), token);
        if (dangling.isPresent()) {
            String operator = dangling.get().getText();
            first = Diagnostic.error(Spans.of(dangling.get()), "`" + operator + "` ends the line, but an operand "
                    + "must follow it").withHelp("finish the expression after `" + operator + "` on this line, or "
                    + "remove the `" + operator + "`");
            return;
        }
        String expected = expected(parser, token);
        String message = "unexpected " + found + (expected.isEmpty() ? "" : "; expected " + expected);
        first = Diagnostic.error(span, message).withHelp(SyntaxHints.forToken(parser, token, expected));
    }

    /** Just after the last token: the file usually ends in an empty line, which would show nothing. */
    private static Span endOfFile(Recognizer<?, ?> recognizer, Token eof) {
        if (recognizer instanceof Parser parser && eof.getTokenIndex() > 0) {
            Span last = Spans.of(parser.getInputStream().get(eof.getTokenIndex() - 1));
            return Span.of(last.endLine(), last.endColumn(), 1);
        }
        return Spans.of(eof);
    }

    private static String describe(Token token) {
        if (token.getType() == Token.EOF) {
            return "end of file";
        }
        String text = token.getText();
        if (token.getType() == ModelLexer.UNKNOWN_CHAR && (SyntaxHints.isInvisible(text.codePointAt(0))
                || SyntaxHints.isMark(text.codePointAt(0)))) {
            return String.format("U+%04X", text.codePointAt(0));
        }
        return "`" + text + "`";
    }

    private static String expected(Parser parser, Token token) {
        IntervalSet set;
        try {
            set = parser.getExpectedTokens();
        } catch (IllegalArgumentException | IllegalStateException ex) {
            return "";
        }
        if (set.contains(ModelLexer.NUMBER) && set.contains(ModelLexer.STRING) && set.contains(ModelLexer.IDENT)) {
            return "an expression";
        }
        Vocabulary vocabulary = parser.getVocabulary();
        boolean name = set.contains(ModelLexer.IDENT);
        boolean declaration = containsAll(set, vocabulary, DECLARATION_KEYWORDS);
        // Where a name may stand, the train keywords are just names: only inside the block are they settings.
        boolean trainSetting = !name && containsAll(set, vocabulary, TRAIN_SETTINGS);
        boolean operator = containsAll(set, vocabulary, OPERATORS);
        List<String> names = new ArrayList<>();
        for (int type : set.toArray()) {
            String literal = literal(vocabulary, type);
            boolean covered = declaration && (type == Token.EOF || isIn(DECLARATION_KEYWORDS, literal))
                    || trainSetting && isIn(TRAIN_SETTINGS, literal)
                    || operator && isIn(OPERATORS, literal)
                    || name && isIn(SOFT_KEYWORDS, literal);
            if (!covered) {
                names.add(tokenName(vocabulary, type));
            }
        }
        if (operator) {
            names.add("an operator");
        }
        if (trainSetting) {
            names.add("a train setting");
        }
        if (declaration) {
            names.remove("a name");
            names.add("a new declaration");
        }
        return names.isEmpty() || names.size() > MAX_LISTED ? "" : inWords(names);
    }

    /** {@code a}, {@code a or b}, {@code a, b or c}. */
    private static String inWords(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static boolean containsAll(IntervalSet set, Vocabulary vocabulary, List<String> literals) {
        int found = 0;
        for (int type : set.toArray()) {
            found += isIn(literals, literal(vocabulary, type)) ? 1 : 0;
        }
        return found == literals.size();
    }

    private static boolean isIn(List<String> literals, String literal) {
        return literal != null && literals.contains(literal);
    }

    /** The keyword or symbol a token type stands for, without quotes; null for names, numbers, strings. */
    private static String literal(Vocabulary vocabulary, int type) {
        String quoted = vocabulary.getLiteralName(type);
        return quoted == null ? null : quoted.substring(1, quoted.length() - 1);
    }

    private static final List<String> DECLARATION_KEYWORDS = List.of("param", "input", "loss", "metric", "output",
            "def", "recompute", "train");

    private static final List<String> TRAIN_SETTINGS = List.of(
            "data", "batch", "optimizer", "schedule", "epochs", "max_steps", "seed", "clip_norm", "stop");

    private static final List<String> OPERATORS = Ast.BinaryOp.symbols();

    /**
     * Words that are keywords only in the train block, a type, a recompute or an output declaration, and names
     * elsewhere.
     */
    private static final List<String> SOFT_KEYWORDS = List.of(
            "data", "batch", "shuffle", "optimizer", "schedule", "epochs",
            "max_steps", "seed", "clip_norm", "stop", "when", "int", "float", "recompute", "output", "def");

    private static String tokenName(Vocabulary vocabulary, int type) {
        if (type == Token.EOF) {
            return "end of file";
        }
        if (type == ModelLexer.IDENT) {
            return "a name";
        }
        if (type == ModelLexer.NUMBER) {
            return "a number";
        }
        if (type == ModelLexer.STRING) {
            return "a string";
        }
        String literal = literal(vocabulary, type);
        return literal != null ? "`" + literal + "`" : vocabulary.getDisplayName(type);
    }
}
