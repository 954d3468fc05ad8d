package dev.modelc;

import dev.modelc.codegen.InMemoryCompiler;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.diagnostics.Span;
import dev.modelc.syntax.Ast;

/**
 * The diagnostic for a model whose generated class javac refuses for its size, such as a method
 * beyond the JVM's 64 KiB of bytecode: reported at the loss, which every generated method serves.
 */
final class TooLarge {
    private TooLarge() {
    }

    static Diagnostics diagnose(SourceFile source, Ast.Program ast, InMemoryCompiler.GeneratedCodeTooLarge refused) {
        Diagnostics diagnostics = new Diagnostics(source);
        String model = "model `" + ast.name().text() + "`";
        String message = refused.method()
                .map(method -> model + " is too large for one generated Java method: javac refuses `" + method
                        + "()` (" + refused.reason() + "; the JVM allows 64 KiB of bytecode in a method)")
                .orElse(model + " is too large for one generated Java class: javac refuses it ("
                        + refused.reason() + ")");
        diagnostics.error(place(ast), message, "use fewer, larger tensor operations: a param `w : [n]` in place "
                + "of n scalar params, one expression over a tensor in place of n scalar definitions");
        return diagnostics;
    }

    /** The loss's name, or the model's name when there is no loss. */
    private static Span place(Ast.Program ast) {
        return ast.declarations().stream()
                .filter(d -> d instanceof Ast.Definition definition && definition.kind() == Ast.Definition.Kind.LOSS)
                .map(d -> d.name().span()).findFirst().orElse(ast.name().span());
    }
}
