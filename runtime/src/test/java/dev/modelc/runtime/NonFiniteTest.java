package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NonFiniteTest {
    @Test
    void elementsAreNamedByTheirIndexInTheShape() {
        ModelSignature.Param matrix = new ModelSignature.Param("W", List.of(3, 4));
        assertEquals("W[0, 0]", NonFinite.element(matrix, 0));
        assertEquals("W[1, 2]", NonFinite.element(matrix, 6));
        assertEquals("W[2, 3]", NonFinite.element(matrix, 11));
        assertEquals("b", NonFinite.element(new ModelSignature.Param("b", List.of()), 0));
    }

    @Test
    void theDescriptionSaysWhatAndWhen() {
        NonFinite loss = new NonFinite("the loss L", Double.NaN, 3, "log at m.model:4 (h = log(z))");
        assertEquals("the loss L is NaN after 3 updates", loss.describe("update"));
        assertTrue(loss.inLoss());
        NonFinite gradient = new NonFinite("the gradient of w[1]", Double.POSITIVE_INFINITY, 1, null);
        assertEquals("the gradient of w[1] is Infinity in step 1", gradient.describe("step"));
        assertFalse(gradient.inLoss());
        assertEquals("param b is -Infinity after 1 step",
                new NonFinite("param b", Double.NEGATIVE_INFINITY, 1, null).describe("step"));
    }
}
