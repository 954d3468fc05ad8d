package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
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
        if (e instanceof UserError || e instanceof SparkBackend.UserError || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof ModelCompiler.NotEnoughMemory) {
            error(err, e.getMessage());
            return Main.BAD_INPUT;
        }
        return internalError(e, commandLine, parseResult);
    }

    /** Prints a user error's one line, as every command words it. */
    static void error(PrintWriter err, String message) {
        err.println("modelc: error: " + message);
        err.flush();
    }

    /**
     * A bug in modelc, whatever the input: one line saying so with the command that reproduces it
     * for a report, exit code 3; the stack trace only under {@code --debug}.
     */
    static int internalError(Throwable e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean debug = debugRequested(parseResult);
        List<String> args = parseResult == null ? List.of() : parseResult.originalArgs();
        String what = String.valueOf(e).lines().findFirst().orElse(e.getClass().getName());
        err.println("modelc: internal error (a bug in modelc): " + what + "; to report it, send the model with "
                + (debug ? "this output" : "the output of: modelc --debug" + shellWords(args)));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return Main.INTERNAL_ERROR;
    }

    /** The arguments as a shell would need them typed, each after a space. */
    static String shellWords(List<String> args) {
        StringBuilder words = new StringBuilder();
        for (String arg : args) {
            boolean plain = arg.matches("[A-Za-z0-9_./=,:@%+-]+");
            words.append(' ').append(plain ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return words.toString();
    }

    private static boolean debugRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
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
