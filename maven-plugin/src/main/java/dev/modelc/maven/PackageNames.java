package dev.modelc.maven;

import dev.modelc.ModelCompiler;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.SourceVersion;

/** Derives the Java package of a generated class from where its model sits, or from the configuration. */
final class PackageNames {
    private PackageNames() {
    }

    /**
     * The package for a model in {@code relativeFolder} (slash-separated, "" for the source folder itself):
     * {@code configured} when given, else the folder path with dots; then {@code subpackage} appended.
     *
     * @throws IllegalArgumentException when a name is not a Java package name; the message says how to fix it
     */
    static String packageFor(String relativeFolder, String configured, String subpackage) {
        List<String> segments = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            requireName(configured.trim(), "<packageName> `" + configured.trim() + "`",
                    "use a dotted Java name such as `com.example.models`");
            segments.add(configured.trim());
        } else if (!relativeFolder.isEmpty()) {
            for (String folder : relativeFolder.split("/")) {
                requireName(folder, "folder `" + relativeFolder + "`",
                        "rename the folder, or set <packageName> to choose the package");
                segments.add(folder);
            }
        }
        if (subpackage != null && !subpackage.isBlank()) {
            requireName(subpackage.trim(), "subpackage `" + subpackage.trim() + "`", "use a Java identifier");
            segments.add(subpackage.trim());
        }
        String name = String.join(".", segments);
        ModelCompiler.Options.packageProblem(name).ifPresent(problem -> {
            throw new IllegalArgumentException("package " + problem
                    + (configured == null || configured.isBlank() ? "; set <packageName> to choose the package" : ""));
        });
        return name;
    }

    private static void requireName(String name, String what, String help) {
        if (!SourceVersion.isName(name, SourceVersion.RELEASE_17)) {
            throw new IllegalArgumentException(what + " cannot be a Java package: `" + name
                    + "` is not a Java name (letters, digits, `_`, `$`; no keywords); " + help);
        }
    }
}
