package dev.modelc.runtime.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Pictures written without a display: valid PNG and SVG files of the promised size, showing what they should. */
class PlotsTest {
    @TempDir
    Path temp;

    /** Gradient descent on x^2 + 2y^2 from (-3, -3) at rate 0.1, as the seed example runs it. */
    static Plots.Descent seedDescent(int steps) {
        double[] xs = new double[steps + 1];
        double[] ys = new double[steps + 1];
        xs[0] = -3;
        ys[0] = -3;
        for (int n = 1; n <= steps; n++) {
            xs[n] = xs[n - 1] * 0.8;
            ys[n] = ys[n - 1] * 0.6;
        }
        return new Plots.Descent("x", "y", xs, ys, (x, y) -> x * x + 2 * y * y);
    }

    static Plots.Curve curve(String label, double factor, int steps, double start) {
        double[] s = new double[steps + 1];
        double[] losses = new double[steps + 1];
        for (int n = 0; n <= steps; n++) {
            s[n] = n;
            losses[n] = start * Math.pow(factor, n);
        }
        return new Plots.Curve(label, s, losses, factor > 1);
    }

    @Test
    void pngIsReadBackAtItsSizeWithTheCurveAndTheDescentInIt() throws Exception {
        Path alone = temp.resolve("loss.png");
        Plots.run(alone, "Quadratic", "J", curve("", 0.5, 17, 27), null);
        BufferedImage image = ImageIO.read(alone.toFile());
        assertEquals(Plots.WIDTH, image.getWidth());
        assertEquals(Plots.HEIGHT, image.getHeight());
        assertTrue(count(image, 0x1f77b4) > 100, "the curve is drawn in the first palette color");
        assertTrue(GraphicsEnvironment.isHeadless(), "drawn without a display");

        Path both = temp.resolve("descent.png");
        Plots.run(both, "Quadratic", "J", curve("", 0.5, 17, 27), seedDescent(17));
        BufferedImage pair = ImageIO.read(both.toFile());
        assertEquals(Plots.DESCENT_WIDTH, pair.getWidth());
        assertEquals(Plots.DESCENT_HEIGHT, pair.getHeight());
        assertTrue(count(pair, 0xd1372b) > 20, "the end point and the highest contours are red");
        assertTrue(count(pair, 0x3b4cc0) > 20, "the lowest contours are blue");
    }

    @Test
    void svgParsesAsXmlAtItsSize() throws Exception {
        Path file = temp.resolve("descent.svg");
        Plots.run(file, "A & B <test>", "J", curve("", 0.5, 17, 27), seedDescent(17));
        Element svg = parse(file).getDocumentElement();
        assertEquals("svg", svg.getTagName());
        assertEquals(Integer.toString(Plots.DESCENT_WIDTH), svg.getAttribute("width"));
        assertEquals(Integer.toString(Plots.DESCENT_HEIGHT), svg.getAttribute("height"));
        assertTrue(texts(svg).contains("A & B <test>"), "titles are escaped, not broken");
        // One path element per contour level, drawn from the loss evaluated on the grid.
        assertTrue(svg.getElementsByTagName("path").getLength() >= 10);
    }

    @Test
    void theSeedsDescentPassesThroughItsContourLines() throws Exception {
        Plots.Descent descent = seedDescent(17);
        ContourChart chart = Plots.contours(descent, "t");
        double[] levels = chart.levels();
        assertTrue(levels.length >= 10);
        for (int k = 1; k < levels.length; k++) {
            assertTrue(levels[k] > levels[k - 1], "levels rise");
        }
        assertTrue(levels[levels.length - 1] > 27 && levels[0] < 1, "the path's losses, 27 down, lie among them");
    }

    @Test
    void aDivergingRunIsCutAtTheTopAndMarked() throws Exception {
        Path file = temp.resolve("lr.svg");
        List<Plots.Curve> curves = List.of(curve("lr 0.01", 0.96, 100, 27), curve("lr 0.1", 0.6, 17, 27),
                curve("lr 0.5", 1, 100, 18), curve("lr 1.0", 9, 100, 27));
        Plots.compare(file, "sweep", "J", curves);
        Element svg = parse(file).getDocumentElement();
        assertTrue(texts(svg).contains("lr 1.0 (diverged)"), texts(svg).toString());
        assertFalse(texts(svg).contains("lr 0.1 (diverged)"));
        double frameTop = 44;
        NodeList lines = svg.getElementsByTagName("polyline");
        int diverging = 0;
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            if (line.getAttribute("stroke").equals(LineChart.PALETTE[3])) {
                diverging++;
                for (String point : line.getAttribute("points").split(" ")) {
                    double y = Double.parseDouble(point.split(",")[1]);
                    assertTrue(y >= frameTop - 6 - 1e-9, "nothing is drawn above the frame but the mark: " + y);
                }
            }
        }
        assertTrue(diverging >= 3, "the curve, its cut to the top, and the two strokes of its cross");
    }

    @Test
    void onlyPngAndSvgAreWritten() {
        assertTrue(Plots.supports(Path.of("a.PNG")));
        assertTrue(Plots.supports(Path.of("b.svg")));
        assertFalse(Plots.supports(Path.of("c.jpg")));
        assertThrows(IllegalArgumentException.class,
                () -> Plots.run(temp.resolve("c.jpg"), "t", "J", curve("", 0.5, 3, 1), null));
        assertFalse(Files.exists(temp.resolve("c.jpg")));
    }

    private static int count(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }

    static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<String> texts(Element svg) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
