package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** {@code train --log} and {@code --plot}: a row per step, and pictures that are valid files of the right size. */
class LogAndPlotFlagsTest {
    @TempDir
    Path temp;

    @Test
    void theLogHasEveryStepOfTheSeedExampleExactly() throws Exception {
        Path log = temp.resolve("run.csv");
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.quadratic(), "--log", log.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        List<String> rows = Files.readAllLines(log);
        assertEquals("step,epoch,lr,J,x,y", rows.get(0));
        assertEquals(18, rows.size() - 1, "iterations 0 to 17, the last where J < 0.005 stops it");
        // Gradient descent with rate 0.1 on x^2 + 2y^2, computed here the way an update does it.
        double x = -3;
        double y = -3;
        for (int n = 0; n <= 17; n++) {
            String[] cells = rows.get(n + 1).split(",");
            assertEquals(List.of(Integer.toString(n), "0", "0.1"), List.of(cells[0], cells[1], cells[2]));
            assertEquals(x * x + 2.0 * (y * y), Double.parseDouble(cells[3]), "J at " + n);
            assertEquals(x, Double.parseDouble(cells[4]), "x at " + n);
            assertEquals(y, Double.parseDouble(cells[5]), "y at " + n);
            double dx = 2.0 * x;
            double dy = 4.0 * y;
            x -= 0.1 * dx;
            y -= 0.1 * dy;
        }
    }

    @Test
    void aDataModelLogsEachBatchWithItsEpoch() throws Exception {
        Path log = temp.resolve("data.csv");
        String model = Path.of(System.getProperty("modelc.samples"), "logistic_regression.model").toString();
        CommandLineRun run = CommandLineRun.of("train", model, "--epochs", "2", "--log", log.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        List<String> rows = Files.readAllLines(log);
        assertEquals("step,epoch,lr,L,accuracy", rows.get(0));
        // 455 training rows in batches of 32: 15 steps an epoch.
        assertEquals(30, rows.size() - 1);
        assertTrue(rows.get(15).startsWith("14,1,0.1,"), rows.get(15));
        assertTrue(rows.get(16).startsWith("15,2,0.1,"), rows.get(16));
    }

    @Test
    void thePictureOfTwoScalarParamsHasTheDescentBesideTheCurve() throws Exception {
        Path png = temp.resolve("descent.png");
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.quadratic(), "--plot", png.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("plotted " + png, run.outLines().get(run.outLines().size() - 1));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1400, image.getWidth());
        assertEquals(560, image.getHeight());
    }

    @Test
    void aRunOnDataDrawsEachEpochsLossAndMetricOnTheTrainingAndTheTestRows() throws Exception {
        Path svg = temp.resolve("loss.svg");
        String model = Path.of(System.getProperty("modelc.samples"), "logistic_regression.model").toString();
        CommandLineRun run = CommandLineRun.of("train", model, "--epochs", "3", "--plot", svg.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element root = factory.newDocumentBuilder().parse(svg.toFile()).getDocumentElement();
        assertEquals("1400", root.getAttribute("width"), "two charts side by side: the loss and the accuracy");
        assertEquals("460", root.getAttribute("height"));
        List<String> texts = new java.util.ArrayList<>();
        org.w3c.dom.NodeList nodes = root.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        assertTrue(texts.contains("metric accuracy"), texts.toString());
        assertEquals(1, java.util.Collections.frequency(texts, "training, each step"), texts.toString());
        assertEquals(2, java.util.Collections.frequency(texts, "training, epoch mean"), texts.toString());
        assertEquals(2, java.util.Collections.frequency(texts, "test rows, after each epoch"), texts.toString());
        // The test rows' curves (third color of the palette in both charts): a point per epoch,
        // rising on the page as the printed test loss falls, and as the printed accuracy rises.
        List<double[]> test = polylines(root, "#2ca02c");
        assertEquals(2, test.size());
        List<double[]> printed = epochColumns(run);
        assertEquals(3, printed.size());
        for (int chart = 0; chart < 2; chart++) {
            double[] ys = test.get(chart);
            assertEquals(3, ys.length, "a point per epoch");
            for (int e = 1; e < 3; e++) {
                double change = printed.get(e)[chart] - printed.get(e - 1)[chart];
                if (Math.abs(change) >= 1e-4) {
                    assertEquals(Math.signum(change), -Math.signum(ys[e] - ys[e - 1]), "epoch " + (e + 1));
                }
            }
        }
    }

    /** The y coordinates of every curve drawn in {@code color}, one array a curve; the legend's lines have two points. */
    private static List<double[]> polylines(Element root, String color) {
        List<double[]> lines = new java.util.ArrayList<>();
        org.w3c.dom.NodeList nodes = root.getElementsByTagName("polyline");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element line = (Element) nodes.item(i);
            String[] points = line.getAttribute("points").trim().split("\\s+");
            if (line.getAttribute("stroke").equals(color) && points.length > 2) {
                double[] ys = new double[points.length];
                for (int p = 0; p < points.length; p++) {
                    ys[p] = Double.parseDouble(points[p].split(",")[1]);
                }
                lines.add(ys);
            }
        }
        return lines;
    }

    /** Each epoch line's test loss and test accuracy, as printed. */
    private static List<double[]> epochColumns(CommandLineRun run) {
        List<double[]> rows = new java.util.ArrayList<>();
        for (String line : run.outLines()) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("^epoch .*test loss (\\S+)  test accuracy (\\S+)").matcher(line);
            if (m.find()) {
                rows.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
            }
        }
        return rows;
    }

    @Test
    void anUnknownPictureFormatIsRefusedBeforeTraining() {
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.quadratic(), "--plot",
                temp.resolve("loss.jpg").toString());
        assertEquals(2, run.exitCode());
        assertEquals("modelc: error: --plot " + temp.resolve("loss.jpg") + ": give a .png or .svg file",
                run.errLines().get(0));
        assertEquals("", run.out());
        CommandLineRun noFolder = CommandLineRun.of("train", CommandLineRun.quadratic(), "--log",
                temp.resolve("absent/run.csv").toString());
        assertEquals(2, noFolder.exitCode());
        assertFalse(Files.exists(temp.resolve("absent")));
    }
}
