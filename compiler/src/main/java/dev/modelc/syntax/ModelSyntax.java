package dev.modelc.syntax;

import dev.modelc.diagnostics.Diagnostic;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.diagnostics.Span;
import dev.modelc.grammar.ModelLexer;
import dev.modelc.grammar.ModelParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;

/** The parse stage: source text to AST, or syntax diagnostics. */
public final class ModelSyntax {
    /** Deeper nesting than this is refused before the recursive-descent parser sees it. */
    public static final int MAX_NESTING = 200;
    /** More operators than this in one declaration are refused: each one nests the tree a level deeper. */
    public static final int MAX_OPERATORS = 500;
    /** The longest chain of definitions each using the one before, {@code h2 = f(h1)}, {@code h3 = f(h2)}. */
    public static final int MAX_DEFINITION_CHAIN = 1000;
    /** After this many syntax errors the rest of the file is not read. */
    private static final int MAX_SYNTAX_ERRORS = 50;

    private ModelSyntax() {
    }

    /**
     * What parsing found: the program, without any declaration that has a syntax error (empty
     * when not even the header could be read), and the names of those declarations.
     */
    public record Parsed(Optional<Ast.Program> program, Set<String> unreadableNames, boolean lossUnreadable) {
    }

    /** Parses the file; on any syntax error, reports it and returns empty. */
    public static Optional<Ast.Program> parse(SourceFile source, Diagnostics diagnostics) {
        Parsed parsed = parseRecovering(source, diagnostics);
        return diagnostics.hasErrors() ? Optional.empty() : parsed.program();
    }

    /**
     * Parses the file, reporting every syntax error it can: after each, the declaration that
     * holds it is set aside and the rest parsed again, so later declarations are still read.
     */
    public static Parsed parseRecovering(SourceFile source, Diagnostics diagnostics) {
        ModelLexer lexer = new ModelLexer(CharStreams.fromString(source.text(), source.displayName()));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new SyntaxErrors());
        Optional<List<Token>> lexed = lexWithinLimits(lexer, diagnostics);
        if (lexed.isEmpty()) {
            return new Parsed(Optional.empty(), Set.of(), false);
        }
        Recovery recovery = new Recovery();
        List<Token> tokens = lexed.get();
        for (int errors = 0; errors < MAX_SYNTAX_ERRORS; errors++) {
            SyntaxErrors syntaxErrors = new SyntaxErrors();
            ModelParser.ProgramContext tree = parse(tokens, syntaxErrors);
            Optional<Diagnostic> syntaxError = earliest(syntaxErrors.first(), Delimiters.firstProblem(tokens));
            if (syntaxError.isEmpty()) {
                return new Parsed(build(tree, diagnostics), recovery.unreadableNames(), recovery.lossUnreadable());
            }
            diagnostics.add(syntaxError.get());
            tokens = recovery.without(tokens, syntaxError.get().span());
            if (tokens == null) {
                break;
            }
        }
        return new Parsed(Optional.empty(), recovery.unreadableNames(), recovery.lossUnreadable());
    }

    private static ModelParser.ProgramContext parse(List<Token> tokens, SyntaxErrors syntaxErrors) {
        CommonTokenStream stream = new CommonTokenStream(new ListTokenSource(tokens));
        // Every token at hand, so that a hint can look past the one the parser stopped at.
        stream.fill();
        ModelParser parser = new ModelParser(stream);
        parser.removeErrorListeners();
        parser.addErrorListener(syntaxErrors);
        return parser.program();
    }

    private static Optional<Ast.Program> build(ModelParser.ProgramContext tree, Diagnostics diagnostics) {
        List<ModelParser.TrainDeclContext> extras = AstBuilder.extraTrainBlocks(tree);
        for (ModelParser.TrainDeclContext extra : extras) {
            diagnostics.error(Spans.of(extra.getStart()), "a model has one train block; this is a second one",
                    "move these settings into the train block above");
        }
        return extras.isEmpty() ? Optional.of(new AstBuilder().program(tree)) : Optional.empty();
    }

    /**
     * Every token of the file, checked against the limits on nesting, operators and chains of
     * definitions as the lexer makes them: a file past a limit is refused as soon as the lexer
     * reaches the place, however long the rest of it.
     */
    private static Optional<List<Token>> lexWithinLimits(ModelLexer lexer, Diagnostics diagnostics) {
        List<Token> tokens = new ArrayList<>();
        NestingLimits nesting = new NestingLimits();
        DefinitionChains chains = new DefinitionChains();
        Token token = lexer.nextToken();
        while (true) {
            tokens.add(token);
            boolean last = token.getType() == Token.EOF;
            Token following = last ? token : lexer.nextToken();
            Optional<Diagnostic> problem = nesting.next(token);
            if (problem.isEmpty()) {
                problem = last ? chains.end() : chains.next(token, following);
            }
            if (problem.isPresent()) {
                diagnostics.add(problem.get());
                return Optional.empty();
            }
            if (last) {
                return Optional.of(tokens);
            }
            token = following;
        }
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
}
