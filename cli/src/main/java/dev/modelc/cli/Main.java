package dev.modelc.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code modelc} command: compiles .model files and trains them. */
@Command(name = "modelc",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Compiles model and loss definitions (.model files) into Java training code.",
        subcommands = {CheckCommand.class, CompileCommand.class, TrainCommand.class, SweepCommand.class,
                GradCommand.class, GradcheckCommand.class, GraphCommand.class, MemoryCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success; 1 the run failed (diverged, or a gradient check failed);",
                "2 bad input (model, flags, files); 3 an internal error, a bug in modelc."})
public final class Main implements Runnable {
    /** Exit code when a run fails: training diverged, a check found a mismatch. */
    public static final int RUN_FAILED = 1;
    /** Exit code for bad input of any kind, always with a diagnostic. */
    public static final int BAD_INPUT = 2;
    /** Exit code for an internal error: a bug in modelc, whatever the input. */
    public static final int INTERNAL_ERROR = 3;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of a bug in modelc (exit code 3).")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return execute(commandLine(out, err), args);
    }

    /** The command line with its failure handlers, before it runs. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(new Failures())
                .setParameterExceptionHandler(Failures::usage);
    }

    /** Runs it; an error thrown past picocli (say a stack overflow) is an internal error too. */
    static int execute(CommandLine commandLine, String[] args) {
        try {
            return commandLine.execute(args);
        } catch (StackOverflowError | AssertionError | LinkageError e) {
            return Failures.internalError(e, commandLine, commandLine.getParseResult());
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"modelc " + (version == null ? "development" : version)};
        }
    }
}
