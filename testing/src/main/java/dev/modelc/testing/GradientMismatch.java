package dev.modelc.testing;

/** A failed gradient check, as a test failure that carries its report. */
public final class GradientMismatch extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient GradCheckReport report;

    public GradientMismatch(GradCheckReport report) {
        super(report.toString());
        this.report = report;
    }

    public GradCheckReport report() {
        return report;
    }
}
