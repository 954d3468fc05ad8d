package dev.modelc.syntax;

import dev.modelc.diagnostics.Diagnostic;
import dev.modelc.diagnostics.Span;
import dev.modelc.grammar.ModelLexer;
import java.util.Optional;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * Counts how deeply expressions nest (parentheses, brackets and unary minus signs in a row) and
 * how many operators one declaration chains, token by token, and refuses the file beyond
 * {@link ModelSyntax#MAX_NESTING} or {@link ModelSyntax#MAX_OPERATORS}, so that neither the
 * parser nor any later recursive pass can overflow the stack.
 */
final class NestingLimits {
    private static final Set<String> OPERATORS = Set.copyOf(Ast.BinaryOp.symbols());
    private static final Set<String> DECLARATION_STARTS = Set.of("model", "param", "input", "loss", "metric",
            "train", "{", "}");

    private int depth;
    private int prefixRun;
    private int operators;
    private int previousType = Token.INVALID_TYPE;
    private String previousText = "";

    /** Takes the next token; a diagnostic at the first one past a limit. */
    Optional<Diagnostic> next(Token token) {
        String text = token.getText();
        if ("(".equals(text) || "[".equals(text)) {
            depth++;
        } else if (")".equals(text) || "]".equals(text)) {
            depth = Math.max(0, depth - 1);
        }
        if (DECLARATION_STARTS.contains(text) || (depth == 0 && "=".equals(text))) {
            operators = 0;
        } else if (OPERATORS.contains(text) && ++operators > ModelSyntax.MAX_OPERATORS) {
            return Optional.of(Diagnostic.error(Span.of(token.getLine(), token.getCharPositionInLine() + 1,
                            text.length()), "expression too long (more than " + ModelSyntax.MAX_OPERATORS
                            + " operators in one declaration)")
                    .withHelp("split it into named definitions, `h = ...`"));
        }
        boolean prefix = "-".equals(text) && !endsOperand();
        prefixRun = prefix ? prefixRun + 1 : 0;
        previousType = token.getType();
        previousText = text;
        if (depth + prefixRun > ModelSyntax.MAX_NESTING) {
            return Optional.of(Diagnostic.error(Span.of(token.getLine(), token.getCharPositionInLine() + 1, 1),
                            "expression nested too deeply (more than " + ModelSyntax.MAX_NESTING + " levels)")
                    .withHelp("split it into named definitions, `h = ...`"));
        }
        return Optional.empty();
    }

    /** Whether the token before ends an operand, so that a minus after it subtracts rather than negates. */
    private boolean endsOperand() {
        return previousType == ModelLexer.NUMBER || previousType == ModelLexer.IDENT
                || previousType == ModelLexer.STRING || ")".equals(previousText);
    }
}
