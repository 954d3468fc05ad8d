package dev.modelc.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Identifies the compiler that generates the classes, so that a new compiler regenerates them even when no model
 * changed. A snapshot keeps its version string across rebuilds, so the fingerprint is the hash of the compiler's
 * jar (or of its class folder) rather than its version.
 */
final class CompilerFingerprint {
    private CompilerFingerprint() {
    }

    /** The fingerprint of the code that holds {@code compilerClass}. */
    static String of(Class<?> compilerClass) {
        CodeSource code = compilerClass.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            return "unknown";
        }
        try {
            return hash(Path.of(code.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return code.getLocation().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the compiler at " + code.getLocation(), e);
        }
    }

    static String hash(Path location) throws IOException {
        if (Files.isRegularFile(location)) {
            return OutputFiles.sha256(Files.readAllBytes(location));
        }
        MessageDigest digest = OutputFiles.digest();
        for (Path file : filesUnder(location)) {
            digest.update(location.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
            digest.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }
}
