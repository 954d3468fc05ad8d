package dev.modelc.testing.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class PropertyTest {
    private static final Gen<Integer> SMALL = Gen.integers(0, 1000);

    @Test
    void theSameSeedTriesTheSameCases() {
        Property<Integer> property = Property.forAll("any", SMALL).tries(200).seed(99);
        List<Integer> seen = new ArrayList<>();
        property.check(seen::add);
        assertEquals(property.cases(), seen);
        assertEquals(seen, Property.forAll("any", SMALL).tries(200).seed(99).cases());
        assertNotEquals(seen, Property.forAll("any", SMALL).tries(200).seed(100).cases());
    }

    @Test
    void aCaseDoesNotDependOnTheNumberOfTries() {
        List<Integer> few = Property.forAll("any", SMALL).tries(10).seed(5).cases();
        List<Integer> many = Property.forAll("any", SMALL).tries(100).seed(5).cases();
        assertEquals(few, many.subList(0, 10));
    }

    @Test
    void aFailingPropertyFailsWithTheSeedTheTryAndBothCases() {
        Property<Integer> property = Property.forAll("below 37", SMALL).tries(100).seed(1234);
        int firstFailing = property.cases().stream().filter(v -> v >= 37).findFirst().orElseThrow();
        int tryNumber = property.cases().indexOf(firstFailing) + 1;
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> property.check(v -> assertTrue(v < 37, v + " is too big")));
        String message = error.getMessage();
        assertTrue(message.startsWith("property \"below 37\" failed on try " + tryNumber + " of 100 with seed 1234\n"),
                message);
        assertTrue(message.contains("original case:\n    " + firstFailing + "\n"), message);
        assertTrue(message.contains("candidates tried):\n    37\n  fails with: AssertionFailedError: 37 is too big"),
                message);
        assertTrue(message.contains("-Dmodelc.seed=1234"), message);
        assertTrue(message.contains("-Dtest=PropertyTest#aFailingPropertyFailsWithTheSeedTheTryAndBothCases"),
                message);
    }

    @Test
    void searchReturnsTheShrunkCaseInsteadOfFailing() {
        Property<Integer> property = Property.forAll("below 37", SMALL).tries(100).seed(1234);
        int firstFailing = property.cases().stream().filter(v -> v >= 37).findFirst().orElseThrow();
        int tryIndex = property.cases().indexOf(firstFailing);
        Property.Search<Integer> search = property.search(v -> assertTrue(v < 37));
        Property.Counterexample<Integer> found = search.counterexample().orElseThrow();
        assertEquals(firstFailing, found.original());
        assertEquals(37, found.shrunk());
        assertEquals(tryIndex, found.tryIndex());
        assertEquals(1234, found.seed());
        assertTrue(found.shrunkFailure() instanceof AssertionFailedError);
        assertEquals(tryIndex + 1, search.report().tries(), "counts the cases up to the failing one");
        Property.Search<Integer> passing = property.search(v -> { });
        assertTrue(passing.counterexample().isEmpty());
        assertEquals(100, passing.report().checked());
    }

    @Test
    void aPredicateThatReturnsFalseFails() {
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> Property.forAll("below 500", SMALL).seed(8).holds(v -> v < 500));
        assertTrue(error.getMessage().contains("candidates tried):\n    500\n"), error.getMessage());
    }

    @Test
    void anyExceptionIsAFailureAndIsShrunkToo() {
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> Property.check("no overflow", SMALL, 100, 3, v -> depth(v)));
        assertTrue(error.getMessage().contains("candidates tried):\n    500\n  fails with: IllegalStateException"),
                error.getMessage());
        assertTrue(error.getCause() instanceof IllegalStateException);
    }

    @Test
    void discardedCasesAreCountedAndNeitherPassNorFail() {
        Property.Report report = Property.forAll("odd only", SMALL).tries(400).seed(17).minCheckedFraction(0)
                .check(v -> {
                    Property.assume(v % 2 == 1, "even");
                    assertTrue(v % 2 == 1);
                });
        assertEquals(400, report.tries());
        assertEquals(400, report.checked() + report.discarded());
        assertTrue(report.discarded() > 150 && report.discarded() < 250, report.toString());
        assertEquals(report.discarded(), report.discardReasons().get("even"));
    }

    @Test
    void tooManyDiscardsFailTheRun() {
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> Property.forAll("mostly discarded", SMALL).tries(100).seed(1).minCheckedFraction(0.9)
                        .check(v -> Property.assume(v < 500, "big")));
        assertTrue(error.getMessage().contains("fewer than 90.0% of the cases were checked"), error.getMessage());
    }

    @Test
    void systemPropertiesReplaceTheSeedAndTheTries() {
        Property<Integer> property = Property.forAll("any", SMALL).tries(10).seed(1);
        System.setProperty(Property.SEED_PROPERTY, "77");
        System.setProperty(Property.TRIES_PROPERTY, "25");
        try {
            assertEquals(77, property.effectiveSeed());
            Property.Report report = property.check(v -> { });
            assertEquals(25, report.tries());
            assertEquals(77, report.seed());
            assertEquals(Property.forAll("any", SMALL).tries(25).seed(77).cases(), property.cases());
        } finally {
            System.clearProperty(Property.SEED_PROPERTY);
            System.clearProperty(Property.TRIES_PROPERTY);
        }
        assertEquals(10, property.cases().size());
    }

    private static void depth(int v) {
        if (v >= 500) {
            throw new IllegalStateException("too deep at " + v);
        }
    }
}
