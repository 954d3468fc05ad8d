package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/** Maps failures to messages and exit codes: diagnostics for user errors, never a stack trace. */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    /** A user error already explained in its message, such as a file that cannot be read. */
    static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message);
        }
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof CompilationFailed failed) {
            err.print(failed.diagnostics().render());
            err.flush();
            return Main.BAD_INPUT;
        }
        if (e instanceof UserError || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof ModelCompiler.NotEnoughMemory) {
            err.println("modelc: error: " + e.getMessage());
            err.flush();
            return Main.BAD_INPUT;
        }
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        err.println("modelc: internal error: " + e);
        err.println("This is a bug in modelc; please report it with the model that caused it.");
        err.print(trace);
        err.flush();
        return Main.RUN_FAILED;
    }

    /** Bad flags: the message, a pointer to --help, exit code 2. */
    static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("modelc: error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return Main.BAD_INPUT;
    }
}
