package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.syntax.Ast;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile names and text never break a generated class: for every case of {@link HostileModels}
 * the source compiles, declares exactly the generated API (checked by reflection), holds no code
 * that came from a comment or string, keeps the model's names in its signature, trains a step,
 * and computes the same bits as its twin with plain names ({@link HostileTwins}).
 */
class HostileNamesTest {
    private static final int MIN_CASES = 60;
    private static final List<HostileModels.Case> CASES = HostileModels.all();
    /** All generated classes compiled in one javac run; empty when that run failed and cases compile alone. */
    private static Map<String, Class<?>> compiledTogether;

    @Test
    void thereAreEnoughCases() {
        assertTrue(CASES.size() >= MIN_CASES, CASES.size() + " cases");
    }

    /**
     * The reserved names cover what the generated code names itself: every type it writes by its
     * simple name, the first part of every package it imports from, and its locals and parameters.
     * Models with plain lowercase names, one per optimizer, show them all.
     */
    @Test
    void generatedCodeNamesOnlyReservedTypesAndLocals() throws CompilationFailed {
        Set<String> plainNames = Set.of("plain", "x", "labels", "w", "s", "h", "l", "m");
        Pattern capitalized = Pattern.compile("(?<![.\\w])([A-Z]\\w*)");
        Pattern imported = Pattern.compile("^import (?:static )?(\\w+)\\.", Pattern.MULTILINE);
        Pattern local = Pattern.compile("\\b(?:double|float|int|long|boolean|[A-Z]\\w*)(?:\\[])?\\s+(\\w+)\\s*[=,;:)]");
        // Allocated per model after the model's names: temporaries, loop indices, gradients, state, stop.
        Pattern derived = Pattern.compile("t\\d+|i\\d+|\\w+_recomputed|\\w+_[ws]|dl_d[ws]|stopCondition|bound_\\w+|part_\\w+");
        Set<String> unreserved = new TreeSet<>();
        for (int k = 0; k < HostileModels.optimizerCount(); k++) {
            for (Dtype dtype : Dtype.values()) {
                String java = ModelCompiler.compile(new SourceFile("plain.model", HostileModels.plainModel(k)),
                        new ModelCompiler.Options("", dtype)).javaSource();
                String code = JavaCode.codeOnly(java);
                Stream.of(capitalized.matcher(code), imported.matcher(code), local.matcher(code))
                        .flatMap(matcher -> matcher.results().map(r -> r.group(1)))
                        .filter(name -> !plainNames.contains(name) && !derived.matcher(name).matches())
                        .filter(name -> !Variables.RESERVED.contains(name))
                        .forEach(unreserved::add);
            }
        }
        assertEquals(Set.of(), unreserved, "names the generated code uses but a model could take");
    }

    /**
     * Names the language refuses: its own keywords, {@code $}, a leading digit, and characters that
     * are not letters, digits or {@code _} (a combining accent, a zero-width space, an emoji, half a
     * surrogate pair). Each is an error at the name's line, never an exception or a generated class.
     */
    @ParameterizedTest
    @ValueSource(strings = {"$x", "x$", "$", "e\u0301", "1x", "x\u200By", "\uD83D\uDE42", "\uD83D", "x-y", "a.b",
        "model", "param", "input", "loss", "metric", "train"})
    void namesTheLanguageRefusesAreDiagnosed(String name) {
        // Each text declares the name on the line of its position in this list.
        List<String> texts = List.of("model " + name + "\nparam x = 1\nloss L = x^2\n",
                "model M\nparam " + name + " = 1\nloss L = " + name + "^2\n",
                "model M\nparam x = 1\n" + name + " = x\nloss L = x^2\n");
        for (int line = 1; line <= texts.size(); line++) {
            SourceFile source = new SourceFile("n.model", texts.get(line - 1));
            Diagnostics diagnostics = ModelCompiler.check(source);
            assertTrue(diagnostics.hasErrors(), source.text());
            assertEquals(line, diagnostics.sorted().get(0).span().line(), diagnostics.render());
            assertFalse(diagnostics.render().contains("Exception"), diagnostics.render());
            assertThrows(CompilationFailed.class, () -> ModelCompiler.compile(source, ModelCompiler.Options.DEFAULT));
        }
    }

    /**
     * The generator itself takes any source name, folders and all, though the compiler passes only
     * the file's own name: a name with slashes and backslashes still only ever lands in comments and
     * strings, and the signature holds it exactly.
     */
    @Test
    void theGeneratorTakesAnySourceName() throws Exception {
        ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("m.model", HostileText.model("fine")),
                ModelCompiler.Options.DEFAULT);
        for (String name : List.of("a/*/ " + HostileText.METHOD + " /*/m.model", "C:\\u000a" + HostileText.METHOD,
                "\\" + "\\u000d\\" + HostileText.STATEMENT + "\u2028\n*/\"")) {
            String source = ModelClassGenerator.generate(result.plan(), "", Dtype.F64, name).toString();
            Class<?> type = InMemoryCompiler.compile(Map.of("M", source)).loadClass("M");
            ModelSignature signature = (ModelSignature) type.getField("SIGNATURE").get(null);
            assertEquals(name, signature.source());
            assertDeclaresOnlyTheGeneratedApi(type, signature, Dtype.F64);
            assertFalse(JavaCode.codeOnly(source).contains(HostileModels.MARKER), source);
            trainOneStep(type, signature);
        }
    }

    /** Packages Java accepts hold a working class; the rest are refused before any code is generated. */
    @Test
    void packageNamesAreJavasOrRefused() throws Exception {
        SourceFile source = new SourceFile("m.model", "model M\nparam x = 1\nloss L = x^2\n");
        for (String name : List.of("a.b", "ü.ß", "a$b", "_a", "var.record.yield", "dev.modelc.runtime.M")) {
            ModelCompiler.Result result = ModelCompiler.compile(source, new ModelCompiler.Options(name, Dtype.F64));
            assertEquals(name + ".M", result.load().type().getName());
        }
        for (String name : List.of("class", "a.int", "_", "java", "java.lang", "x..y", ".a", "a.", "1a", "a-b", " a")) {
            assertTrue(ModelCompiler.Options.packageProblem(name).isPresent(), name);
            assertThrows(IllegalArgumentException.class, () -> new ModelCompiler.Options(name, Dtype.F64), name);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyHostileModelCompilesToExactlyItsApiAndTrains() {
        List<Generated> generated = new ArrayList<>();
        for (int i = 0; i < CASES.size(); i++) {
            generated.add(Generated.of(CASES.get(i), String.format("hostile.c%03d", i)));
        }
        compileTogether(generated);
        return generated.stream().map(g -> DynamicTest.dynamicTest(g.hostile().title(), () -> check(g)));
    }

    /**
     * A case's generated source, under a package of its own, and its plain-named twin's (see
     * {@link HostileTwins}); or why the compiler refused it.
     */
    private record Generated(HostileModels.Case hostile, ModelCompiler.Result result, ModelCompiler.Result twin,
                             String refusal) {
        static Generated of(HostileModels.Case c, String packageName) {
            ModelCompiler.Result result;
            try {
                SourceFile source = new SourceFile(c.fileName(), c.text());
                result = ModelCompiler.compile(source, new ModelCompiler.Options(packageName, c.dtype()));
            } catch (CompilationFailed e) {
                return new Generated(c, null, null, e.diagnostics().render());
            }
            try {
                SourceFile twin = new SourceFile("twin.model", HostileTwins.twin(c.text()));
                ModelCompiler.Options options = new ModelCompiler.Options("twin." + packageName, c.dtype());
                return new Generated(c, result, ModelCompiler.compile(twin, options), null);
            } catch (CompilationFailed e) {
                throw new IllegalStateException("the plain twin of " + c.title() + " does not compile:\n"
                        + e.diagnostics().render(), e);
            }
        }
    }

    /** One javac run for every case; if it fails, each case compiles alone and reports its own errors. */
    private static void compileTogether(List<Generated> generated) {
        Map<String, String> sources = new LinkedHashMap<>();
        generated.stream().filter(g -> g.refusal() == null).forEach(g -> {
            sources.put(g.result().className(), g.result().javaSource());
            sources.put(g.twin().className(), g.twin().javaSource());
        });
        Map<String, Class<?>> classes = new LinkedHashMap<>();
        try {
            ClassLoader loader = InMemoryCompiler.compile(sources);
            for (String name : sources.keySet()) {
                classes.put(name, loader.loadClass(name));
            }
        } catch (InMemoryCompiler.GeneratedCodeRejected | ClassNotFoundException e) {
            classes.clear();
        }
        compiledTogether = classes;
    }

    private static void check(Generated g) throws Exception {
        assertNull(g.refusal(), "the compiler refused a valid model");
        String name = g.result().className();
        Class<?> type = compiledTogether.containsKey(name) ? compiledTogether.get(name)
                : g.result().load().type();
        ModelSignature signature = (ModelSignature) type.getField("SIGNATURE").get(null);
        assertDeclaresOnlyTheGeneratedApi(type, signature, g.hostile().dtype());
        assertFalse(JavaCode.codeOnly(g.result().javaSource()).contains(HostileModels.MARKER),
                "text from a comment or string escaped into code:\n" + g.result().javaSource());
        assertKeepsTheModelsNames(signature, g.result().ast(), g.hostile().fileName());
        for (String field : g.hostile().fields()) {
            assertTrue(hasField(type, field), "no field `" + field + "` in\n" + g.result().javaSource());
        }
        trainOneStep(type, signature);
        String twin = g.twin().className();
        HostileTwins.assertSameBits(type, compiledTogether.containsKey(twin) ? compiledTogether.get(twin)
                : g.twin().load().type(), g.hostile().title());
    }

    /**
     * Public: the three constructors, {@code SIGNATURE}, the methods of {@code TrainableModel} it must
     * or does implement, {@code initialize(long)}, the typed {@code bind} and, with outputs, the typed
     * {@code predict} and the nested {@code Predictor}. Everything else private; no member named by a payload.
     */
    private static void assertDeclaresOnlyTheGeneratedApi(Class<?> type, ModelSignature signature, Dtype dtype)
            throws IllegalAccessException {
        assertEquals(Modifier.PUBLIC | Modifier.FINAL, type.getModifiers());
        assertEquals(List.of(TrainableModel.class), List.of(type.getInterfaces()));
        assertEquals(Object.class, type.getSuperclass());
        assertNestedTypes(type, signature);
        Set<String> constructors = new TreeSet<>();
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (Modifier.isPublic(c.getModifiers())) {
                constructors.add(Arrays.toString(c.getParameterTypes()));
            } else {
                // A predictor's models, one for each thread that calls it.
                assertTrue(Modifier.isPrivate(c.getModifiers()) && c.getParameterCount() == 1
                        && c.getParameterTypes()[0].getSimpleName().equals("Predictor"), c.toString());
            }
        }
        assertEquals(new TreeSet<>(List.of("[]", "[long]", "[long, int]")), constructors);
        for (Field f : type.getDeclaredFields()) {
            if (f.getName().equals("SIGNATURE")) {
                assertEquals(Modifier.PUBLIC | Modifier.STATIC | Modifier.FINAL, f.getModifiers(), f.toString());
            } else {
                assertTrue(Modifier.isPrivate(f.getModifiers()) && !Modifier.isStatic(f.getModifiers()), f.toString());
            }
        }
        assertEquals(expectedMethods(signature, dtype), declaredMethods(type));
        for (Member m : members(type)) {
            assertFalse(m.getName().toLowerCase(java.util.Locale.ROOT).contains(HostileModels.MARKER), m.toString());
            // predictor() returns the nested Predictor, so javac adds a bridge returning the interface.
            boolean bridge = m instanceof Method method && method.isBridge() && method.getName().equals("predictor");
            assertFalse(m.isSynthetic() && !bridge, m.toString());
        }
    }

    private static Set<String> expectedMethods(ModelSignature signature, Dtype dtype) {
        Set<String> expected = new TreeSet<>();
        for (Method m : TrainableModel.class.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers())) {
                expected.add(describe(m));
            }
        }
        expected.add("paramsFinite[]");
        expected.add("firstNonFinite[]");
        expected.add("initialize[long]");
        expected.add("setGradient[int, int, double]");
        expected.add("value[String]");
        if (!signature.inputs().isEmpty()) {
            List<String> types = new ArrayList<>();
            for (ModelSignature.Input input : signature.inputs()) {
                types.add(input.integer() ? "int[]" : dtype == Dtype.F64 ? "double[]" : "float[]");
            }
            types.add("int");
            expected.add("bind" + types);
        }
        if (!signature.outputs().isEmpty()) {
            expected.add("predict[Object[], int, Object[]]");
            expected.add("predict" + typedPredict(signature, dtype));
            expected.add("predictor[]");
            expected.add("predictor[int]");
        }
        return expected;
    }

    /** The parameter types of the typed {@code predict}: the inputs the outputs read, rows, the outputs. */
    private static List<String> typedPredict(ModelSignature signature, Dtype dtype) {
        String real = dtype == Dtype.F64 ? "double[]" : "float[]";
        List<String> types = new ArrayList<>();
        signature.predictInputs().forEach(input -> types.add(input.integer() ? "int[]" : real));
        types.add("int");
        signature.outputs().forEach(output -> types.add(output.integer() ? "int[]" : real));
        return types;
    }

    /**
     * The holders of index constants, for params, metrics and outputs where the model has them, and,
     * with outputs, the public {@code Predictor}: a predictor with the typed {@code predict}.
     */
    private static void assertNestedTypes(Class<?> type, ModelSignature signature) throws IllegalAccessException {
        Set<String> expected = new TreeSet<>(List.of("Params"));
        if (!signature.metrics().isEmpty()) {
            expected.add("Metrics");
        }
        if (!signature.outputs().isEmpty()) {
            expected.addAll(List.of("Outputs", "Predictor"));
        }
        Set<String> nested = new TreeSet<>();
        Class<?> predictor = null;
        for (Class<?> c : type.getDeclaredClasses()) {
            nested.add(c.getSimpleName());
            predictor = c.getSimpleName().equals("Predictor") ? c : predictor;
            if (!c.getSimpleName().equals("Predictor")) {
                assertIndexConstants(c);
            }
        }
        if (signature.params().isEmpty()) {
            expected.remove("Params");
        }
        assertEquals(expected, nested, "nested types");
        if (predictor == null) {
            return;
        }
        assertEquals("Predictor", predictor.getSimpleName());
        assertEquals(Modifier.PUBLIC | Modifier.STATIC | Modifier.FINAL, predictor.getModifiers());
        assertEquals(List.of(dev.modelc.runtime.Predictor.class), List.of(predictor.getInterfaces()));
        Set<String> methods = new TreeSet<>();
        for (Method m : predictor.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
                methods.add(describe(m));
            }
        }
        assertEquals(new TreeSet<>(List.of("signature[]", "predict[Object[], int, Object[]]",
                "predict" + typedPredict(signature, signature.dtype().equals("f64") ? Dtype.F64 : Dtype.F32))),
                methods);
    }

    /** Public constants 0, 1, 2, ... and nothing else. */
    private static void assertIndexConstants(Class<?> holder) throws IllegalAccessException {
        assertEquals(Modifier.PUBLIC | Modifier.STATIC | Modifier.FINAL, holder.getModifiers(), holder.toString());
        Field[] fields = holder.getDeclaredFields();
        for (int i = 0; i < fields.length; i++) {
            assertEquals(int.class, fields[i].getType(), fields[i].toString());
            assertEquals(i, fields[i].getInt(null), fields[i].toString());
        }
        assertEquals(0, holder.getDeclaredMethods().length, holder.toString());
    }

    /** The public methods; every other one is private. */
    private static Set<String> declaredMethods(Class<?> type) {
        Set<String> declared = new TreeSet<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.isBridge()) {
                continue;
            }
            if (Modifier.isPublic(m.getModifiers())) {
                declared.add(describe(m));
            } else {
                assertTrue(Modifier.isPrivate(m.getModifiers()), m.toString());
            }
        }
        return declared;
    }

    private static String describe(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList();
    }

    private static List<Member> members(Class<?> type) {
        List<Member> members = new ArrayList<>(List.of(type.getDeclaredFields()));
        members.addAll(List.of(type.getDeclaredMethods()));
        return members;
    }

    private static boolean hasField(Class<?> type, String name) {
        return Arrays.stream(type.getDeclaredFields()).anyMatch(f -> f.getName().equals(name));
    }

    /** The signature names everything as the model wrote it, whatever Java calls it. */
    private static void assertKeepsTheModelsNames(ModelSignature signature, Ast.Program ast, String fileName) {
        assertEquals(ast.name().text(), signature.name());
        assertEquals(new SourceFile(fileName, "").fileName(), signature.source());
        List<String> params = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String loss = null;
        for (Ast.Declaration d : ast.declarations()) {
            if (d instanceof Ast.Param) {
                params.add(d.name().text());
            } else if (d instanceof Ast.Input) {
                inputs.add(d.name().text());
            } else if (d instanceof Ast.Definition def && def.kind() == Ast.Definition.Kind.LOSS) {
                loss = d.name().text();
            } else if (d instanceof Ast.Definition def && def.kind() == Ast.Definition.Kind.METRIC) {
                metrics.add(d.name().text());
            } else if (d instanceof Ast.Definition def && def.kind() == Ast.Definition.Kind.OUTPUT) {
                outputs.add(d.name().text());
            }
        }
        assertEquals(params, signature.params().stream().map(ModelSignature.Param::name).toList());
        assertEquals(inputs, signature.inputs().stream().map(ModelSignature.Input::name).toList());
        assertEquals(loss, signature.loss());
        assertEquals(metrics, signature.metrics());
        assertEquals(outputs, signature.outputs().stream().map(ModelSignature.Output::name).toList());
    }

    /** Binds random inputs for three rows and trains one step: the loss is finite and one update was made. */
    private static void trainOneStep(Class<?> type, ModelSignature signature) throws Exception {
        TrainableModel model = (TrainableModel) type.getConstructor(long.class, int.class).newInstance(7L, 4);
        int rows = 3;
        Object[] inputs = HostileTwins.randomInputs(signature, rows, new Random(11));
        if (!signature.outputs().isEmpty()) {
            predictsFiniteValues(model, signature, inputs, rows);
        }
        model.bind(inputs, rows);
        assertNull(model.firstNonFinite());
        double loss = model.trainStep();
        assertTrue(Double.isFinite(loss), "loss " + loss);
        assertEquals(1, model.stepCount());
        assertTrue(model.paramsFinite());
        Set<String> stateNames = new HashSet<>(model.stateNames());
        assertEquals(model.stateNames().size(), stateNames.size(), "state names repeat: " + model.stateNames());
    }

    /** The model and its predictor predict the same finite values from the inputs the outputs read. */
    private static void predictsFiniteValues(TrainableModel model, ModelSignature signature, Object[] inputs,
                                             int rows) {
        List<Object> given = new ArrayList<>();
        for (ModelSignature.Input input : signature.predictInputs()) {
            given.add(inputs[signature.inputs().indexOf(input)]);
        }
        boolean f64 = signature.dtype().equals("f64");
        Object[] fromModel = new Object[signature.outputs().size()];
        Object[] fromPredictor = new Object[fromModel.length];
        for (int o = 0; o < fromModel.length; o++) {
            ModelSignature.Output output = signature.outputs().get(o);
            int size = output.rowSize() * (output.perRow() ? rows : 1);
            fromModel[o] = f64 ? new double[size] : new float[size];
            fromPredictor[o] = f64 ? new double[size] : new float[size];
        }
        model.predict(given.toArray(), rows, fromModel);
        model.predictor().predict(given.toArray(), rows, fromPredictor);
        for (int o = 0; o < fromModel.length; o++) {
            String a = f64 ? Arrays.toString((double[]) fromModel[o]) : Arrays.toString((float[]) fromModel[o]);
            String b = f64 ? Arrays.toString((double[]) fromPredictor[o]) : Arrays.toString((float[]) fromPredictor[o]);
            assertEquals(a, b);
            assertFalse(a.contains("NaN") || a.contains("Infinity"), a);
        }
    }
}
