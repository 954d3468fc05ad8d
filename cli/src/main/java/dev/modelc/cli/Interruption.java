package dev.modelc.cli;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a run trains. The first asks the run to stop after the step
 * in progress, so that it still saves its checkpoint, ends its log on a whole row and says how
 * to resume; the command then exits with 128 plus the signal's number (130, 143). A second
 * signal ends the process at once with its own code: a checkpoint being saved is then left as it
 * was before (files are replaced atomically). Closing puts the JDK's own handling back.
 *
 * <p>Nothing but {@code sun.misc.Signal} (module {@code jdk.unsupported}) lets a Java program
 * outlive a Ctrl-C; it is reached by reflection, since javac warns about every direct use of it.
 * Where it cannot be had (a JVM run with {@code -Xrs}), signals end the run as they always did.
 */
final class Interruption implements AutoCloseable {
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final Runnable stop;
    private final PrintWriter err;
    private final String whatHappensNext;
    private final AtomicInteger first = new AtomicInteger();
    private final Object[] signals = new Object[SIGNALS.length];
    private final Object[] previous = new Object[SIGNALS.length];
    private Method handle;

    private Interruption(Runnable stop, PrintWriter err, String whatHappensNext) {
        this.stop = stop;
        this.err = err;
        this.whatHappensNext = whatHappensNext;
    }

    /**
     * Handles Ctrl-C and SIGTERM until closed: the first runs {@code stop} (from another thread)
     * after telling {@code err} that {@code whatHappensNext} ("finishing the step in progress, then
     * saving to a.st"); a second halts the process.
     */
    static Interruption install(Runnable stop, PrintWriter err, String whatHappensNext) {
        Interruption interruption = new Interruption(stop, err, whatHappensNext);
        interruption.install();
        return interruption;
    }

    /** Whether a signal came. */
    boolean happened() {
        return first.get() != 0;
    }

    /** 128 plus the number of the first signal: 130 for Ctrl-C, 143 for SIGTERM. */
    int exitCode() {
        return 128 + first.get();
    }

    /** The first signal as a user knows it: {@code Ctrl-C} or {@code SIGTERM}. */
    String what() {
        return shown(first.get());
    }

    private static String shown(int number) {
        return number == 2 ? "Ctrl-C" : number == 15 ? "SIGTERM" : "signal " + number;
    }

    private void received(int number) {
        if (first.compareAndSet(0, number)) {
            err.println("modelc: " + shown(number) + ": " + whatHappensNext + " (" + shown(number)
                    + " again stops at once)");
            err.flush();
            stop.run();
        } else {
            err.println("modelc: " + shown(number) + " again: stopped at once");
            err.flush();
            Runtime.getRuntime().halt(128 + number);
        }
    }

    private void install() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> named = signalClass.getConstructor(String.class);
            Method number = signalClass.getMethod("getNumber");
            handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(Interruption.class.getClassLoader(), new Class<?>[] {handlerClass},
                    handler(number));
            for (int s = 0; s < SIGNALS.length; s++) {
                signals[s] = named.newInstance(SIGNALS[s]);
                previous[s] = handle.invoke(null, signals[s], handler);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // -Xrs, or a JDK without sun.misc.Signal: the JDK's own handling stays.
            close();
        }
    }

    private InvocationHandler handler(Method number) {
        return (proxy, method, args) -> {
            switch (method.getName()) {
                case "handle" -> received((Integer) number.invoke(args[0]));
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "modelc's handler of Ctrl-C and SIGTERM";
                }
                default -> throw new UnsupportedOperationException(method.getName());
            }
            return null;
        };
    }

    @Override
    public void close() {
        for (int s = 0; s < SIGNALS.length; s++) {
            if (previous[s] != null) {
                try {
                    handle.invoke(null, signals[s], previous[s]);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // The handler stays: a signal after the run is then a first one, which ends nothing more.
                }
                previous[s] = null;
            }
        }
    }
}
