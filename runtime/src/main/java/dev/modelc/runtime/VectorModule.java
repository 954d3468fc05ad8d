package dev.modelc.runtime;

/**
 * Whether the JVM has the Vector API module, which the fast kernels of {@link Matmul} need. Without it products
 * run in plain Java, two to four times slower on large matrices, and the runtime says so once, on the
 * {@link System.Logger} named {@code dev.modelc.runtime}, with the flag that adds the module; unless
 * {@code -Dmodelc.vector=false} asked for plain Java anyway.
 */
final class VectorModule {
    /** The JVM option that enables the vector kernels. */
    static final String FLAG = "--add-modules jdk.incubator.vector";

    private VectorModule() {
    }

    /** Whether the module is present; logs the notice when it is not (once: {@link Matmul} asks once). */
    static boolean present() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!present && !"false".equals(System.getProperty("modelc.vector"))) {
            System.getLogger("dev.modelc.runtime").log(System.Logger.Level.INFO, notice());
        }
        return present;
    }

    /** What the log says. */
    static String notice() {
        return "modelc: the Vector API module is not in this JVM, so matrix products run in plain Java, 2 to 4 times"
                + " slower on large matrices; start the JVM with " + FLAG + " for the fast kernels (Maven surefire:"
                + " <argLine>" + FLAG + "</argLine>; java -jar and exec: the same option before -jar or the class)";
    }
}
