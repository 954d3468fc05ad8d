package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelc graph}: DOT on standard output or in a file, SVG and PNG through Graphviz. */
class GraphCommandTest {
    private static final Pattern NODE = Pattern.compile("^\\s+(\\w+) \\[label=\"([^\"]*)\"", Pattern.MULTILINE);
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\w+) -> (\\w+)(.*);$", Pattern.MULTILINE);

    @TempDir
    Path folder;

    @Test
    void drawsTheForwardGraphOfTheDigitsMlpAsDot() {
        CommandLineRun run = CommandLineRun.of("graph", CommandLineRun.sample("digits_mlp.model"));
        assertEquals(0, run.exitCode(), run.transcript());
        String dot = run.out();
        assertTrue(dot.startsWith("digraph \"DigitsMlp\" {\n") && dot.endsWith("}\n"), dot);
        Set<String> labels = labels(dot);
        assertTrue(labels.containsAll(List.of("x", "y", "W1", "b1", "W2", "b2", "h", "logits", "L", "accuracy", "@",
                "relu", "+")), labels.toString());
        // Params, inputs and the loss each look different.
        assertTrue(dot.contains("[label=\"W1\", shape=box, style=filled, fillcolor=\"#dae8fc\"]"), dot);
        assertTrue(dot.contains("[label=\"x\", shape=box, style=filled, fillcolor=\"#fff2cc\"]"), dot);
        assertTrue(dot.contains("[label=\"L\", shape=box, style=filled, fillcolor=\"#f8cecc\", peripheries=2]"), dot);
        // x [batch, 64] and W1 [64, 128] flow into the same matrix product.
        String product = "(?s).*v0 -> (o\\d+) \\[label=\"\\[batch, 64]\"];\\n  v1 -> \\1 \\[label=\"\\[64, 128]\"].*";
        assertTrue(dot.matches(product), dot);
        assertEveryEdgeJoinsDeclaredNodes(dot);
        assertFalse(dot.contains("cluster_backward"));
    }

    @Test
    void theBackwardGraphReadsTheStoredValuesAlongDashedEdges() {
        CommandLineRun run = CommandLineRun.of("graph", CommandLineRun.sample("digits_mlp.model"), "--backward");
        assertEquals(0, run.exitCode(), run.transcript());
        String dot = run.out();
        assertTrue(dot.contains("subgraph cluster_forward {") && dot.contains("subgraph cluster_backward {"), dot);
        assertTrue(labels(dot).containsAll(List.of("dL/dW1", "dL/db1", "dL/dW2", "dL/db2")));
        // Stored: x @ W1 + b1, h, the output probs and 1 / batch; each has a bold border.
        assertEquals(4, count(dot, "penwidth=2"), dot);
        Matcher edge = EDGE.matcher(dot);
        int dashed = 0;
        while (edge.find()) {
            if (edge.group(3).contains("style=dashed")) {
                dashed++;
                assertTrue(edge.group(1).startsWith("v") && edge.group(2).startsWith("o"),
                        "a dashed edge runs from a forward value to a backward operation: " + edge.group());
            }
        }
        assertTrue(dashed >= 5, dot);
        assertEveryEdgeJoinsDeclaredNodes(dot);
    }

    @Test
    void writesTheSameDotIntoAFile() throws IOException {
        Path file = folder.resolve("g.dot");
        CommandLineRun run = CommandLineRun.of("graph", CommandLineRun.quadratic(), "--backward", "-o",
                file.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("wrote " + file + "\n", run.err().replace("\r\n", "\n"));
        String printed = CommandLineRun.of("graph", CommandLineRun.quadratic(), "--backward").out();
        assertEquals(printed, Files.readString(file, StandardCharsets.UTF_8));
        try (var files = Files.list(folder)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void drawsSvgWithGraphvizWhenItIsInstalled() throws IOException {
        boolean present = graphvizInstalled();
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install graphviz for this test");
        }
        assumeTrue(present, "Graphviz `dot` is not installed");
        Path file = folder.resolve("digits.svg");
        CommandLineRun run = CommandLineRun.of("graph", CommandLineRun.sample("digits_mlp.model"), "-o",
                file.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        String svg = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(svg.contains("<svg") && svg.contains("DigitsMlp (digits_mlp.model)") && svg.contains(">logits<"),
                svg);
    }

    @Test
    void withoutGraphvizSaysHowToInstallIt() {
        Path file = folder.resolve("g.png");
        System.setProperty("modelc.dot", folder.resolve("no-such-program").toString());
        try {
            CommandLineRun run = CommandLineRun.of("graph", CommandLineRun.quadratic(), "-o", file.toString());
            assertEquals(2, run.exitCode(), run.transcript());
            assertTrue(run.err().contains("apt-get install graphviz") && run.err().contains("-o FILE.dot"),
                    run.transcript());
            assertFalse(run.err().contains("Exception"), run.transcript());
            assertFalse(Files.exists(file));
        } finally {
            System.clearProperty("modelc.dot");
        }
    }

    @Test
    void anUnknownFileTypeIsBadInput() {
        CommandLineRun run = CommandLineRun.of("graph", CommandLineRun.quadratic(), "-o",
                folder.resolve("g.jpg").toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("name the file .dot, .gv, .svg or .png"), run.transcript());
        assertEquals("", run.out());
    }

    private static boolean graphvizInstalled() {
        try {
            Process process = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Set<String> labels(String dot) {
        Set<String> labels = new HashSet<>();
        Matcher node = NODE.matcher(dot);
        while (node.find()) {
            labels.add(node.group(2));
        }
        return labels;
    }

    private static void assertEveryEdgeJoinsDeclaredNodes(String dot) {
        Set<String> declared = new HashSet<>();
        Matcher node = NODE.matcher(dot);
        while (node.find()) {
            declared.add(node.group(1));
        }
        Matcher edge = EDGE.matcher(dot);
        int edges = 0;
        while (edge.find()) {
            assertTrue(declared.contains(edge.group(1)) && declared.contains(edge.group(2)), edge.group());
            edges++;
        }
        assertTrue(edges > 10, dot);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
