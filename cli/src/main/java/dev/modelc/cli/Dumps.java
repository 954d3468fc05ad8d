package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.graph.IrPrinter;

/** The text dump of one pipeline stage. */
final class Dumps {
    private Dumps() {
    }

    static String of(ModelCompiler.Result result, CompileCommand.Stage stage) {
        return switch (stage) {
            case ir -> "== ir\n" + IrPrinter.forward(result.lowered());
            case grad -> "== grad\n" + IrPrinter.withGradients(result.simplified());
            case java -> "== java\n" + result.javaSource();
        };
    }
}
