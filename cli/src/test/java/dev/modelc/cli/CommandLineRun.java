package dev.modelc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

/** One run of {@link Main#run} with what it printed on each stream. */
record CommandLineRun(int exitCode, String out, String err) {

    static CommandLineRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandLineRun(exitCode, out.toString(), err.toString());
    }

    /** The seed example, {@code samples/quadratic.model}, as a command-line argument. */
    static String quadratic() {
        return sample("quadratic.model");
    }

    /** {@code samples/<fileName>} as a command-line argument. */
    static String sample(String fileName) {
        String folder = System.getProperty("modelc.samples");
        if (folder == null) {
            throw new IllegalStateException("system property modelc.samples is not set; run the tests with Maven");
        }
        return Path.of(folder, fileName).toString();
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
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
