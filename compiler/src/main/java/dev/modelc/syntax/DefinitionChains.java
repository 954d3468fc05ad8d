package dev.modelc.syntax;

import dev.modelc.diagnostics.Diagnostic;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Token;

/**
 * Refuses chains of definitions that build on one another ({@code h2 = f(h1)}, {@code h3 = f(h2)},
 * ...) more than {@link ModelSyntax#MAX_DEFINITION_CHAIN} deep. Each link deepens the graph that
 * every later stage walks and lengthens the generated methods; a limit checked before any of them
 * runs gives a diagnostic naming the definition instead of a compile that takes minutes or a class
 * javac cannot hold. It reads tokens as the lexer makes them: a chain long enough to be refused is
 * long enough for lexing and parsing all of it to take longer than refusing it should.
 *
 * <p>A definition is {@code name = ...} outside brackets; its value runs to the next declaration.
 * A name counts once it is declared, as the checker resolves it, and the first declaration of a
 * name is the one that counts; a name used before its declaration adds nothing here and is
 * reported by the checker.
 */
final class DefinitionChains {
    private static final int MAX_CHAIN = ModelSyntax.MAX_DEFINITION_CHAIN;
    /** Words that start a declaration and can never be a name. */
    private static final Set<String> KEYWORDS = Set.of("model", "param", "input", "loss", "metric", "train");
    private static final Pattern NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*");

    private final Map<String, Integer> depths = new HashMap<>();
    /** The name of the definition whose value is being read, or null. */
    private Token defining;
    /** One more than the deepest declared name its value uses so far. */
    private int depth;
    private int brackets;
    private boolean inTrainBlock;
    private String previous = "";

    /** Takes the next token, seeing the one after it; the first definition too deep, once its value is read. */
    Optional<Diagnostic> next(Token token, Token following) {
        String text = token.getText();
        String before = previous;
        previous = text;
        brackets = Math.max(0, brackets + ("(".equals(text) || "[".equals(text) ? 1 : 0)
                - (")".equals(text) || "]".equals(text) ? 1 : 0));
        if (inTrainBlock) {
            inTrainBlock = !"}".equals(text);
            return Optional.empty();
        }
        boolean definition = brackets == 0 && "=".equals(following.getText()) && NAME.matcher(text).matches()
                && !KEYWORDS.contains(text);
        // `output probs = ...` declares `probs`; `output = ...` defines a value named `output`.
        boolean output = "output".equals(text) && NAME.matcher(following.getText()).matches();
        // `def f(a) = ...` declares a function, whose body a chain does not pass through.
        boolean function = "def".equals(text) && NAME.matcher(following.getText()).matches();
        boolean keyword = KEYWORDS.contains(text) || "recompute".equals(text) || output || function;
        if (!definition && !(brackets == 0 && keyword)) {
            Integer used = defining == null ? null : depths.get(text);
            depth = used == null ? depth : Math.max(depth, used + 1);
            return Optional.empty();
        }
        Optional<Diagnostic> tooDeep = end();
        inTrainBlock = "train".equals(text);
        if (("param".equals(text) || "input".equals(text)) && NAME.matcher(following.getText()).matches()) {
            depths.putIfAbsent(following.getText(), 0);
        } else if (definition && !"param".equals(before)) {
            defining = token;
            depth = 1;
        }
        return tooDeep;
    }

    /** Ends the definition being read, if any: a diagnostic when it is too deep. */
    Optional<Diagnostic> end() {
        Token ended = defining;
        defining = null;
        if (ended == null) {
            return Optional.empty();
        }
        depths.putIfAbsent(ended.getText(), depth);
        if (depth <= MAX_CHAIN) {
            return Optional.empty();
        }
        return Optional.of(Diagnostic.error(Spans.of(ended), "`" + ended.getText() + "` makes a chain of " + depth
                        + " definitions, each using the one before (the most is " + MAX_CHAIN + ")")
                .withHelp("fold some of the steps into one definition, or compute fewer steps"));
    }
}
