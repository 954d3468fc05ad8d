package dev.modelc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PackageNamesTest {
    @Test
    void folderNamesThePackage() {
        assertEquals("a.b", PackageNames.packageFor("a/b", null, ""));
        assertEquals("demo", PackageNames.packageFor("demo", "", null));
    }

    @Test
    void modelAtTheTopGoesIntoTheDefaultPackage() {
        assertEquals("", PackageNames.packageFor("", null, ""));
    }

    @Test
    void configuredPackageWinsOverTheFolder() {
        assertEquals("com.example.models", PackageNames.packageFor("a/b", " com.example.models ", ""));
    }

    @Test
    void subpackageIsAppended() {
        assertEquals("a.b.f64", PackageNames.packageFor("a/b", null, "f64"));
        assertEquals("com.x.f64", PackageNames.packageFor("a", "com.x", "f64"));
        assertEquals("f64", PackageNames.packageFor("", null, "f64"));
    }

    @Test
    void folderThatIsNoJavaNameIsRejectedWithAWayOut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackageNames.packageFor("models/my-models", null, ""));
        assertTrue(e.getMessage().contains("`my-models` is not a Java name"), e.getMessage());
        assertTrue(e.getMessage().contains("<packageName>"), e.getMessage());
    }

    @Test
    void theJdksOwnPackagesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackageNames.packageFor("java/models", null, ""));
        assertEquals("package `java.models` is the JDK's own package; choose another; "
                + "set <packageName> to choose the package", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PackageNames.packageFor("a", "java.lang", ""));
        assertEquals("javax2.models", PackageNames.packageFor("javax2/models", null, ""));
    }

    @Test
    void keywordsAndBadConfiguredNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PackageNames.packageFor("a/class", null, ""));
        assertThrows(IllegalArgumentException.class, () -> PackageNames.packageFor("", "1models", ""));
        assertThrows(IllegalArgumentException.class, () -> PackageNames.packageFor("", "a..b", ""));
        assertThrows(IllegalArgumentException.class, () -> PackageNames.packageFor("a", null, "f-64"));
    }

    @Test
    void packagesOfTheJdksModulesAndOfModelcAreRejectedAsTheCompilerRejectsThem() {
        IllegalArgumentException folder = assertThrows(IllegalArgumentException.class,
                () -> PackageNames.packageFor("sun/misc", null, ""));
        assertEquals("package `sun.misc` is a package of the JDK's module jdk.unsupported; choose another; "
                + "set <packageName> to choose the package", folder.getMessage());
        IllegalArgumentException configured = assertThrows(IllegalArgumentException.class,
                () -> PackageNames.packageFor("a", "javax.crypto", ""));
        assertTrue(configured.getMessage().contains("java.base"), configured.getMessage());
        IllegalArgumentException own = assertThrows(IllegalArgumentException.class,
                () -> PackageNames.packageFor("dev/modelc/runtime", null, ""));
        assertTrue(own.getMessage().contains("modelc's own packages"), own.getMessage());
        IllegalArgumentException hidden = assertThrows(IllegalArgumentException.class,
                () -> PackageNames.packageFor("a\u202Eb", null, ""));
        assertTrue(hidden.getMessage().contains("`a\\u202Eb` holds a character that does not show"),
                hidden.getMessage());
    }
}
