package dev.modelc.syntax;

import dev.modelc.diagnostics.Diagnostic;
import dev.modelc.diagnostics.Span;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;

/**
 * Finds a bracket that is never closed or never opened. The parser notices such a mistake only
 * where it runs out of text, often lines later; this points at the bracket itself.
 */
final class Delimiters {
    private static final String OPENERS = "([{";
    private static final String CLOSERS = ")]}";

    private Delimiters() {
    }

    /** The first unbalanced bracket, if any. */
    static Optional<Diagnostic> firstProblem(List<Token> tokens) {
        Deque<Token> open = new ArrayDeque<>();
        for (Token token : tokens) {
            int kind = kind(token, OPENERS);
            if (kind >= 0) {
                open.push(token);
                continue;
            }
            kind = kind(token, CLOSERS);
            if (kind < 0) {
                continue;
            }
            if (open.isEmpty()) {
                return Optional.of(Diagnostic.error(Spans.of(token),
                        "`" + token.getText() + "` has no matching `" + OPENERS.charAt(kind) + "`")
                        .withHelp("remove it, or add the `" + OPENERS.charAt(kind) + "` it should close"));
            }
            Token opener = open.pop();
            if (kind(opener, OPENERS) != kind) {
                return Optional.of(unclosed(opener, "before the `" + token.getText() + "` on line "
                        + token.getLine()));
            }
        }
        return open.isEmpty() ? Optional.empty() : Optional.of(unclosed(open.peek(), "where it should end"));
    }

    private static Diagnostic unclosed(Token opener, String where) {
        char closer = CLOSERS.charAt(kind(opener, OPENERS));
        Span span = Spans.of(opener);
        return Diagnostic.error(span, "`" + opener.getText() + "` is never closed")
                .withHelp("add the matching `" + closer + "` " + where);
    }

    /** The bracket's index in {@code brackets}, or -1 when the token is not one of them. */
    private static int kind(Token token, String brackets) {
        String text = token.getText();
        return token.getType() != Token.EOF && text.length() == 1 ? brackets.indexOf(text.charAt(0)) : -1;
    }
}
