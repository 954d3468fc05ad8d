package dev.modelc;

import dev.modelc.codegen.InMemoryCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.TrainableModel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generated classes of many gradient cases. Running javac once per model would take most
 * of the test's time, so {@link #compileAll} runs it once for hundreds of models; a case not
 * compiled ahead, such as a shrink candidate, is compiled on its own when first asked for.
 */
final class CompiledModels {
    private static final int BATCH = 1000;

    /** A case's generated class, or why there is none. */
    private record Compiled(Class<?> type, RuntimeException failure) {
    }

    private final Map<GradientCase, Compiled> compiled = new HashMap<>();
    private int nextName;

    /** Compiles the models of {@code cases}, each under its own class name, in a few javac runs. */
    void compileAll(List<GradientCase> cases) {
        for (int from = 0; from < cases.size(); from += BATCH) {
            Map<String, GradientCase> byClass = new LinkedHashMap<>();
            Map<String, String> sources = new LinkedHashMap<>();
            Set<GradientCase> batch = new HashSet<>();
            for (GradientCase c : cases.subList(from, Math.min(cases.size(), from + BATCH))) {
                if (!compiled.containsKey(c) && batch.add(c)) {
                    generate(c, byClass, sources);
                }
            }
            javac(byClass, sources);
        }
    }

    /** A new instance of the case's model, compiling it first if needed; throws why it could not be built. */
    TrainableModel instantiate(GradientCase c) {
        if (!compiled.containsKey(c)) {
            Map<String, GradientCase> byClass = new LinkedHashMap<>();
            Map<String, String> sources = new LinkedHashMap<>();
            generate(c, byClass, sources);
            javac(byClass, sources);
        }
        Compiled entry = compiled.get(c);
        if (entry.failure() != null) {
            throw entry.failure();
        }
        try {
            return (TrainableModel) entry.type().getConstructor(long.class).newInstance(0L);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + entry.type().getName(), e);
        }
    }

    /** Runs the modelc pipeline on the case: adds its Java source, or records why there is none. */
    private void generate(GradientCase c, Map<String, GradientCase> byClass, Map<String, String> sources) {
        String name = "M" + nextName++;
        try {
            ModelCompiler.Result result = ModelCompiler.compile(
                    new SourceFile(name + ".model", c.modelText(name)), ModelCompiler.Options.DEFAULT);
            byClass.put(result.className(), c);
            sources.put(result.className(), result.javaSource());
        } catch (CompilationFailed e) {
            compiled.put(c, new Compiled(null, new IllegalStateException("modelc rejected the model:\n"
                    + e.diagnostics().render())));
        } catch (RuntimeException e) {
            compiled.put(c, new Compiled(null, e));
        }
    }

    /**
     * Compiles the sources together. When javac rejects them, halves them until the rejected
     * ones stand alone, so that the rejection is recorded against its own case.
     */
    private void javac(Map<String, GradientCase> byClass, Map<String, String> sources) {
        if (sources.isEmpty()) {
            return;
        }
        ClassLoader loader;
        try {
            loader = InMemoryCompiler.compile(sources);
        } catch (InMemoryCompiler.GeneratedCodeRejected e) {
            if (sources.size() == 1) {
                byClass.values().forEach(c -> compiled.put(c, new Compiled(null, e)));
                return;
            }
            List<String> names = List.copyOf(sources.keySet());
            for (List<String> half : List.of(names.subList(0, names.size() / 2),
                    names.subList(names.size() / 2, names.size()))) {
                Map<String, GradientCase> halfCases = new LinkedHashMap<>();
                Map<String, String> halfSources = new LinkedHashMap<>();
                half.forEach(n -> {
                    halfCases.put(n, byClass.get(n));
                    halfSources.put(n, sources.get(n));
                });
                javac(halfCases, halfSources);
            }
            return;
        }
        byClass.forEach((name, c) -> compiled.put(c, load(loader, name)));
    }

    private static Compiled load(ClassLoader loader, String className) {
        try {
            return new Compiled(loader.loadClass(className), null);
        } catch (ClassNotFoundException e) {
            return new Compiled(null, new IllegalStateException("javac produced no class " + className, e));
        }
    }
}
