package dev.modelc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** The JVM options the launchers give Spark are those Spark's own launcher gives its JVMs, for the Spark in use. */
class JvmOptionsTest {
    @Test
    void theLaunchersGiveSparkItsOwnJvmOptions() throws Exception {
        List<String> written = Files.readAllLines(Path.of(System.getProperty("modelc.spark.module"), "jvm-options.txt"));
        assertEquals(List.of(JavaModuleOptions.defaultModuleOptionArray()), written);
        assertEquals(String.join(" ", written), System.getProperty("modelc.spark.jvmOptions"));
    }
}
