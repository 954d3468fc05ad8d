package dev.modelc.codegen;

import com.palantir.javapoet.NameAllocator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.plan.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final NameAllocator names = new NameAllocator();
    private final Map<Node, String> nodeVariables = new HashMap<>();
    private final Map<Node, String> temporaries = new IdentityHashMap<>();
    private final Map<Node, String> recomputed = new IdentityHashMap<>();
    private final Plan plan;
    private final String className;

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
        int count = 0;
        for (List<Plan.Assignment> pass : List.of(plan.forward(), plan.backward())) {
            for (Plan.Assignment a : pass) {
                switch (a.role()) {
                    case STOP -> names.newName("stopCondition", tag(a));
                    case TEMPORARY -> temporaries.put(a.node(), names.newName("t" + (++count)));
                    case RECOMPUTED -> recomputed.put(a.node(),
                            names.newName(a.label() != null ? a.label() + "_recomputed" : "t" + (++count)));
                    case VALUE, GRADIENT -> {
                    }
                }
            }
        }
        for (ModelIr.InputSpec i : model.inputs()) {
            names.newName("bound_" + names.get("input:" + i.name()), "bound:" + i.name());
        }
        for (ModelIr.ParamSpec p : model.params()) {
            nodeVariables.put(p.node(), names.get("param:" + p.name()));
        }
        for (ModelIr.InputSpec i : model.inputs()) {
            nodeVariables.put(i.node(), names.get("input:" + i.name()));
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
                "SIGNATURE", "seed", "rng", "param", "index", "value", "learningRate", "stepCount",
                "steps", "buffer",
                // the optimizer's constants and the locals of step()
                "momentum", "dampening", "weightDecay", "beta1", "beta2", "eps", "alpha", "lrDecay",
                "initialAccumulatorValue", "clipNorm", "g", "dampened", "stepSize", "biasCorrection2Sqrt", "decay",
                "decayedRate", "sumOfSquares", "clipScale",
                "rows", "batchCapacity", "inputs", "outputs", "boundRows", "Predictor",
                "acc", "best", "bestIndex", "total", "k", "i", "size",
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

    /** The variable an assignment writes. */
    String target(Plan.Assignment a) {
        return switch (a.role()) {
            case TEMPORARY -> temporaries.get(a.node());
            case RECOMPUTED -> recomputed.get(a.node());
            default -> names.get(tag(a));
        };
    }

    /** Whether the assignment writes a field (kept between calls) rather than a local. */
    boolean isField(Plan.Assignment a) {
        if (!a.node().shape().isScalar()) {
            return true;
        }
        return switch (a.role()) {
            case VALUE, STOP, GRADIENT -> true;
            case TEMPORARY -> plan.stored().contains(a.node());
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
