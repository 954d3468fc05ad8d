package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.report.GraphDot;
import dev.modelc.runtime.checkpoint.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Draw the computation graph: values as boxes, operations as circles. Writes DOT; .svg "
                + "and .png are drawn by Graphviz `dot` when installed.")
final class GraphCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ModelFileOptions model;

    @CommandLine.Mixin
    MemoryOptions memory;

    @CommandLine.Option(names = "--backward",
            description = "draw the backward graph beside the forward one, linked to the forward values it reads")
    boolean backward;

    @CommandLine.Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "write to FILE, as DOT (.dot, .gv), SVG (.svg) or PNG (.png); "
                    + "default: DOT on standard output")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed, IOException {
        String format = output == null ? "dot" : format(output);
        ModelCompiler.Result result = model.compile(spec.commandLine().getErr(), memory.budget);
        String dot = backward ? GraphDot.withBackward(result) : GraphDot.forward(result);
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(dot);
            out.flush();
            return 0;
        }
        new RunFiles().reads("the model file", model.file).writes("-o", output, RunFiles.Way.REPLACED).check();
        try {
            byte[] bytes = format.equals("dot") ? dot.getBytes(StandardCharsets.UTF_8) : Graphviz.render(dot, format);
            AtomicFile.write(output, bytes);
        } catch (IOException e) {
            throw RunFiles.cannotWrite("-o", output, e);
        }
        spec.commandLine().getErr().println("wrote " + output);
        return 0;
    }

    /** The format the file name asks for: dot, svg or png. */
    private static String format(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        return switch (extension) {
            case "dot", "gv" -> "dot";
            case "svg", "png" -> extension;
            default -> throw new Failures.UserError("-o " + file + ": name the file .dot, .gv, .svg or .png "
                    + "to choose the format");
        };
    }
}
