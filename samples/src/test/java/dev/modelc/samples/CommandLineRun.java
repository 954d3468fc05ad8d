package dev.modelc.samples;

import dev.modelc.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

/** One run of the modelc command line through its real entry point, with what it printed. */
record CommandLineRun(int exitCode, String out, String err) {

    static CommandLineRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandLineRun(exitCode, out.toString(), err.toString());
    }

    /** The folder of the sample .model files, given to the tests by the build. */
    static Path samples() {
        String folder = System.getProperty("modelc.samples");
        if (folder == null) {
            throw new IllegalStateException("system property modelc.samples is not set; run the tests with Maven");
        }
        return Path.of(folder);
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    /** The rows of the iteration table, split into columns. */
    List<String[]> tableRows() {
        return out.lines().filter(line -> line.matches("\\s*\\d+\\s.*"))
                .map(line -> line.trim().split("\\s+")).toList();
    }

    /** Everything printed, for failure messages. */
    String transcript() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
