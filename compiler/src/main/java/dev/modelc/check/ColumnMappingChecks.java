package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.graph.DataSpec;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the columns a {@code csv} data clause maps to each input: {@code x = columns(0, 63)},
 * {@code y = "label"}, {@code ids = ["colour", "shape"]}, {@code t = last}. What can be known
 * without the file is checked here, at the mapping's line: the input exists, every input has
 * columns, names come with a header, and numbered columns are as many as the input takes.
 */
final class ColumnMappingChecks {
    static final String FORM = "x = columns(0, 63), y = \"label\"";
    private static final String COLUMN = "a column is a number from 0, a name in quotes (with `header = true`) or "
            + "`last`; `columns(first, last)` is a range of them, both included, and `[...]` a list";
    private final Diagnostics diagnostics;
    private final Map<String, Type> inputs;

    /** @param inputs the model's inputs and their types, in declaration order */
    ColumnMappingChecks(Diagnostics diagnostics, Map<String, Type> inputs) {
        this.diagnostics = diagnostics;
        this.inputs = inputs;
    }

    boolean isInput(String name) {
        return inputs.containsKey(name);
    }

    /**
     * The mappings in declaration order, or null after reporting what is wrong.
     *
     * @param given the arguments that name inputs, in the order written
     */
    List<DataSpec.Mapping> check(Ast.Call csv, List<Ast.Argument> given, boolean header, Ast.Argument label) {
        boolean ok = true;
        if (label != null) {
            diagnostics.error(label.span(), "`label` picks a column for the classic layout (the label feeds the "
                    + "second input, the rest the first); with inputs mapped by name, map the label's input too",
                    "write `" + FORM + "`");
            ok = false;
        }
        List<DataSpec.Mapping> mappings = new ArrayList<>();
        for (String input : inputs.keySet()) {
            Ast.Argument argument = given.stream().filter(a -> a.name().text().equals(input)).findFirst()
                    .orElse(null);
            if (argument == null) {
                diagnostics.error(csv.span(), "the data maps columns to some inputs but not to `" + input + "`",
                        "add its columns, e.g. `" + input + " = columns(0, 3)`");
                ok = false;
                continue;
            }
            List<ModelSignature.Range> ranges = ranges(argument.value(), header);
            if (ranges == null) {
                ok = false;
                continue;
            }
            ok &= fits(argument, ranges, inputs.get(input));
            mappings.add(new DataSpec.Mapping(input, ranges));
        }
        return ok ? mappings : null;
    }

    private List<ModelSignature.Range> ranges(Ast.Expr value, boolean header) {
        List<Ast.Expr> parts = value instanceof Ast.ListLiteral list ? list.elements() : List.of(value);
        if (parts.isEmpty()) {
            diagnostics.error(value.span(), "an input needs at least one column", COLUMN);
            return null;
        }
        List<ModelSignature.Range> ranges = new ArrayList<>();
        for (Ast.Expr part : parts) {
            ModelSignature.Range range = range(part, header);
            if (range == null) {
                return null;
            }
            ranges.add(range);
        }
        return ranges;
    }

    private ModelSignature.Range range(Ast.Expr part, boolean header) {
        if (part instanceof Ast.Call call && call.function().text().equals("columns")) {
            if (call.arguments().size() != 2 || call.arguments().stream().anyMatch(a -> a.name() != null)) {
                diagnostics.error(call.span(), "`columns` takes the first and the last column of a range",
                        "write e.g. `columns(0, 63)` or `columns(\"p0\", \"p63\")`");
                return null;
            }
            ModelSignature.Column first = column(call.arguments().get(0).value(), header);
            ModelSignature.Column last = column(call.arguments().get(1).value(), header);
            if (first == null || last == null) {
                return null;
            }
            if (isNumber(first) && isNumber(last) && first.index() > last.index()) {
                diagnostics.error(call.span(), "the range runs backwards: column " + first.index() + " comes after "
                        + "column " + last.index(), "write `columns(" + last.index() + ", " + first.index() + ")`");
                return null;
            }
            return new ModelSignature.Range(first, last);
        }
        ModelSignature.Column column = column(part, header);
        return column == null ? null : ModelSignature.Range.of(column);
    }

    private ModelSignature.Column column(Ast.Expr value, boolean header) {
        if (value instanceof Ast.Name name && name.name().equals("last")) {
            return ModelSignature.Column.LAST;
        }
        if (value instanceof Ast.Text text) {
            if (!header) {
                diagnostics.error(text.span(), "column \"" + text.value() + "\" is named, but the file has no header "
                        + "here", "add `header = true` when its first line names the columns, or number the column");
                return null;
            }
            if (text.value().isBlank()) {
                diagnostics.error(text.span(), "a column's name is empty");
                return null;
            }
            return ModelSignature.Column.named(text.value());
        }
        if (value instanceof Ast.Number number) {
            Long n = Numbers.integer(number, diagnostics);
            return n == null ? null : ModelSignature.Column.at((int) Math.min(n, Integer.MAX_VALUE));
        }
        diagnostics.error(value.span(), "not a column", COLUMN);
        return null;
    }

    private static boolean isNumber(ModelSignature.Column column) {
        return column.name() == null && !column.isLast();
    }

    /** Numbered columns must be as many as the input takes per row; names and `last` wait for the file. */
    private boolean fits(Ast.Argument argument, List<ModelSignature.Range> ranges, Type type) {
        if (type == null) {
            return true;
        }
        long count = 0;
        for (ModelSignature.Range range : ranges) {
            if (!isNumber(range.first()) || !isNumber(range.last())) {
                return true;
            }
            count += (long) range.last().index() - range.first().index() + 1;
        }
        long takes = type.shape().sizeWithoutBatch();
        if (count != takes) {
            diagnostics.error(argument.value().span(), "input `" + argument.name().text() + "` takes " + takes
                    + (takes == 1 ? " value" : " values") + " per row (" + type + "), but "
                    + (count == 1 ? "1 column is" : count + " columns are") + " mapped to it",
                    "map " + takes + (takes == 1 ? " column" : " columns") + ", or change its shape");
            return false;
        }
        return true;
    }
}
