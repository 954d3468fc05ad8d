package dev.modelc.codegen;

import com.palantir.javapoet.NameAllocator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.plan.Buffers;
import dev.modelc.plan.Plan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Java names for everything a generated class declares, allocated once and in a fixed order
 * so output is deterministic: the model's names where Java allows them, made legal and
 * unique otherwise, never colliding with the generated members, their parameters, loop
 * variables, or the types the generated code refers to by simple name.
 */
final class Variables {
    /** Names the generated code uses itself; a model name equal to one of these is renamed. */
    static final List<String> RESERVED = reserved();

    /** Legal as other names but not as a class's, as of Java 17. */
    private static final List<String> RESTRICTED_TYPE_NAMES = List.of("var", "yield", "record", "sealed", "permits");

    /** Methods the generated class or its interfaces declare; a line's method never takes one. */
    private static final List<String> METHODS = List.of("forward", "backward", "step", "trainStep", "bind",
            "predict", "predictRows", "predictor", "param", "setParam", "paramIndex", "gradient", "setGradient",
            "metric", "value", "signature", "batchCapacity", "learningRate", "setLearningRate", "stopRequested",
            "stateNames", "state", "setState", "stepCount", "setStepCount", "paramsFinite", "firstNonFinite",
            "initialize", "finite", "copy", "noOutputs", "equals", "hashCode", "toString", "getClass", "notify",
            "notifyAll", "wait", "clone", "finalize",
            // a method named yield cannot be called without a receiver
            "yield");

    private final NameAllocator names = new NameAllocator();
    private final NameAllocator methods = new NameAllocator();
    private final Map<Node, String> nodeVariables = new HashMap<>();
    private final Map<Plan.Assignment, String> targets = new IdentityHashMap<>();
    private final Map<Plan.Assignment, String> aliases = new IdentityHashMap<>();
    private final Map<Buffers.Buffer, String> bufferFields = new IdentityHashMap<>();
    private final Map<Lines.Line, String> lineMethods = new HashMap<>();
    private final Set<Node> readAcrossLines;
    private final Plan plan;
    private final String className;
    private int locals;

    Variables(Plan plan) {
        this.plan = plan;
        for (String reserved : RESERVED) {
            names.newName(reserved, "reserved:" + reserved);
        }
        ModelIr model = plan.model();
        String suggested = NameAllocator.toJavaIdentifier(model.name());
        this.className = isUsableClassName(suggested) ? suggested : suggested + "Model";
        names.newName(className, "class");
        allocateDeclared(declaredNames());
        for (ModelIr.ParamSpec p : model.params()) {
            names.newName("d" + model.loss().name() + "_d" + p.name(), "gradient:" + p.name());
        }
        for (UpdateRules.StateKind kind : UpdateRules.state(model.train())) {
            for (ModelIr.ParamSpec p : model.params()) {
                names.newName(kind.name() + "_" + p.name(), "state:" + kind.name() + ":" + p.name());
            }
        }
        allocateTargets();
        this.readAcrossLines = Lines.readAcrossLines(plan);
        for (String method : METHODS) {
            methods.newName(method, "reserved:" + method);
        }
        for (Lines.Line line : Lines.of(plan)) {
            String base = line.origin() == null ? "stopWhen" : names.get("value:" + line.origin().name());
            lineMethods.put(line, methods.newName(base == null ? "line" : base));
        }
        for (ModelIr.InputSpec i : model.inputs()) {
            names.newName("bound_" + names.get("input:" + i.name()), "bound:" + i.name());
            names.newName("part_" + names.get("input:" + i.name()), "part:" + i.name());
        }
        for (ModelIr.ParamSpec p : model.params()) {
            nodeVariables.put(p.node(), names.get("param:" + p.name()));
        }
        for (ModelIr.InputSpec i : model.inputs()) {
            nodeVariables.put(i.node(), names.get("input:" + i.name()));
        }
    }

    /**
     * One name for each array: the name of the first named value of the forward pass it holds,
     * else of the first value it holds, so that a value computed in place over another reads as
     * an update of that name. In the backward pass an array named after a forward value, or one
     * holding a recomputed value, is given the value's own name too, as a local alias.
     */
    private void allocateTargets() {
        List<Plan.Assignment> sequence = plan.sequence();
        int forwardSize = plan.forward().size();
        Set<Buffers.Buffer> named = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int p = 0; p < forwardSize; p++) {
            Buffers.Buffer buffer = plan.bufferAt(p);
            Plan.Assignment a = sequence.get(p);
            if (buffer != null && a.role() == Plan.Role.VALUE && named.add(buffer)) {
                bufferFields.put(buffer, names.get(tag(a)));
            }
        }
        int count = 0;
        for (int p = 0; p < sequence.size(); p++) {
            Plan.Assignment a = sequence.get(p);
            Buffers.Buffer buffer = plan.bufferAt(p);
            String own = switch (a.role()) {
                case STOP -> names.newName("stopCondition", tag(a));
                case VALUE, GRADIENT -> names.get(tag(a));
                case TEMPORARY, RECOMPUTED -> null;
            };
            if (own != null && buffer == null) {
                targets.put(a, own);
                continue;
            }
            String field = buffer == null ? null : bufferFields.get(buffer);
            boolean alias = field != null && p >= forwardSize
                    && (named.contains(buffer) || a.role() == Plan.Role.RECOMPUTED);
            if (field != null && !alias) {
                targets.put(a, field);
                continue;
            }
            String name = own != null ? own : names.newName(a.role() == Plan.Role.RECOMPUTED && a.label() != null
                    ? a.label() + "_recomputed" : "t" + (++count));
            targets.put(a, name);
            if (alias) {
                aliases.put(a, field);
            } else if (buffer != null) {
                bufferFields.put(buffer, name);
            }
        }
    }

    /** The model's names by their tags, in the order they are declared: params, inputs, then values. */
    private Map<String, String> declaredNames() {
        Map<String, String> declared = new LinkedHashMap<>();
        plan.model().params().forEach(p -> declared.put("param:" + p.name(), p.name()));
        plan.model().inputs().forEach(i -> declared.put("input:" + i.name(), i.name()));
        for (List<Plan.Assignment> pass : List.of(plan.forward(), plan.backward())) {
            for (Plan.Assignment a : pass) {
                if (a.role() == Plan.Role.VALUE) {
                    declared.put(tag(a), a.label());
                }
            }
        }
        return declared;
    }

    /**
     * Every name Java accepts where it stands keeps it; only then do the others get theirs, made
     * legal and unique ({@code class} becomes {@code class_}), so that a mangled name never takes
     * one the model declares. Names derived from the model's (gradients, state) come after both.
     */
    private void allocateDeclared(Map<String, String> declared) {
        declared.forEach((tag, name) -> {
            if (isKeptAsWritten(name)) {
                names.newName(name, tag);
            }
        });
        declared.forEach((tag, name) -> {
            if (!isKeptAsWritten(name)) {
                names.newName(name, tag);
            }
        });
    }

    private boolean isKeptAsWritten(String name) {
        return SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name) && !RESERVED.contains(name)
                && !name.equals(className);
    }

    private static List<String> reserved() {
        List<String> names = new ArrayList<>(List.of(
                "SIGNATURE", "seed", "rng", "dropoutKey", "dropoutSeed", "training", "Dropout", "param", "index", "value", "learningRate", "stepCount",
                "steps", "buffer",
                // the optimizer's constants and the locals of step()
                "momentum", "dampening", "weightDecay", "beta1", "beta2", "eps", "alpha", "lrDecay",
                "initialAccumulatorValue", "clipNorm", "g", "dampened", "stepSize", "biasCorrection2Sqrt", "decay",
                "decayedRate", "sumOfSquares", "clipScale",
                "rows", "batchCapacity", "inputs", "outputs", "boundRows", "Predictor", "from", "count",
                "rowsPerPass", "models", "source", "predictor", "model", "ThreadLocal", "values", "name", "copy",
                "Params", "Metrics", "Outputs",
                "acc", "best", "bestIndex", "total", "e", "k", "i", "size",
                "Math", "Kernels", "Matmul", "Rng", "ModelSignature", "TrainableModel", "List", "Objects", "Arrays",
                "Map", "Override", "Double", "Float", "Integer", "Long", "String", "Object", "System",
                "IndexOutOfBoundsException", "IllegalArgumentException", "IllegalStateException",
                // the first names of the packages of those types, in case a clash makes JavaPoet write them out
                "java", "javax", "dev"));
        for (int d = 0; d < dev.modelc.graph.Shape.MAX_RANK; d++) {
            names.add("i" + d);
        }
        return List.copyOf(names);
    }

    /** Keywords, literals and restricted names cannot name a class; reserved names would be shadowed. */
    private static boolean isUsableClassName(String name) {
        return !RESERVED.contains(name) && !SourceVersion.isKeyword(name) && !RESTRICTED_TYPE_NAMES.contains(name);
    }

    private static String tag(Plan.Assignment a) {
        return switch (a.role()) {
            case VALUE -> "value:" + a.label();
            case STOP -> "stop";
            case GRADIENT -> "gradient:" + a.label();
            case TEMPORARY, RECOMPUTED -> null;
        };
    }

    String className() {
        return className;
    }

    String param(String name) {
        return names.get("param:" + name);
    }

    String input(String name) {
        return names.get("input:" + name);
    }

    /** The field of a named value (a definition, the loss, a metric), written by its own assignment. */
    String value(String name) {
        return names.get("value:" + name);
    }

    String gradient(String param) {
        return names.get("gradient:" + param);
    }

    /** The field of one optimizer state buffer, such as {@code exp_avg_W1}. */
    String state(String kind, String param) {
        return names.get("state:" + kind + ":" + param);
    }

    /** The array of a predictor's model that takes an input's rows for one part of a larger prediction. */
    String part(String name) {
        return names.get("part:" + name);
    }

    /** The local that keeps an input's binding while {@code predict} binds its own. */
    String boundInput(String name) {
        return names.get("bound:" + name);
    }

    String learningRate() {
        return "learningRate";
    }

    String stop() {
        return names.get("stop");
    }

    /**
     * A new local's name, unique in the class, after {@code base} ({@code b_0} for an element of
     * {@code b} held in a local); names are given in the order the code is written.
     */
    String local(String base) {
        return names.newName(base, "local:" + (++locals));
    }

    /** The variable an assignment writes. */
    String target(Plan.Assignment a) {
        return targets.get(a);
    }

    /**
     * The array field a backward assignment's variable is a local alias of, declared where the
     * backward pass first writes it; null when the assignment writes the field itself.
     */
    String aliasOf(Plan.Assignment a) {
        return aliases.get(a);
    }

    /** The field of an array. */
    String field(Buffers.Buffer buffer) {
        return bufferFields.get(buffer);
    }

    /** The private method that runs a line of the forward pass. */
    String method(Lines.Line line) {
        return lineMethods.get(line);
    }

    /**
     * Whether the assignment writes a field (kept between calls) rather than a local: arrays and
     * named scalars always; a scalar temporary when the backward pass or another line reads it.
     */
    boolean isField(Plan.Assignment a) {
        if (!a.node().shape().isScalar()) {
            return true;
        }
        return switch (a.role()) {
            case VALUE, STOP, GRADIENT -> true;
            case TEMPORARY -> plan.stored().contains(a.node()) || readAcrossLines.contains(a.node());
            case RECOMPUTED -> false;
        };
    }

    /** The variable holding a node's value, once an assignment has computed it; else null. */
    String of(Node node) {
        return nodeVariables.get(node);
    }

    /**
     * Forgets where the nodes the backward pass recomputes live, so that it computes them again
     * into variables of their own; returns what {@link #restore} puts back afterwards.
     */
    Map<Node, String> forgetRecomputed() {
        Map<Node, String> forgotten = new IdentityHashMap<>();
        for (Node node : plan.recomputed()) {
            String variable = nodeVariables.remove(node);
            if (variable != null) {
                forgotten.put(node, variable);
            }
        }
        return forgotten;
    }

    /** Makes the forward pass's variables current again after the backward pass. */
    void restore(Map<Node, String> forgotten) {
        nodeVariables.putAll(forgotten);
    }

    /** Records that a node's value now lives in {@code variable}, unless it already lives elsewhere. */
    void computed(Node node, String variable) {
        nodeVariables.putIfAbsent(node, variable);
    }
}
