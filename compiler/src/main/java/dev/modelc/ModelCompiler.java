package dev.modelc;

import com.palantir.javapoet.JavaFile;
import dev.modelc.autodiff.ReverseMode;
import dev.modelc.check.CheckedModel;
import dev.modelc.check.Limits;
import dev.modelc.check.ModelChecker;
import dev.modelc.check.OutputChecks;
import dev.modelc.codegen.ClassCache;
import dev.modelc.codegen.Dtype;
import dev.modelc.codegen.InMemoryCompiler;
import dev.modelc.codegen.JavaPackages;
import dev.modelc.codegen.ModelClassGenerator;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.IrVerifier;
import dev.modelc.graph.Lowering;
import dev.modelc.graph.ModelIr;
import dev.modelc.plan.BatchCapacity;
import dev.modelc.plan.Plan;
import dev.modelc.plan.Planner;
import dev.modelc.rewrite.Rules;
import dev.modelc.rewrite.Simplifier;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.ModelSyntax;
import dev.modelc.graph.Node;
import dev.modelc.plan.MemoryBudget;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole pipeline, one stage after another: parse, check, lower, stabilize,
 * differentiate, simplify, plan, emit. Each stage takes an immutable value and returns the next; the IR is
 * verified after every stage that produces it.
 */
public final class ModelCompiler {
    private ModelCompiler() {
    }

    /**
     * What to generate: the Java package (may be empty) and the element type; whether tensor
     * values share arrays where their lifetimes allow, whether the model's {@code recompute}
     * declarations apply, and a budget in bytes for the activation arrays (0 for none), met by
     * recomputing stored values in the backward pass.
     */
    public record Options(String packageName, Dtype dtype, boolean planBuffers, boolean recompute, long memoryBudget) {
        public static final Options DEFAULT = new Options("", Dtype.F64);

        public Options {
            packageProblem(packageName).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }

        /**
         * Why {@code name} cannot be the package of a generated class, or empty when it can: a
         * dotted Java name of visible characters, in no package of the JDK or of modelc itself
         * (see {@link JavaPackages}). Every front end asks here.
         */
        public static Optional<String> packageProblem(String name) {
            return JavaPackages.problem(name);
        }

        public Options(String packageName, Dtype dtype) {
            this(packageName, dtype, true, true, 0);
        }

        public Options withPlanBuffers(boolean plan) {
            return new Options(packageName, dtype, plan, recompute, memoryBudget);
        }

        public Options withRecompute(boolean apply) {
            return new Options(packageName, dtype, planBuffers, apply, memoryBudget);
        }

        public Options withMemoryBudget(long bytes) {
            return new Options(packageName, dtype, planBuffers, recompute, bytes);
        }
    }

    /** Every stage's output, for dumps, tests and the command line. */
    public record Result(SourceFile source, Diagnostics diagnostics, Ast.Program ast, ModelIr lowered,
                         ModelIr stabilized, ModelIr differentiated, ModelIr simplified, Plan plan, JavaFile javaFile,
                         Map<String, Integer> rewrites) {

        /** The generated class's fully qualified name. */
        public String className() {
            String simple = javaFile.typeSpec().name();
            return javaFile.packageName().isEmpty() ? simple : javaFile.packageName() + "." + simple;
        }

        public String javaSource() {
            return javaFile.toString();
        }

        /**
         * Why the generated class cannot be made for {@code rows} rows per pass, with the most it can,
         * or empty when it can: what a command checks before it makes the model.
         */
        public Optional<String> capacityProblem(int rows) {
            return PreparedModel.capacityProblem(rows, BatchCapacity.widest(plan));
        }

        /** Compiles the generated source in memory and creates the model with {@code seed}. */
        public TrainableModel instantiate(long seed) throws CompilationFailed {
            return load().create(seed);
        }

        /**
         * Compiles the generated source in memory and loads the class. A model too large for the
         * class file format fails with a diagnostic: only javac can tell.
         */
        public LoadedModel load() throws CompilationFailed {
            return load(ClassCache.NONE);
        }

        /** The same, taking the compiled class from {@code cache} when it holds it, and keeping it there. */
        public LoadedModel load(ClassCache cache) throws CompilationFailed {
            return LoadedModel.of(InMemoryCompiler.loader(classes(cache)), className());
        }

        /** The class files, from {@code cache} when it holds them, else javac's (kept there). */
        Map<String, byte[]> classes(ClassCache cache) throws CompilationFailed {
            try {
                return InMemoryCompiler.classes(Map.of(className(), javaSource()), cache);
            } catch (InMemoryCompiler.GeneratedCodeTooLarge e) {
                throw new CompilationFailed(TooLarge.diagnose(source, ast, e));
            }
        }

        /** What a command needs to run the model: its class loaded, the warnings, its batch limit. */
        public PreparedModel prepared(ClassCache cache) throws CompilationFailed {
            return PreparedModel.fromResult(this, cache);
        }
    }

    /** The JVM ran out of memory while a model allocated its arrays; nothing of it is kept. */
    public static final class NotEnoughMemory extends RuntimeException {
        NotEnoughMemory(String message, OutOfMemoryError cause) {
            super(message, cause);
        }
    }

    /** A generated class, loaded: its signature, and a way to make models of it. */
    public record LoadedModel(Class<?> type, ModelSignature signature) {
        /** The generated class {@code className} of {@code loader}, with its signature. */
        static LoadedModel of(ClassLoader loader, String className) {
            try {
                Class<?> type = loader.loadClass(className);
                return new LoadedModel(type, (ModelSignature) type.getField("SIGNATURE").get(null));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot load generated " + className, e);
            }
        }

        /** A model with its default batch capacity. */
        public TrainableModel create(long seed) {
            return construct(new Class<?>[] {long.class}, seed);
        }

        /** A model with buffers for {@code batchCapacity} rows. */
        public TrainableModel create(long seed, int batchCapacity) {
            return construct(new Class<?>[] {long.class, int.class}, seed, batchCapacity);
        }

        private TrainableModel construct(Class<?>[] parameters, Object... arguments) {
            try {
                return (TrainableModel) type.getConstructor(parameters).newInstance(arguments);
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof OutOfMemoryError memory) {
                    throw new NotEnoughMemory("not enough memory to make model `" + signature.name() + "` ("
                            + memory.getMessage() + "); give the JVM more (java -Xmx...), or make the model or the "
                            + "batch smaller; `modelc memory` shows what it needs", memory);
                }
                throw new IllegalStateException("cannot create " + type.getName(), e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + type.getName(), e);
            }
        }
    }

    public static Result compile(SourceFile source, Options options) throws CompilationFailed {
        Diagnostics diagnostics = new Diagnostics(source);
        Ast.Program ast = parse(source, diagnostics);
        CheckedModel checked = ModelChecker.check(ast, diagnostics)
                .orElseThrow(() -> new CompilationFailed(diagnostics));
        Map<String, Integer> rewrites = new LinkedHashMap<>();
        ModelIr lowered = IrVerifier.verify(Lowering.lower(checked, source), "lower");
        OutputChecks.check(lowered, ast, diagnostics);
        if (diagnostics.hasErrors()) {
            throw new CompilationFailed(diagnostics);
        }
        ModelIr stabilized = IrVerifier.verify(Simplifier.rewrite(lowered, Rules.STABILIZE, rewrites), "stabilize");
        ModelIr differentiated = IrVerifier.verify(ReverseMode.differentiate(stabilized), "differentiate");
        ModelIr simplified = IrVerifier.verify(Simplifier.rewrite(differentiated, Rules.SIMPLIFY, rewrites), "simplify");
        Plan plan = plan(simplified, checked, options, diagnostics);
        checkBatchFits(plan, ast, diagnostics);
        JavaFile javaFile = ModelClassGenerator.generate(plan, options.packageName(), options.dtype(), source.fileName());
        return new Result(source, diagnostics, ast, lowered, stabilized, differentiated, simplified, plan, javaFile,
                rewrites);
    }

    /**
     * The model of {@code source} ready to run, compiled with {@code options}: taken whole from
     * {@code cache} when an earlier run kept it (no stage runs then), else compiled and kept there.
     * Errors come back as {@link CompilationFailed}, as from {@link #compile}.
     */
    public static PreparedModel prepare(SourceFile source, Options options, ClassCache cache)
            throws CompilationFailed {
        return PreparedModel.prepare(source, options, cache);
    }

    /** The plan stage, with the declared recomputations, then more if a memory budget asks for them. */
    private static Plan plan(ModelIr model, CheckedModel checked, Options options, Diagnostics diagnostics)
            throws CompilationFailed {
        Set<Node> recompute = new LinkedHashSet<>();
        if (options.recompute()) {
            model.values().stream().filter(v -> checked.program().recomputedNames().contains(v.name()))
                    .forEach(v -> recompute.add(v.node()));
        }
        if (options.memoryBudget() <= 0) {
            return Planner.plan(model, options.planBuffers(), recompute);
        }
        int rows = ModelClassGenerator.defaultCapacity(model);
        int bytes = options.dtype().bytes();
        MemoryBudget budget = new MemoryBudget(options.memoryBudget(), rows, bytes);
        Plan plan = budget.smallest(model, options.planBuffers(), recompute);
        if (!budget.fits(plan)) {
            diagnostics.error(checked.program().name().span(), budget.shortfall(plan),
                    "raise the budget, or train in smaller batches");
            throw new CompilationFailed(diagnostics);
        }
        return plan;
    }

    /**
     * The train block's batch must fit in Java arrays: rows times the elements per row of the
     * widest value with the batch dimension. Known only once the plan lists every value.
     */
    private static void checkBatchFits(Plan plan, Ast.Program ast, Diagnostics diagnostics) throws CompilationFailed {
        int batch = plan.model().train().batchSize();
        if (plan.model().inputs().isEmpty() || batch <= BatchCapacity.maxRows(plan)) {
            return;
        }
        Limits.Widest widest = BatchCapacity.widest(plan);
        Ast.TrainItem item = ast.train().items().stream().filter(Ast.BatchItem.class::isInstance).findFirst()
                .orElseThrow();
        diagnostics.error(((Ast.BatchItem) item).size().span(), Limits.tooManyRows(batch, widest),
                Limits.fewerRows(widest));
        throw new CompilationFailed(diagnostics);
    }

    /**
     * Parses and checks only; the diagnostics say whether the model is valid. The outputs are
     * checked on the lowered graph, which says how each operation treats the rows.
     */
    public static Diagnostics check(SourceFile source) {
        Diagnostics diagnostics = new Diagnostics(source);
        ModelSyntax.Parsed parsed = ModelSyntax.parseRecovering(source, diagnostics);
        parsed.program().ifPresent(ast -> ModelChecker.check(ast, diagnostics, parsed.unreadableNames(),
                parsed.lossUnreadable())
                .ifPresent(checked -> OutputChecks.check(Lowering.lower(checked, source), ast, diagnostics)));
        return diagnostics;
    }

    /** The program, or every error found: after a syntax error, the rest is still parsed and checked. */
    private static Ast.Program parse(SourceFile source, Diagnostics diagnostics) throws CompilationFailed {
        ModelSyntax.Parsed parsed = ModelSyntax.parseRecovering(source, diagnostics);
        if (diagnostics.hasErrors()) {
            parsed.program().ifPresent(ast -> ModelChecker.check(ast, diagnostics, parsed.unreadableNames(),
                    parsed.lossUnreadable()));
            throw new CompilationFailed(diagnostics);
        }
        return parsed.program().orElseThrow(() -> new CompilationFailed(diagnostics));
    }
}
