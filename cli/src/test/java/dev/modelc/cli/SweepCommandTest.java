package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelc sweep} on the seed example. With rate lr, x is multiplied by 1 - 2 lr and y by
 * 1 - 4 lr each update: 0.5 leaves y flipping between -3 and 3, and 1.0 multiplies y by -3, so
 * the loss grows without bound.
 */
class SweepCommandTest {
    @TempDir
    Path temp;

    @Test
    void eachRateEndsAsTheClosedFormSays() throws Exception {
        Path png = temp.resolve("lr.png");
        CommandLineRun run = CommandLineRun.of("sweep", CommandLineRun.quadratic(), "--lr", "0.01,0.1,0.5,1.0",
                "--plot", png.toString());
        assertEquals(0, run.exitCode(), "a diverging rate is a finding, not a failure: " + run.transcript());
        List<String> lines = run.outLines();
        assertEquals("sweeping Quadratic (quadratic.model, f64): gd, 4 learning rates, at most 100 updates each",
                lines.get(0));
        assertEquals(List.of("0.01", "100", sixDecimals(loss(0.01, 100)), "max_steps", "reached"), cells(lines.get(2)));
        assertEquals(List.of("0.1", "17", "0.004564", "stopped:", "J", "<", "0.005"), cells(lines.get(3)));
        assertEquals(List.of("0.5", "100", "18.000000", "max_steps", "reached"), cells(lines.get(4)));
        List<String> diverged = cells(lines.get(5));
        assertEquals(List.of("1.0", "100"), diverged.subList(0, 2));
        // Three significant digits in scientific notation: 4.78e+96.
        assertTrue(diverged.get(2).matches("\\d\\.\\d{2}e\\+96"), diverged.get(2));
        assertEquals(loss(1.0, 100), Double.parseDouble(diverged.get(2)), loss(1.0, 100) * 6e-3);
        assertTrue(lines.get(5).contains("diverged: the loss grew from 27.000000 to "), lines.get(5));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
    }

    @Test
    void withTestRowsEachRateEndsWithItsTestLossAndAccuracyAndTheLowestTestLossIsNamed() throws Exception {
        String model = CommandLineRun.sample("logistic_regression.model");
        Path svg = temp.resolve("lr.svg");
        List<String> rates = List.of("0.01", "0.1", "10.0");
        CommandLineRun run = CommandLineRun.of("sweep", model, "--epochs", "3", "--lr", String.join(",", rates),
                "--plot", svg.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        List<String> lines = run.outLines();
        assertEquals(List.of("lr", "steps", "last", "L", "test", "L", "test", "accuracy", "outcome"), cells(lines.get(1)));
        int lowest = -1;
        for (int i = 0; i < rates.size(); i++) {
            List<String> row = cells(lines.get(2 + i));
            assertEquals(rates.get(i), row.get(0));
            // The same run by train: its last epoch line prints the test rows' loss and accuracy.
            CommandLineRun alone = CommandLineRun.of("train", model, "--epochs", "3", "--lr", rates.get(i));
            String last = alone.outLines().stream().filter(l -> l.startsWith("epoch 3/3")).findFirst().orElseThrow();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("test loss (\\S+)  test accuracy (\\S+)")
                    .matcher(last);
            assertTrue(m.find(), last);
            assertEquals(Double.parseDouble(m.group(1)), Double.parseDouble(row.get(3)), 5e-5, rates.get(i));
            assertEquals(Double.parseDouble(m.group(2)), Double.parseDouble(row.get(4)), 5e-5, rates.get(i));
            if (lowest < 0 || Double.parseDouble(row.get(3)) < Double.parseDouble(cells(lines.get(2 + lowest)).get(3))) {
                lowest = i;
            }
        }
        assertEquals("lowest test L: lr " + rates.get(lowest), lines.get(5));
        assertEquals("plotted " + svg, lines.get(6));
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Element root = factory.newDocumentBuilder().parse(svg.toFile()).getDocumentElement();
        assertEquals("1400", root.getAttribute("width"), "the training loss and the test loss side by side");
        assertEquals("920", root.getAttribute("height"), "and the test accuracy below them");
        String text = java.nio.file.Files.readString(svg);
        assertTrue(text.contains(">test L after each epoch<") && text.contains(">test accuracy after each epoch<"),
                text);
    }

    @Test
    void ratesMustBePositive() {
        CommandLineRun run = CommandLineRun.of("sweep", CommandLineRun.quadratic(), "--lr", "0.1,-2");
        assertEquals(2, run.exitCode());
        assertEquals("modelc: error: --lr takes positive numbers, got -2.0", run.errLines().get(0));
    }

    /** J after n updates at rate lr: x = -3 (1 - 2 lr)^n, y = -3 (1 - 4 lr)^n. */
    private static double loss(double lr, int n) {
        double x = -3 * Math.pow(1 - 2 * lr, n);
        double y = -3 * Math.pow(1 - 4 * lr, n);
        return x * x + 2 * y * y;
    }

    private static String sixDecimals(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    private static List<String> cells(String line) {
        return List.of(line.trim().split("\\s+"));
    }
}
