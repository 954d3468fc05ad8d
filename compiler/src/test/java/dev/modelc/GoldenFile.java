package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expected output kept in a file under {@code src/test/resources/goldens}. Running the tests
 * with {@code -Dmodelc.updateGoldens=true} rewrites every golden from the current output, to
 * be reviewed in the diff before committing.
 */
final class GoldenFile {
    static final String UPDATE_PROPERTY = "modelc.updateGoldens";

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

    static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /** Fails unless {@code golden} holds exactly {@code actual}; rewrites it instead when updating. */
    static void assertMatches(Path golden, String actual) {
        try {
            if (updating()) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(golden)) {
                fail(golden + " does not exist; run the tests with -D" + UPDATE_PROPERTY + "=true to write it");
            }
            assertEquals(read(golden), actual, golden + " differs; if the change is intended, run the tests with -D"
                    + UPDATE_PROPERTY + "=true and review the diff");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden's text, with line ends as the generator writes them whatever the checkout did. */
    static String read(Path golden) throws IOException {
        return Files.readString(golden, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
