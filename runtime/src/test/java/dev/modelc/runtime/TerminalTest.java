package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The progress bar is for a person at a terminal. From JDK 22 on the JVM has a console even when
 * the output is piped, and only {@code Console.isTerminal()} tells; before, a console exists only
 * at a terminal. Consoles of both kinds are stood in for here by objects with and without the method.
 */
class TerminalTest {
    /** A console as JDK 22 and later have one: it says whether it is a terminal. */
    static final class ModernConsole {
        private final boolean terminal;

        ModernConsole(boolean terminal) {
            this.terminal = terminal;
        }

        public boolean isTerminal() {
            return terminal;
        }
    }

    /** A console as JDK 17 to 21 have one: only at a terminal, with no method to ask. */
    static final class OlderConsole {
    }

    /** A console whose answer cannot be had. */
    static final class BrokenConsole {
        public boolean isTerminal() {
            throw new IllegalStateException("no answer");
        }
    }

    @Test
    void noConsoleIsNoTerminal() {
        assertFalse(ProgressBar.isTerminal(null));
    }

    @Test
    void aConsoleThatSaysItIsNotATerminalIsNot() {
        assertFalse(ProgressBar.isTerminal(new ModernConsole(false)));
        assertTrue(ProgressBar.isTerminal(new ModernConsole(true)));
    }

    @Test
    void aConsoleWithoutTheQuestionIsATerminalAsBeforeJdk22() {
        assertTrue(ProgressBar.isTerminal(new OlderConsole()));
    }

    @Test
    void aConsoleThatCannotAnswerIsTakenForNone() {
        assertFalse(ProgressBar.isTerminal(new BrokenConsole()));
    }

    @Test
    void thisJvmsConsoleWithTheTestsOutputCapturedIsNoTerminal() {
        // Surefire's forked JVM writes to a pipe: on any JDK, no terminal.
        assertFalse(ProgressBar.onTerminal());
    }
}
