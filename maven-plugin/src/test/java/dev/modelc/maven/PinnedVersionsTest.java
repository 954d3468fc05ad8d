package dev.modelc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The sample application and the invoker projects resolve their plugins from the local repository of the build
 * that runs them, so each version they pin must be one that build uses too; and the sample, which a person copies,
 * must name the current modelc version.
 */
class PinnedVersionsTest {
    static final Path ROOT = Path.of(System.getProperty("modelc.root", ".."));

    @Test
    void sampleUsesTheCurrentModelcVersion() throws Exception {
        Document sample = parse(ROOT.resolve("samples/maven-project/pom.xml"));
        assertEquals(System.getProperty("modelc.version"), property(sample, "modelc.version"));
    }

    @Test
    void pinnedPluginVersionsAreTheBuildsOwn() throws Exception {
        Map<String, String> build = pluginVersions(parse(ROOT.resolve("pom.xml")));
        List<Path> poms = new ArrayList<>(List.of(ROOT.resolve("samples/maven-project/pom.xml")));
        poms.addAll(invokerPoms());
        for (Path pom : poms) {
            Map<String, String> pinned = pluginVersions(parse(pom));
            assertFalse(pinned.isEmpty(), pom.toString());
            pinned.forEach((plugin, version) -> {
                if (!version.startsWith("@") && !version.startsWith("$")) {
                    assertEquals(build.get(plugin), version, pom + ": " + plugin);
                }
            });
        }
    }

    @Test
    void sampleUsesTheBuildsJunit() throws Exception {
        String junit = property(parse(ROOT.resolve("pom.xml")), "junit.version");
        Document sample = parse(ROOT.resolve("samples/maven-project/pom.xml"));
        NodeList dependencies = sample.getElementsByTagName("dependency");
        String found = null;
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (text(dependency, "artifactId").equals("junit-jupiter")) {
                found = text(dependency, "version");
            }
        }
        assertEquals(junit, found);
    }

    private static List<Path> invokerPoms() throws Exception {
        try (Stream<Path> folders = Files.list(ROOT.resolve("maven-plugin/src/it"))) {
            return folders.map(f -> f.resolve("pom.xml")).filter(Files::isRegularFile).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static Map<String, String> pluginVersions(Document pom) {
        Map<String, String> versions = new TreeMap<>();
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            String version = text(plugin, "version");
            if (!version.isEmpty()) {
                versions.put(text(plugin, "groupId") + ":" + text(plugin, "artifactId"), version);
            }
        }
        return versions;
    }

    private static String property(Document pom, String name) {
        NodeList found = pom.getElementsByTagName(name);
        assertNotNull(found.item(0), name);
        return found.item(0).getTextContent().trim();
    }

    /** The text of a direct child element, or "" when there is none. */
    private static String text(Element parent, String child) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(child)) {
                return e.getTextContent().trim();
            }
        }
        return "";
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }
}
