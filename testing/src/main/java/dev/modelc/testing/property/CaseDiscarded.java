package dev.modelc.testing.property;

/**
 * Thrown by {@link Property#assume} when a case lies outside what the property is about; the
 * runner counts it as discarded, neither passed nor failed.
 */
public final class CaseDiscarded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CaseDiscarded(String reason) {
        super(reason, null, false, false);
    }
}
