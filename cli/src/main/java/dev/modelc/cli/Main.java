package dev.modelc.cli;

import dev.modelc.runtime.HeapSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code modelc} command: compiles .model files and trains them. */
@Command(name = "modelc",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Compiles model and loss definitions (.model files) into Java training code.",
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

    /**
     * The subcommands in the order help lists them. Picocli reflects over every option of every
     * subcommand it is given, which costs more than a check itself: a run builds only the one it runs.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("compile", CompileCommand::new);
        COMMANDS.put("train", TrainCommand::new);
        COMMANDS.put("predict", PredictCommand::new);
        COMMANDS.put("eval", EvalCommand::new);
        COMMANDS.put("sweep", SweepCommand::new);
        COMMANDS.put("grad", GradCommand::new);
        COMMANDS.put("gradcheck", GradcheckCommand::new);
        COMMANDS.put("graph", GraphCommand::new);
        COMMANDS.put("memory", MemoryCommand::new);
        COMMANDS.put("completion", CompletionCommand::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return execute(commandLine(args, out, err), args);
    }

    /** The command line with every subcommand and its failure handlers, before it runs. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(new String[0], out, err);
    }

    /** The command line for {@code args} with its failure handlers, before it runs. */
    static CommandLine commandLine(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(args)
                .setOut(ShownText.out(out))
                .setErr(ShownText.err(err))
                .setExecutionExceptionHandler(new Failures())
                .setParameterExceptionHandler(Failures::usage);
    }

    /** Runs it; an error thrown past picocli (say a stack overflow) is an internal error too. */
    static int execute(CommandLine commandLine, String[] args) {
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            // Whatever ran out is unreachable now; there is room to say what to do.
            commandLine.getErr().println("modelc: error: out of memory: " + HeapSize.advice());
            commandLine.getErr().flush();
            return BAD_INPUT;
        } catch (StackOverflowError | AssertionError | LinkageError e) {
            return Failures.internalError(e, commandLine, commandLine.getParseResult());
        }
    }

    /** The command line with every subcommand. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for {@code args}: with only the subcommand they name (their first word
     * that is not an option), or every one when they name none.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine commandLine = new CommandLine(new Main());
        String named = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        if (COMMANDS.containsKey(named) && !named.equals("help")) {
            commandLine.addSubcommand(named, COMMANDS.get(named).get());
        } else {
            COMMANDS.forEach((name, command) -> commandLine.addSubcommand(name, command.get()));
        }
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version the build wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"modelc " + number()};
        }

        static String number() {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                return "(version unreadable: " + e.getMessage() + ")";
            }
            return properties.getProperty("version", "(version unknown)");
        }
    }
}
