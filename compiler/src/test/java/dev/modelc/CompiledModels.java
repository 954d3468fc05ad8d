package dev.modelc;

import dev.modelc.codegen.InMemoryCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.ModelIr;
import dev.modelc.runtime.TrainableModel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The generated classes of many property-test cases. Running javac once per model would take
 * most of a test's time, so {@link #compileAll} runs it once for hundreds of models; a case not
 * compiled ahead, such as a shrink candidate, is compiled on its own when first asked for.
 *
 * @param <C> the type of the cases, each of which is one model
 */
final class CompiledModels<C> {
    private static final int BATCH = 1000;

    /** A case's generated class, or why there is none. */
    private record Compiled(Class<?> type, RuntimeException failure) {
    }

    /** modelc refused the model with diagnostics, which the message holds. */
    static final class Refused extends IllegalStateException {
        Refused(String diagnostics) {
            super("modelc rejected the model:\n" + diagnostics);
        }
    }

    private final Map<C, Compiled> compiled = new HashMap<>();
    private final Map<C, ModelCompiler.Result> results = new HashMap<>();
    /** The model text of a case under a given model name. */
    private final BiFunction<C, String, String> modelText;
    /** Runs the compiler on a case: as it is, or with something in place, such as a wrong derivative rule. */
    private final BiConsumer<C, Runnable> around;
    private final Function<C, ModelCompiler.Options> options;
    private int nextName;

    CompiledModels(BiFunction<C, String, String> modelText) {
        this(modelText, c -> ModelCompiler.Options.DEFAULT, (c, compile) -> compile.run());
    }

    CompiledModels(BiFunction<C, String, String> modelText, BiConsumer<C, Runnable> around) {
        this(modelText, c -> ModelCompiler.Options.DEFAULT, around);
    }

    /** Cases compiled each with its own options: dtype, memory budget. */
    CompiledModels(BiFunction<C, String, String> modelText, Function<C, ModelCompiler.Options> options) {
        this(modelText, options, (c, compile) -> compile.run());
    }

    private CompiledModels(BiFunction<C, String, String> modelText, Function<C, ModelCompiler.Options> options,
                           BiConsumer<C, Runnable> around) {
        this.modelText = modelText;
        this.options = options;
        this.around = around;
    }

    /** Compiles the models of {@code cases}, each under its own class name, in a few javac runs. */
    void compileAll(List<C> cases) {
        for (int from = 0; from < cases.size(); from += BATCH) {
            Map<String, C> byClass = new LinkedHashMap<>();
            Map<String, String> sources = new LinkedHashMap<>();
            Set<C> batch = new HashSet<>();
            for (C c : cases.subList(from, Math.min(cases.size(), from + BATCH))) {
                if (!compiled.containsKey(c) && batch.add(c)) {
                    generate(c, byClass, sources);
                }
            }
            javacInParallel(byClass, sources);
        }
    }

    /**
     * One javac run for each core, on its share of the classes: javac works on one thread, and
     * most of a property test's time is javac's.
     */
    private void javacInParallel(Map<String, C> byClass, Map<String, String> sources) {
        int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
        List<String> names = List.copyOf(sources.keySet());
        List<Map<String, C>> cases = new java.util.ArrayList<>();
        List<Map<String, String>> texts = new java.util.ArrayList<>();
        for (int part = 0; part < parts; part++) {
            cases.add(new LinkedHashMap<>());
            texts.add(new LinkedHashMap<>());
        }
        for (int i = 0; i < names.size(); i++) {
            cases.get(i % parts).put(names.get(i), byClass.get(names.get(i)));
            texts.get(i % parts).put(names.get(i), sources.get(names.get(i)));
        }
        List<Map<C, Compiled>> results = java.util.stream.IntStream.range(0, parts).parallel()
                .mapToObj(part -> javac(cases.get(part), texts.get(part))).toList();
        results.forEach(compiled::putAll);
    }

    /** A new instance of the case's model, compiling it first if needed; throws why it could not be built. */
    TrainableModel instantiate(C c) {
        return construct(entry(c), new Class<?>[] {long.class}, 0L);
    }

    /** The same, with buffers for {@code batchCapacity} rows rather than the default thousand. */
    TrainableModel instantiate(C c, int batchCapacity) {
        return construct(entry(c), new Class<?>[] {long.class, int.class}, 0L, batchCapacity);
    }

    /** The case's model as lowered, before any rewrite: what a reference evaluation should read. */
    ModelIr lowered(C c) {
        return result(c).lowered();
    }

    /** Every stage of the case's compilation; throws why there is none, as {@link #instantiate} does. */
    ModelCompiler.Result result(C c) {
        entry(c);
        return results.get(c);
    }

    private Compiled entry(C c) {
        if (!compiled.containsKey(c)) {
            Map<String, C> byClass = new LinkedHashMap<>();
            Map<String, String> sources = new LinkedHashMap<>();
            generate(c, byClass, sources);
            compiled.putAll(javac(byClass, sources));
        }
        Compiled entry = compiled.get(c);
        if (entry.failure() != null) {
            throw entry.failure();
        }
        return entry;
    }

    private static TrainableModel construct(Compiled entry, Class<?>[] parameters, Object... arguments) {
        try {
            return (TrainableModel) entry.type().getConstructor(parameters).newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + entry.type().getName(), e);
        }
    }

    /** Runs the modelc pipeline on the case: adds its Java source, or records why there is none. */
    private void generate(C c, Map<String, C> byClass, Map<String, String> sources) {
        String name = "M" + nextName++;
        around.accept(c, () -> {
            try {
                ModelCompiler.Result result = ModelCompiler.compile(
                        new SourceFile(name + ".model", modelText.apply(c, name)), options.apply(c));
                byClass.put(result.className(), c);
                sources.put(result.className(), result.javaSource());
                results.put(c, result);
            } catch (CompilationFailed e) {
                compiled.put(c, new Compiled(null, new Refused(e.diagnostics().render())));
            } catch (RuntimeException e) {
                compiled.put(c, new Compiled(null, e));
            }
        });
    }

    /**
     * Compiles the sources together. When javac rejects them, halves them until the rejected
     * ones stand alone, so that the rejection is recorded against its own case.
     */
    private Map<C, Compiled> javac(Map<String, C> byClass, Map<String, String> sources) {
        Map<C, Compiled> done = new HashMap<>();
        if (sources.isEmpty()) {
            return done;
        }
        ClassLoader loader;
        try {
            loader = InMemoryCompiler.compile(sources);
        } catch (InMemoryCompiler.GeneratedCodeRejected e) {
            if (sources.size() == 1) {
                byClass.values().forEach(c -> done.put(c, new Compiled(null, e)));
                return done;
            }
            List<String> names = List.copyOf(sources.keySet());
            for (List<String> half : List.of(names.subList(0, names.size() / 2),
                    names.subList(names.size() / 2, names.size()))) {
                Map<String, C> halfCases = new LinkedHashMap<>();
                Map<String, String> halfSources = new LinkedHashMap<>();
                half.forEach(n -> {
                    halfCases.put(n, byClass.get(n));
                    halfSources.put(n, sources.get(n));
                });
                done.putAll(javac(halfCases, halfSources));
            }
            return done;
        }
        byClass.forEach((name, c) -> done.put(c, load(loader, name)));
        return done;
    }

    private static Compiled load(ClassLoader loader, String className) {
        try {
            return new Compiled(loader.loadClass(className), null);
        } catch (ClassNotFoundException e) {
            return new Compiled(null, new IllegalStateException("javac produced no class " + className, e));
        }
    }
}
