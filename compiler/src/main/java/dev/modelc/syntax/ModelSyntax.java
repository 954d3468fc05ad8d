package dev.modelc.syntax;

import dev.modelc.diagnostics.Diagnostic;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.diagnostics.Span;
import dev.modelc.grammar.ModelLexer;
import dev.modelc.grammar.ModelParser;
import java.util.Optional;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;

/** The parse stage: source text to AST, or syntax diagnostics. */
public final class ModelSyntax {
    /** Deeper nesting than this is refused before the recursive-descent parser sees it. */
    public static final int MAX_NESTING = 200;
    /** More operators than this in one declaration are refused: each one nests the tree a level deeper. */
    public static final int MAX_OPERATORS = 500;
    private static final java.util.Set<String> OPERATORS = java.util.Set.of(
            "+", "-", "*", "/", "@", "^", "<", "<=", ">", ">=", "==", "!=");
    private static final java.util.Set<String> DECLARATION_STARTS = java.util.Set.of(
            "model", "param", "input", "loss", "metric", "train", "{", "}");

    private ModelSyntax() {
    }

    /** Parses the file; on any syntax error, reports it and returns empty. */
    public static Optional<Ast.Program> parse(SourceFile source, Diagnostics diagnostics) {
        ModelLexer lexer = new ModelLexer(CharStreams.fromString(source.text(), source.displayName()));
        SyntaxErrors syntaxErrors = new SyntaxErrors();
        lexer.removeErrorListeners();
        lexer.addErrorListener(syntaxErrors);
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        if (!nestingWithinLimit(tokens, diagnostics)) {
            return Optional.empty();
        }
        ModelParser parser = new ModelParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(syntaxErrors);
        ModelParser.ProgramContext tree = parser.program();
        Optional<Diagnostic> syntaxError = earliest(syntaxErrors.first(), Delimiters.firstProblem(tokens.getTokens()));
        if (syntaxError.isPresent()) {
            diagnostics.add(syntaxError.get());
            return Optional.empty();
        }
        for (ModelParser.TrainDeclContext extra : AstBuilder.extraTrainBlocks(tree)) {
            diagnostics.error(Spans.of(extra.getStart()), "a model has one train block; this is a second one",
                    "move these settings into the train block above");
        }
        if (diagnostics.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new AstBuilder().program(tree));
    }

    /**
     * An unbalanced bracket usually makes the parser fail somewhere after it, so the bracket is
     * the better report, unless the parser failed before reaching it.
     */
    private static Optional<Diagnostic> earliest(Optional<Diagnostic> parserError, Optional<Diagnostic> bracketError) {
        if (parserError.isEmpty() || bracketError.isEmpty()) {
            return parserError.isPresent() ? parserError : bracketError;
        }
        Span parser = parserError.get().span();
        Span bracket = bracketError.get().span();
        boolean parserFirst = parser.line() < bracket.line()
                || (parser.line() == bracket.line() && parser.column() < bracket.column());
        return parserFirst ? parserError : bracketError;
    }

    /**
     * Counts how deeply expressions nest (parentheses and unary minus signs in a row) and how
     * many operators one declaration chains, and refuses the file beyond {@link #MAX_NESTING}
     * or {@link #MAX_OPERATORS}, so that neither the parser nor any later recursive pass can
     * overflow the stack.
     */
    private static boolean nestingWithinLimit(CommonTokenStream tokens, Diagnostics diagnostics) {
        int depth = 0;
        int prefixRun = 0;
        int operators = 0;
        int previousType = Token.INVALID_TYPE;
        for (Token token : tokens.getTokens()) {
            String text = token.getText();
            if ("(".equals(text)) {
                depth++;
            } else if (")".equals(text)) {
                depth = Math.max(0, depth - 1);
            }
            if (DECLARATION_STARTS.contains(text) || (depth == 0 && "=".equals(text))) {
                operators = 0;
            } else if (OPERATORS.contains(text) && ++operators > MAX_OPERATORS) {
                diagnostics.error(Span.of(token.getLine(), token.getCharPositionInLine() + 1, text.length()),
                        "expression too long (more than " + MAX_OPERATORS + " operators in one declaration)",
                        "split it into named definitions, `h = ...`");
                return false;
            }
            boolean prefix = "-".equals(text) && !endsOperand(previousType, tokens, token);
            prefixRun = prefix ? prefixRun + 1 : 0;
            if (depth + prefixRun > MAX_NESTING) {
                diagnostics.error(Span.of(token.getLine(), token.getCharPositionInLine() + 1, 1),
                        "expression nested too deeply (more than " + MAX_NESTING + " levels)",
                        "split it into named definitions, `h = ...`");
                return false;
            }
            previousType = token.getType();
        }
        return true;
    }

    private static boolean endsOperand(int previousType, CommonTokenStream tokens, Token token) {
        if (previousType == ModelLexer.NUMBER || previousType == ModelLexer.IDENT || previousType == ModelLexer.STRING) {
            return true;
        }
        int index = token.getTokenIndex() - 1;
        return index >= 0 && ")".equals(tokens.get(index).getText());
    }
}
