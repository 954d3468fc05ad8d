package dev.modelc.check;

import dev.modelc.check.TrainTables.Kind;
import dev.modelc.check.TrainTables.Parameter;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/** Checks the named arguments of an optimizer or a schedule against its row of {@link TrainTables}. */
final class SettingArguments {

    /** Every parameter's value, defaults filled in, and the milestones when the setting takes them. */
    record Values(Map<String, Double> numbers, List<Long> milestones) {
    }

    private final Diagnostics diagnostics;
    private final String noun;

    /** {@code noun} is what the arguments are called in messages: "hyperparameter" or "parameter". */
    SettingArguments(Diagnostics diagnostics, String noun) {
        this.diagnostics = diagnostics;
        this.noun = noun;
    }

    /** The values of {@code setting(arguments...)}; null after reporting what is wrong with them. */
    Values check(Ast.Ident setting, List<Ast.Argument> arguments, List<Parameter> table) {
        Map<String, Double> numbers = new LinkedHashMap<>();
        List<Long> milestones = List.of();
        Set<String> given = new HashSet<>();
        boolean ok = true;
        for (Ast.Argument argument : arguments) {
            Parameter parameter = parameter(setting.text(), argument, table, given);
            if (parameter == null) {
                ok = false;
            } else if (parameter.kind() == Kind.MILESTONES) {
                List<Long> steps = milestones(parameter, argument.value());
                ok &= steps != null;
                milestones = steps == null ? milestones : steps;
            } else {
                Double value = value(parameter, argument.value());
                if (value == null) {
                    ok = false;
                } else {
                    numbers.put(parameter.name(), value);
                }
            }
        }
        for (Parameter parameter : table) {
            if (given.contains(parameter.name())) {
                continue;
            }
            if (parameter.required()) {
                String example = parameter.name() + " = " + parameter.example();
                diagnostics.error(setting.span(), "`" + setting.text() + "` needs `" + parameter.name() + "`",
                        "give it, as in `" + setting.text() + "(" + example + ")`");
                ok = false;
            } else if (parameter.defaultValue() != null) {
                numbers.put(parameter.name(), parameter.defaultValue());
            }
        }
        return ok ? new Values(numbers, milestones) : null;
    }

    /** The parameter an argument names; null after reporting an unnamed, unknown or repeated one. */
    private Parameter parameter(String setting, Ast.Argument argument, List<Parameter> table, Set<String> given) {
        if (table.isEmpty()) {
            diagnostics.error(argument.span(), "`" + setting + "` takes no " + noun + "s", "write `" + setting + "`");
            return null;
        }
        if (argument.name() == null) {
            Parameter first = table.get(0);
            diagnostics.error(argument.span(), "name the " + noun + ", as in `" + setting + "(" + first.name() + " = "
                    + first.example() + ")`");
            return null;
        }
        String key = argument.name().text();
        Parameter parameter = table.stream().filter(p -> p.name().equals(key)).findFirst().orElse(null);
        if (parameter == null) {
            List<String> names = table.stream().map(Parameter::name).toList();
            String suggestion = Suggestions.closest(key, names);
            String help = TrainTables.RENAMED.containsKey(key) ? TrainTables.RENAMED.get(key)
                    : suggestion != null ? "did you mean `" + suggestion + "`?"
                    : "`" + setting + "` takes `" + String.join("`, `", names) + "`";
            diagnostics.error(argument.name().span(), "`" + setting + "` has no " + noun + " `" + key + "`", help);
            return null;
        }
        if (!given.add(key)) {
            diagnostics.error(argument.name().span(), "`" + key + "` is given twice", "keep only one of them");
            return null;
        }
        return parameter;
    }

    private Double value(Parameter parameter, Ast.Expr expr) {
        if (parameter.kind() == Kind.FLAG) {
            return flag(parameter, expr);
        }
        Double value = constant(parameter.name(), expr);
        if (value != null && !parameter.kind().accepts(value)) {
            diagnostics.error(expr.span(), "`" + parameter.name() + "` " + parameter.kind().requirement + ", got "
                    + TrainTables.number(value));
            return null;
        }
        return value;
    }

    private Double flag(Parameter parameter, Ast.Expr expr) {
        if (expr instanceof Ast.Name name && (name.name().equals("true") || name.name().equals("false"))) {
            return name.name().equals("true") ? 1.0 : 0.0;
        }
        diagnostics.error(expr.span(), "`" + parameter.name() + "` " + Kind.FLAG.requirement,
                "write `" + parameter.name() + " = true`");
        return null;
    }

    /** A finite constant; null after reporting why the expression is not one. */
    private Double constant(String name, Ast.Expr expr) {
        int errorsBefore = diagnostics.errorCount();
        OptionalDouble value = ConstantExpressions.evaluate(expr, diagnostics);
        if (diagnostics.errorCount() > errorsBefore) {
            return null; // a literal out of range, already reported
        }
        if (value.isEmpty()) {
            diagnostics.error(expr.span(), "`" + name + "` must be a constant number",
                    noun + "s are fixed before training starts; write a number, as in `" + name + " = 0.1`");
            return null;
        }
        if (!Double.isFinite(value.getAsDouble())) {
            diagnostics.error(expr.span(), "`" + name + "` must be a finite number");
            return null;
        }
        return value.getAsDouble();
    }

    private List<Long> milestones(Parameter parameter, Ast.Expr expr) {
        String help = "write the steps in brackets, as in `" + parameter.name() + " = " + parameter.example() + "`";
        if (!(expr instanceof Ast.ListLiteral list) || list.elements().isEmpty()) {
            diagnostics.error(expr.span(), "`" + parameter.name() + "` " + Kind.MILESTONES.requirement, help);
            return null;
        }
        List<Long> steps = new ArrayList<>();
        for (Ast.Expr element : list.elements()) {
            Double value = constant(parameter.name(), element);
            if (value == null) {
                return null;
            }
            if (!Kind.MILESTONES.accepts(value)) {
                diagnostics.error(element.span(), "a milestone is an update's number, a whole number of at least 1;"
                        + " got " + TrainTables.number(value));
                return null;
            }
            if (!steps.isEmpty() && value <= steps.get(steps.size() - 1)) {
                diagnostics.error(element.span(), "milestones must increase, but " + TrainTables.number(value)
                        + " comes after " + steps.get(steps.size() - 1),
                        "list them in the order training reaches them");
                return null;
            }
            steps.add((long) (double) value);
        }
        return List.copyOf(steps);
    }
}
