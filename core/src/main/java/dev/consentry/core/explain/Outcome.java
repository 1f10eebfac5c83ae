package dev.consentry.core.explain;

/**
 * How one check ended. {@link #UNKNOWN} is for a fact Consentry cannot see (a real tenant's directory roles or
 * licences when it explains a token it did not issue): the check is neither passed nor failed, and the
 * explanation says what to look at instead.
 */
public enum Outcome {
    PASSED("passed"),
    FAILED("failed"),
    UNKNOWN("unknown");

    private final String wireName;

    Outcome(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the diagnosis JSON. */
    public String wireName() {
        return wireName;
    }
}
