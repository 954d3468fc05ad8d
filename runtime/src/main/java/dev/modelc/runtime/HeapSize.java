package dev.modelc.runtime;

import java.util.Locale;

/** What to tell a user whose work did not fit in the Java heap: how large it is, and how to make it larger. */
public final class HeapSize {
    private HeapSize() {
    }

    /** "the Java heap holds at most 300 MiB; give Java more, ...". */
    public static String advice() {
        return "the Java heap holds at most " + mebibytes(Runtime.getRuntime().maxMemory()) + "; give Java more, "
                + "for example JDK_JAVA_OPTIONS=-Xmx8g before ./modelc (or java -Xmx8g)";
    }

    private static String mebibytes(long bytes) {
        return bytes == Long.MAX_VALUE ? "all the memory there is"
                : String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
}
