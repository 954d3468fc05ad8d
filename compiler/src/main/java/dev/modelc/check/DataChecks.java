package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.graph.DataSpec;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Checks {@code data csv("file", label = last, skip = 1, test = 0.2, standardize = true)} (and
 * hands {@code data idx(...)} to {@link IdxChecks}), and
 * its other form, which maps columns to each input:
 * {@code data csv("file", header = true, x = columns("p0", "p63"), y = "label")}.
 */
final class DataChecks {
    private static final Set<String> OPTIONS = Set.of("label", "skip", "test", "standardize", "header");
    private static final String FORM = "data csv(\"file.csv\", label = last, skip = 0, test = 0.2, standardize = false, "
            + "header = false)";
    private final Diagnostics diagnostics;
    private final ColumnMappingChecks mappings;
    private final IdxChecks idx;

    /** @param inputs the model's inputs and their types, in declaration order */
    DataChecks(Diagnostics diagnostics, Map<String, Type> inputs) {
        this.diagnostics = diagnostics;
        this.mappings = new ColumnMappingChecks(diagnostics, inputs);
        this.idx = new IdxChecks(diagnostics, inputs);
    }

    /** The data source, or null after reporting what is wrong. */
    DataSpec check(Ast.DataItem item) {
        if (item.source() instanceof Ast.Call call && call.function().text().equals("idx")) {
            return idx.check(call);
        }
        if (!(item.source() instanceof Ast.Call call) || !call.function().text().equals("csv")) {
            diagnostics.error(item.source().span(), "data comes from a CSV file or from IDX files", "write `" + FORM
                    + "` or `" + IdxChecks.FORM + "`");
            return null;
        }
        if (call.arguments().isEmpty() || call.arguments().get(0).name() != null
                || !(call.arguments().get(0).value() instanceof Ast.Text path)) {
            diagnostics.error(call.span(), "`csv` needs the file name first, as a string", "write `" + FORM + "`");
            return null;
        }
        if (path.value().isBlank()) {
            diagnostics.error(path.span(), "the file name is empty");
            return null;
        }
        int label = DataSpec.LAST;
        int skip = 0;
        double test = 0;
        boolean standardize = false;
        boolean header = false;
        Ast.Argument labelArgument = null;
        List<Ast.Argument> mapped = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean ok = true;
        for (Ast.Argument argument : call.arguments().subList(1, call.arguments().size())) {
            boolean option = argument.name() != null && OPTIONS.contains(argument.name().text());
            if (argument.name() == null || !option && !mappings.isInput(argument.name().text())) {
                diagnostics.error(argument.span(), argument.name() == null ? "`csv` takes the file name alone "
                        + "without a name" : "`" + argument.name().text() + "` is neither an option of `csv` (label, "
                        + "skip, test, standardize, header) nor an input of the model", "write `" + FORM + "`, or map "
                        + "columns to inputs: `" + ColumnMappingChecks.FORM + "`");
                ok = false;
                continue;
            }
            String key = argument.name().text();
            if (!seen.add(key)) {
                diagnostics.error(argument.name().span(), (option ? "option `" : "input `") + key
                        + "` is given twice");
                ok = false;
                continue;
            }
            switch (option ? key : "input") {
                case "label" -> {
                    label = label(argument.value());
                    labelArgument = argument;
                }
                case "skip" -> skip = (int) wholeNumber(argument.value(), "skip");
                case "test" -> test = fraction(argument.value());
                case "header" -> header = bool(argument.value(), "header");
                case "input" -> mapped.add(argument);
                default -> standardize = bool(argument.value(), "standardize");
            }
        }
        List<DataSpec.Mapping> columns = mapped.isEmpty() ? List.of()
                : mappings.check(call, mapped, header, labelArgument);
        return ok && columns != null && label >= -1 && skip >= 0 && test >= 0
                ? new DataSpec(path.value(), label, skip, test, standardize, header, columns) : null;
    }

    private int label(Ast.Expr value) {
        if (value instanceof Ast.Name name && name.name().equals("last")) {
            return DataSpec.LAST;
        }
        long column = wholeNumber(value, "label");
        return column > Integer.MAX_VALUE ? -2 : (int) column;
    }

    private long wholeNumber(Ast.Expr value, String key) {
        Long n = value instanceof Ast.Number number ? Numbers.integer(number, diagnostics) : null;
        if (n == null) {
            if (!(value instanceof Ast.Number)) {
                diagnostics.error(value.span(), "`" + key + "` must be a whole number"
                        + (key.equals("label") ? " (a column, from 0) or `last`" : ""));
            }
            return -2;
        }
        return Math.min(n, Integer.MAX_VALUE);
    }

    private double fraction(Ast.Expr value) {
        OptionalDouble v = ConstantExpressions.evaluate(value, diagnostics);
        if (v.isEmpty() || !(v.getAsDouble() >= 0 && v.getAsDouble() < 1)) {
            diagnostics.error(value.span(), "`test` is the fraction of rows held out: at least 0 and below 1");
            return -1;
        }
        return v.getAsDouble();
    }

    private boolean bool(Ast.Expr value, String key) {
        if (value instanceof Ast.Name name && (name.name().equals("true") || name.name().equals("false"))) {
            return name.name().equals("true");
        }
        diagnostics.error(value.span(), "`" + key + "` is `true` or `false`");
        return false;
    }
}
