package dev.modelc.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gradients as {@code modelc grad} prints them: a sub-expression the printed formulas write
 * out more than once is printed once, named, and used by its name:
 *
 * <pre>
 * t1 = 1 / f
 * dg/da = (-10 * (t1 / f) + 0.5) * e
 * </pre>
 *
 * The largest repeated part is named first, then the text is counted again, until nothing
 * repeats; the terms are listed so that each comes after the ones it uses. Names are
 * {@code t1}, {@code t2}, ..., skipping any the model uses itself.
 */
public final class SharedTerms {
    /** A term that prints as a name or a number, negated or not, reads as well as a name for it. */
    private static final Pattern ATOM = Pattern.compile("-?([\\p{L}_][\\p{L}\\p{N}_]*|[0-9][0-9.e+-]*)");

    private SharedTerms() {
    }

    /** One line per shared term, then one per gradient: {@code dJ/dx = ...}. */
    public static List<String> gradientFormulas(ModelIr model) {
        Map<Node, String> names = new HashMap<>();
        model.values().forEach(v -> names.putIfAbsent(v.node(), v.name()));
        Set<Node> terms = new HashSet<>();
        Set<Node> atoms = new HashSet<>();
        while (true) {
            Map<Node, Integer> written = new LinkedHashMap<>();
            for (Node node : formulas(model, terms)) {
                print(node, names, terms, n -> written.merge(n, 1, Integer::sum));
            }
            Node largest = written.entrySet().stream()
                    .filter(e -> e.getValue() >= 2 && !terms.contains(e.getKey()) && !atoms.contains(e.getKey()))
                    .map(Map.Entry::getKey).max(Comparator.comparingInt(SharedTerms::size)).orElse(null);
            if (largest == null) {
                break;
            }
            if (ATOM.matcher(print(largest, names, terms, n -> { })).matches()) {
                atoms.add(largest);
            } else {
                terms.add(largest);
            }
        }
        return lines(model, names, terms);
    }

    /** The nodes printed on lines of their own: the gradients and the terms. */
    private static List<Node> formulas(ModelIr model, Set<Node> terms) {
        List<Node> formulas = new ArrayList<>(model.gradients().values());
        formulas.addAll(terms);
        return formulas;
    }

    private static List<String> lines(ModelIr model, Map<Node, String> names, Set<Node> terms) {
        Set<String> taken = new HashSet<>(names.values());
        model.params().forEach(p -> taken.add(p.name()));
        model.inputs().forEach(i -> taken.add(i.name()));
        Map<Node, String> named = new LinkedHashMap<>();
        int counter = 0;
        for (Node node : innerFirst(model, terms)) {
            String name;
            do {
                name = "t" + ++counter;
            } while (taken.contains(name));
            named.put(node, name);
        }
        List<String> lines = new ArrayList<>();
        Map<Node, String> all = new HashMap<>(names);
        all.putAll(named);
        named.forEach((node, name) -> lines.add(name + " = " + ExpressionPrinter.print(node,
                n -> n == node ? null : all.get(n))));
        String loss = model.loss().name();
        model.gradients().forEach((param, node) -> lines.add("d" + loss + "/d" + param + " = "
                + (named.containsKey(node) ? named.get(node) : ExpressionPrinter.print(node,
                n -> n == node ? null : all.get(n)))));
        return lines;
    }

    /** The terms in the order the gradients first reach them, each after the terms inside it. */
    private static List<Node> innerFirst(ModelIr model, Set<Node> terms) {
        List<Node> order = new ArrayList<>();
        Set<Node> seen = new HashSet<>();
        for (Node gradient : model.gradients().values()) {
            visit(gradient, terms, seen, order);
        }
        return order;
    }

    private static void visit(Node node, Set<Node> terms, Set<Node> seen, List<Node> order) {
        if (!seen.add(node) || node.inputs().isEmpty()) {
            return;
        }
        for (Node input : node.inputs()) {
            visit(input, terms, seen, order);
        }
        if (terms.contains(node)) {
            order.add(node);
        }
    }

    private static String print(Node node, Map<Node, String> names, Set<Node> terms,
                                java.util.function.Consumer<Node> written) {
        return ExpressionPrinter.print(node, n -> n == node ? null : terms.contains(n) ? "t" : names.get(n),
                written);
    }

    /** Nodes below {@code node}, counting shared ones once: which of two repeated parts holds the other. */
    private static int size(Node node) {
        Set<Node> seen = new HashSet<>();
        List<Node> stack = new ArrayList<>(List.of(node));
        while (!stack.isEmpty()) {
            Node next = stack.remove(stack.size() - 1);
            if (seen.add(next)) {
                stack.addAll(next.inputs());
            }
        }
        return seen.size();
    }
}
