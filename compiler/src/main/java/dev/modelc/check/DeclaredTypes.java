package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.graph.Shape;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns declared types ({@code [batch, 64]}, {@code int[batch]}) into {@link Type}s within the limits. */
final class DeclaredTypes {
    /** The most elements one declared dimension may have. */
    static final long MAX_DIM = 1 << 24;
    /** The most elements a value may have, apart from the batch dimension. */
    static final long MAX_ELEMENTS = 1 << 28;

    private final Diagnostics diagnostics;

    DeclaredTypes(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The type, or null after reporting what is wrong. {@code batchAllowed} only for inputs. */
    Type resolve(Ast.TypeRef ref, String name, boolean batchAllowed) {
        List<Integer> dims = new ArrayList<>();
        boolean ok = true;
        long elements = 1;
        for (int i = 0; i < ref.dims().size(); i++) {
            Ast.Dim dim = ref.dims().get(i);
            if (dim instanceof Ast.SymbolDim symbol) {
                ok &= symbolic(symbol, name, batchAllowed, i, ref);
                dims.add(Shape.BATCH);
                continue;
            }
            Long size = size((Ast.SizeDim) dim);
            if (size == null) {
                ok = false;
                continue;
            }
            elements *= size;
            if (elements > MAX_ELEMENTS) {
                boolean perRow = ref.dims().stream().anyMatch(Ast.SymbolDim.class::isInstance);
                diagnostics.error(ref.span(), "`" + name + "` would have more than "
                        + String.format(Locale.ROOT, "%,d", MAX_ELEMENTS) + " elements"
                        + (perRow ? " per batch row" : "") + ", the most modelc supports");
                return null;
            }
            dims.add(size.intValue());
        }
        return ok ? new Type(ref.element() == Ast.TypeRef.ElementType.INT, new Shape(dims)) : null;
    }

    private boolean symbolic(Ast.SymbolDim symbol, String name, boolean batchAllowed, int position,
                             Ast.TypeRef ref) {
        if (!symbol.name().equals("batch")) {
            boolean typo = Suggestions.closest(symbol.name(), List.of("batch")) != null;
            diagnostics.error(symbol.span(), "unknown dimension `" + symbol.name() + "`", typo
                    ? "did you mean `batch`?" : "dimensions are whole numbers, or `batch` for the rows of an input");
            return false;
        }
        if (!batchAllowed) {
            diagnostics.error(symbol.span(), "param `" + name + "` cannot have the batch dimension",
                    "only inputs grow with the batch; a param's shape is fixed");
            return false;
        }
        if (position != 0) {
            diagnostics.error(symbol.span(), "`batch` must be the first dimension of `" + name + "`",
                    "declare the rows first, as in `" + batchFirst(ref) + "`, and write `transpose(" + name
                            + ")` where the rows are needed as columns");
            return false;
        }
        return true;
    }

    /** The declared dimensions as written, `batch` moved to the front. */
    private static String batchFirst(Ast.TypeRef ref) {
        List<String> dims = new ArrayList<>();
        dims.add("batch");
        for (Ast.Dim dim : ref.dims()) {
            if (dim instanceof Ast.SizeDim size) {
                dims.add(size.text());
            } else if (!((Ast.SymbolDim) dim).name().equals("batch")) {
                dims.add(((Ast.SymbolDim) dim).name());
            }
        }
        return (ref.element() == Ast.TypeRef.ElementType.INT ? "int" : "") + "[" + String.join(", ", dims) + "]";
    }

    private Long size(Ast.SizeDim dim) {
        String text = dim.text();
        if (!text.chars().allMatch(Character::isDigit)) {
            diagnostics.error(dim.span(), "a dimension must be a whole number, got `" + text + "`");
            return null;
        }
        if (text.length() > 9 || Long.parseLong(text) > MAX_DIM) {
            diagnostics.error(dim.span(), "dimension " + text + " is larger than " + MAX_DIM + ", the most modelc supports");
            return null;
        }
        long size = Long.parseLong(text);
        if (size == 0) {
            diagnostics.error(dim.span(), "a dimension must be at least 1");
            return null;
        }
        return size;
    }
}
