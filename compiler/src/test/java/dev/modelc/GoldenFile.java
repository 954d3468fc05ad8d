package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Expected output kept in a file under {@code src/test/resources/goldens} (or next to a bad
 * model). Running the tests with {@code -Dmodelc.updateGoldens=true} rewrites every golden that
 * differs from the current output; each rewritten golden fails its test, and every class of
 * golden tests fails at its end ({@link UpdateRun}), so an update run is never green: review the
 * diff, then run again without the flag. Under {@code CI=true} the flag is refused.
 */
public final class GoldenFile {
    public static final String UPDATE_PROPERTY = "modelc.updateGoldens";

    /** What a run does with goldens. */
    public enum Mode {
        /** Compares the output with each golden. */
        COMPARE,
        /** Rewrites each golden that differs from the output, and fails. */
        UPDATE
    }

    /** The goldens this JVM rewrote, in order, for the summary at the end of each class. */
    private static final List<Path> REWRITTEN = new ArrayList<>();

    private GoldenFile() {
    }

    /** The folder of golden files, in the source tree so that updates land there. */
    static Path root() {
        String folder = System.getProperty("modelc.goldens");
        if (folder == null) {
            throw new IllegalStateException("system property modelc.goldens is not set; run the tests with Maven");
        }
        return Path.of(folder);
    }

    /** The mode this run asks for; refuses the update flag under {@code CI=true}. */
    public static Mode mode() {
        return mode(System.getProperty(UPDATE_PROPERTY), System.getenv("CI"));
    }

    /** The mode for the update flag's value and the {@code CI} variable's, either possibly null. */
    static Mode mode(String updateFlag, String ci) {
        if (!Boolean.parseBoolean(updateFlag)) {
            return Mode.COMPARE;
        }
        if ("true".equals(ci)) {
            throw new IllegalStateException("-D" + UPDATE_PROPERTY + "=true is refused under CI=true: CI compares"
                    + " goldens with the output and never rewrites them");
        }
        return Mode.UPDATE;
    }

    public static boolean updating() {
        return mode() == Mode.UPDATE;
    }

    /** Fails unless {@code golden} holds exactly {@code actual}; when updating, rewrites it and fails if it changed. */
    public static void assertMatches(Path golden, String actual) {
        assertMatches(golden, actual, mode());
    }

    static void assertMatches(Path golden, String actual, Mode mode) {
        try {
            boolean exists = Files.exists(golden);
            if (mode == Mode.UPDATE) {
                if (!exists || !read(golden).equals(actual)) {
                    Files.createDirectories(golden.getParent());
                    Files.writeString(golden, actual, StandardCharsets.UTF_8);
                    synchronized (REWRITTEN) {
                        REWRITTEN.add(golden);
                    }
                    fail(golden + " rewritten: review the diff and rerun without -D" + UPDATE_PROPERTY);
                }
                return;
            }
            if (!exists) {
                fail(golden + " does not exist; run the tests with -D" + UPDATE_PROPERTY + "=true to write it");
            }
            assertEquals(read(golden), actual, golden + " differs; if the change is intended, run the tests with -D"
                    + UPDATE_PROPERTY + "=true and review the diff");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden's text, with line ends as the generator writes them whatever the checkout did. */
    public static String read(Path golden) throws IOException {
        return Files.readString(golden, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    /** How an update run ends: never green, with what it rewrote. */
    static String updateSummary(List<Path> rewritten) {
        return rewritten.isEmpty()
                ? "-D" + UPDATE_PROPERTY + "=true: no golden differed; rerun without the flag"
                : "-D" + UPDATE_PROPERTY + "=true rewrote " + rewritten.size() + " golden(s): review the diff and"
                        + " rerun without the flag; " + rewritten;
    }

    /** Ends every class of golden tests with a failure when the goldens were being rewritten. */
    public static final class UpdateRun implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) {
            if (mode() == Mode.UPDATE) {
                synchronized (REWRITTEN) {
                    fail(updateSummary(List.copyOf(REWRITTEN)));
                }
            }
        }
    }
}
