package dev.modelc.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.sql.SparkSession;

/**
 * A real Spark standalone cluster on this machine for the tests: a master and a worker, each a
 * JVM of its own started from Spark's own classes, and executors that the worker starts as JVMs
 * of their own, as on any cluster. The worker's Spark home holds no jars: executors get the
 * tests' class path, which holds Spark, the runtime and the test classes.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path home;
    private final int port;
    private final Process master;
    private final Process worker;

    private StandaloneCluster(Path home, int port, Process master, Process worker) {
        this.home = home;
        this.port = port;
        this.master = master;
        this.worker = worker;
    }

    /** Starts a master and a worker offering {@code cores} cores; waits until the master listens. */
    static StandaloneCluster start(Path home, int cores) throws IOException, InterruptedException {
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("work"));
        int port = freePort();
        Process master = launch(home, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()));
        awaitPort(port, master, home.resolve("master.log"));
        Process worker = launch(home, "worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                "--cores", Integer.toString(cores), "--memory", "2g", "--webui-port", Integer.toString(freePort()),
                "--work-dir", home.resolve("work").toString(), "spark://127.0.0.1:" + port);
        return new StandaloneCluster(home, port, master, worker);
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** A session on the cluster with executors of one core each, which load classes from the tests' class path. */
    SparkSession session(String appName, int executors) {
        return SparkSession.builder().master(masterUrl()).appName(appName)
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.artifact.isolation.enabled", "false")
                .config("spark.executor.cores", "1")
                .config("spark.cores.max", Integer.toString(executors))
                .config("spark.executor.memory", "512m")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .getOrCreate();
    }

    /** The JVM of executor {@code id}, one of the worker's child processes. */
    Optional<ProcessHandle> executor(String id) {
        return worker.descendants().filter(p -> {
            List<String> args = arguments(p);
            int at = args.indexOf("--executor-id");
            return args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend") && at >= 0
                    && at + 1 < args.size() && args.get(at + 1).equals(id);
        }).findFirst();
    }

    /**
     * A process's command line, read from Linux's {@code /proc}: the JDK's own view of it is cut
     * short for command lines as long as an executor's class path.
     */
    private static List<String> arguments(ProcessHandle process) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return List.of(line.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        for (Process p : List.of(worker, master)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : List.of(worker, master)) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Path home() {
        return home;
    }

    private static Process launch(Path home, String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        // The worker builds executor command lines from its Spark home: a jars folder (empty here)
        // and the Scala version, which a built Spark would tell by its folders.
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process process, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Spark master exited: " + read(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Spark master did not listen within two minutes: " + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
