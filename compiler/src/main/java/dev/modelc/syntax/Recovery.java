package dev.modelc.syntax;

import dev.modelc.diagnostics.Span;
import dev.modelc.grammar.ModelLexer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * Where to go on after a syntax error: the declaration that holds it is set aside, from its
 * first token to the next declaration's, so that the rest of the file can still be parsed and
 * checked. A declaration starts at a declaration keyword, or at {@code name =} opening a line
 * outside brackets and the train block. The names of declarations set aside are kept, so that
 * their uses are not reported again as unknown.
 */
final class Recovery {
    private static final Set<String> KEYWORDS = Set.of("param", "input", "loss", "metric", "output", "def",
            "recompute", "train");

    private final Set<String> unreadableNames = new LinkedHashSet<>();
    private boolean lossUnreadable;

    /** Names of the declarations set aside so far. */
    Set<String> unreadableNames() {
        return unreadableNames;
    }

    /** Whether a declaration set aside was the loss. */
    boolean lossUnreadable() {
        return lossUnreadable;
    }

    /**
     * The tokens without the declaration that holds the error at {@code where}, or null when
     * the error is in the model's header, before any declaration to skip.
     */
    List<Token> without(List<Token> tokens, Span where) {
        if (!tokens.get(0).getText().equals("model")) {
            return null;
        }
        int error = tokenAt(tokens, where);
        int start = -1;
        int next = tokens.size() - 1;
        for (int s : declarationStarts(tokens)) {
            if (s <= error) {
                start = s;
            } else if (tokens.get(s).getLine() > tokens.get(error).getLine()) {
                // The rest of the error's line goes too: after a `#`, it is a comment.
                next = s;
                break;
            }
        }
        if (start < 0 || start >= next) {
            return null;
        }
        remember(tokens, start);
        List<Token> rest = new ArrayList<>(tokens.subList(0, start));
        rest.addAll(tokens.subList(next, tokens.size()));
        return rest;
    }

    /**
     * The name a declaration set aside would have declared. One that starts with a bare word
     * (a misspelled keyword, as in {@code los J = ...}) may have been the loss.
     */
    private void remember(List<Token> tokens, int start) {
        String first = tokens.get(start).getText();
        int nameAt = -1;
        if (KEYWORDS.contains(first)) {
            nameAt = first.equals("recompute") || first.equals("train") ? -1 : start + 1;
            lossUnreadable |= first.equals("loss");
        } else if (tokens.get(start + 1).getText().equals("=")) {
            nameAt = start;
        } else {
            lossUnreadable = true;
            boolean named = tokens.get(start + 1).getType() == ModelLexer.IDENT && start + 2 < tokens.size()
                    && tokens.get(start + 2).getText().equals("=");
            nameAt = named ? start + 1 : -1;
        }
        if (nameAt >= 0 && nameAt < tokens.size() && tokens.get(nameAt).getType() != Token.EOF) {
            unreadableNames.add(tokens.get(nameAt).getText());
        }
    }

    /** The last token that starts at or before {@code where}. */
    private static int tokenAt(List<Token> tokens, Span where) {
        int found = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.getLine() > where.line()
                    || token.getLine() == where.line() && token.getCharPositionInLine() + 1 > where.column()) {
                break;
            }
            found = i;
        }
        return found;
    }

    /**
     * Where declarations start: a keyword opening a line or following a complete expression
     * (not where a name goes, and not inside the train block), {@code name =} opening a line, or
     * a word opening a line after a complete expression.
     */
    private static List<Integer> declarationStarts(List<Token> tokens) {
        List<Integer> starts = new ArrayList<>();
        int depth = 0;
        boolean inTrain = false;
        for (int i = 0; i < tokens.size() - 1; i++) {
            Token token = tokens.get(i);
            String text = token.getText();
            boolean asName = i > 0 && KEYWORDS.contains(tokens.get(i - 1).getText());
            boolean opens = i > 0 && (startsLine(tokens, i) || endsExpression(tokens.get(i - 1)));
            if (KEYWORDS.contains(text) && !asName && opens && !(inTrain && depth > 0)) {
                starts.add(i);
                inTrain = text.equals("train");
                depth = 0;
            } else if (i > 0 && depth == 0 && !inTrain && token.getType() == ModelLexer.IDENT && startsLine(tokens, i)
                    && (tokens.get(i + 1).getText().equals("=") || endsExpression(tokens.get(i - 1)))) {
                starts.add(i);
            }
            depth += "([{".contains(text) && text.length() == 1 ? 1 : 0;
            depth -= ")]}".contains(text) && text.length() == 1 && depth > 0 ? 1 : 0;
            inTrain &= !(text.equals("}") && depth == 0);
        }
        return starts;
    }

    /** A token an expression can end with: then a word opening the next line starts something new. */
    private static boolean endsExpression(Token token) {
        int type = token.getType();
        return type == ModelLexer.IDENT || type == ModelLexer.NUMBER || type == ModelLexer.STRING
                || List.of(")", "]", "}").contains(token.getText());
    }

    private static boolean startsLine(List<Token> tokens, int index) {
        return index == 0 || tokens.get(index - 1).getLine() < tokens.get(index).getLine();
    }
}
