package dev.modelc.codegen;

import dev.modelc.runtime.Printable;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.lang.model.SourceVersion;

/**
 * Which packages a generated class may be put in: a dotted Java name, written with visible
 * characters only, in no package of the JDK (whose modules own theirs: a class in
 * {@code javax.crypto} is refused by javac, one in {@code sun.misc} by the class loader) and in
 * none of modelc's own (a model named {@code Trainer} in {@code dev.modelc.runtime} would be
 * shadowed by the runtime's class).
 */
public final class JavaPackages {
    /** The packages modelc's own modules define; {@code JavaPackagesTest} keeps the list whole. */
    public static final Set<String> MODELC = Set.of("dev.modelc", "dev.modelc.autodiff", "dev.modelc.bench",
            "dev.modelc.check", "dev.modelc.cli", "dev.modelc.codegen", "dev.modelc.diagnostics",
            "dev.modelc.grammar", "dev.modelc.graph", "dev.modelc.maven", "dev.modelc.plan", "dev.modelc.report",
            "dev.modelc.rewrite", "dev.modelc.runtime", "dev.modelc.runtime.checkpoint", "dev.modelc.runtime.data",
            "dev.modelc.runtime.plot", "dev.modelc.runtime.training", "dev.modelc.spark", "dev.modelc.spark.cli",
            "dev.modelc.syntax", "dev.modelc.testing",
            "dev.modelc.testing.property");

    private JavaPackages() {
    }

    /** Why {@code name} cannot be the package of a generated class, or empty when it can ("" is the default package). */
    public static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String shown = "`" + Printable.escape(name) + "`";
        if (!name.codePoints().allMatch(c -> Printable.isShown(c) && !Character.isIdentifierIgnorable(c))) {
            return Optional.of(shown + " holds a character that does not show (a control, formatting or "
                    + "direction character); write the package with visible letters, digits, `_` and `$`");
        }
        if (!SourceVersion.isName(name, SourceVersion.RELEASE_17)) {
            return Optional.of(shown + " is not a Java package name: dotted names of letters, "
                    + "digits, `_` and `$`, none of them a Java keyword");
        }
        if (name.equals("java") || name.startsWith("java.")) {
            return Optional.of(shown + " is the JDK's own package; choose another");
        }
        String module = JdkPackages.OWNERS.get(name);
        if (module != null) {
            return Optional.of(shown + " is a package of the JDK's module " + module + "; choose another");
        }
        if (MODELC.contains(name)) {
            return Optional.of(shown + " is one of modelc's own packages, whose classes a generated class could "
                    + "collide with; choose another");
        }
        return Optional.empty();
    }

    /** Every package of the JDK this runs on, with the module that has it; read once, when first needed. */
    private static final class JdkPackages {
        static final Map<String, String> OWNERS = read();

        private static Map<String, String> read() {
            Map<String, String> owners = new TreeMap<>();
            for (var reference : ModuleFinder.ofSystem().findAll()) {
                ModuleDescriptor descriptor = reference.descriptor();
                descriptor.packages().forEach(p -> owners.putIfAbsent(p, descriptor.name()));
            }
            return owners;
        }
    }
}
