package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertSame;

import dev.modelc.check.CheckedModel;
import dev.modelc.check.ModelChecker;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.Lowering;
import dev.modelc.graph.Node;
import dev.modelc.syntax.ModelSyntax;
import dev.modelc.testing.property.Property;
import org.junit.jupiter.api.Test;

/**
 * The parser follows the documented precedence: a loss written with only the parentheses the
 * precedence needs lowers to the very same graph node as the loss with every operation in
 * parentheses (nodes are hash-consed, so equal graphs are one object).
 */
class PrecedencePropertyTest {

    @Test
    void minimalParenthesesMeanTheSameAsFullParentheses() {
        Property.forAll("minimal parentheses parse like full ones", new GradientCaseGen())
                .tries(1000).seed(7L).describedBy(c -> ModelText.minimal(c.loss()) + "\n" + c.loss().text())
                .check(c -> {
                    // A model whose loss uses no parameter is refused, whatever its parentheses.
                    Property.assume(!c.usedParams().isEmpty(), "the loss uses no parameter");
                    assertSame(lowerLoss(c, c.loss().text()), lowerLoss(c, ModelText.minimal(c.loss())),
                            () -> ModelText.minimal(c.loss()));
                });
    }

    private static Node lowerLoss(GradientCase c, String lossText) {
        SourceFile source = new SourceFile("P.model", c.modelText("P", lossText));
        Diagnostics diagnostics = new Diagnostics(source);
        CheckedModel checked = ModelSyntax.parse(source, diagnostics)
                .flatMap(ast -> ModelChecker.check(ast, diagnostics))
                .orElseThrow(() -> new AssertionError(diagnostics.render()));
        return Lowering.lower(checked, source).loss().node();
    }
}
