package dev.modelc.syntax;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Span;
import dev.modelc.grammar.ModelLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's syntax errors into diagnostics written for people. Only the first one is
 * reported: after it the parser resynchronizes by guessing, and its later errors are mostly
 * echoes of the first.
 */
final class SyntaxErrors extends BaseErrorListener {
    private static final int MAX_LISTED = 6;
    private final Diagnostics diagnostics;
    private boolean reported;

    SyntaxErrors(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
                            int charPositionInLine, String msg, RecognitionException e) {
        if (reported) {
            return;
        }
        reported = true;
        if (!(offendingSymbol instanceof Token token)) {
            diagnostics.error(Span.of(line, charPositionInLine + 1, 1), "unreadable text");
            return;
        }
        Span span = token.getType() == Token.EOF ? endOfFile(recognizer, token) : Spans.of(token);
        String found = describe(token);
        if (token.getType() == ModelLexer.UNKNOWN_CHAR) {
            diagnostics.error(span, "unexpected character " + found);
            return;
        }
        String expected = recognizer instanceof Parser parser ? expected(parser, token) : "";
        String message = "unexpected " + found;
        if (!expected.isEmpty()) {
            message += "; expected " + expected;
        }
        diagnostics.error(span, message);
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
        if (token.getType() == ModelLexer.UNKNOWN_CHAR && text.codePointAt(0) < 0x20) {
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
        List<String> names = new ArrayList<>();
        boolean sawName = false;
        for (int type : set.toArray()) {
            if (type == ModelLexer.IDENT || isSoftKeyword(vocabulary, type)) {
                if (!sawName) {
                    names.add("a name");
                    sawName = true;
                }
                continue;
            }
            names.add(tokenName(vocabulary, type));
        }
        if (names.isEmpty() || names.size() > MAX_LISTED) {
            return "";
        }
        return names.size() == 1 ? names.get(0) : "one of " + String.join(", ", names);
    }

    private static boolean isSoftKeyword(Vocabulary vocabulary, int type) {
        String literal = vocabulary.getLiteralName(type);
        return literal != null && SOFT_KEYWORDS.contains(literal);
    }

    private static final List<String> SOFT_KEYWORDS = List.of(
            "'data'", "'batch'", "'shuffle'", "'optimizer'", "'schedule'", "'epochs'",
            "'max_steps'", "'seed'", "'stop'", "'when'", "'int'", "'float'");

    private static String tokenName(Vocabulary vocabulary, int type) {
        if (type == Token.EOF) {
            return "end of file";
        }
        if (type == ModelLexer.NUMBER) {
            return "a number";
        }
        if (type == ModelLexer.STRING) {
            return "a string";
        }
        String literal = vocabulary.getLiteralName(type);
        if (literal != null) {
            return "`" + literal.substring(1, literal.length() - 1) + "`";
        }
        return vocabulary.getDisplayName(type);
    }
}
