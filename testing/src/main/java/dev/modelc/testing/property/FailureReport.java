package dev.modelc.testing.property;

import java.security.CodeSource;
import java.util.Optional;

/** Everything a property failure message says, and the text of that message. */
record FailureReport(String property, long seed, int tryIndex, int tries, String original, Throwable originalFailure,
                     String shrunk, Throwable shrunkFailure, int shrinkSteps, int shrinkAttempts,
                     boolean shrinkBudgetExhausted) {

    /**
     * Where this library's classes come from: its frames, the runner's and those of runners built
     * on it such as GradCheck's, are skipped when looking for the test that ran the property.
     */
    private static final CodeSource LIBRARY = FailureReport.class.getProtectionDomain().getCodeSource();

    static String render(FailureReport r) {
        StringBuilder text = new StringBuilder();
        text.append("property \"").append(r.property).append("\" failed on try ").append(r.tryIndex + 1)
                .append(" of ").append(r.tries).append(" with seed ").append(r.seed).append('\n');
        text.append("original case:\n").append(indent(r.original)).append('\n');
        text.append("  fails with: ").append(describe(r.originalFailure)).append('\n');
        text.append("shrunk case (").append(r.shrinkSteps).append(" steps, ").append(r.shrinkAttempts)
                .append(" candidates tried").append(r.shrinkBudgetExhausted ? ", stopped by the budget" : "")
                .append("):\n").append(indent(r.shrunk)).append('\n');
        text.append("  fails with: ").append(describe(r.shrunkFailure)).append('\n');
        text.append("to reproduce, run again with -D").append(Property.SEED_PROPERTY).append('=').append(r.seed);
        caller().ifPresent(test -> text.append(", e.g. ./mvnw -o -B verify -Dtest=").append(test)
                .append(" -Dsurefire.failIfNoSpecifiedTests=false -D").append(Property.SEED_PROPERTY).append('=')
                .append(r.seed));
        text.append("\n(-D").append(Property.TRIES_PROPERTY).append("=N changes the number of tries)");
        return text.toString();
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }

    /** The test class and method that ran the property, as surefire's -Dtest expects them. */
    private static Optional<String> caller() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> !isLibrary(f.getDeclaringClass()))
                .findFirst()
                .map(f -> simpleName(f.getClassName()) + "#" + enclosingMethod(f.getMethodName())));
    }

    private static boolean isLibrary(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return LIBRARY == null ? type.getPackageName().equals(FailureReport.class.getPackageName())
                : LIBRARY.equals(source);
    }

    /** The method a lambda was written in: {@code lambda$name$0} is a lambda inside {@code name}. */
    private static String enclosingMethod(String method) {
        if (method.startsWith("lambda$")) {
            int end = method.indexOf('$', "lambda$".length());
            return method.substring("lambda$".length(), end < 0 ? method.length() : end);
        }
        return method;
    }

    private static String simpleName(String className) {
        String outer = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        return outer.substring(outer.lastIndexOf('.') + 1);
    }
}
