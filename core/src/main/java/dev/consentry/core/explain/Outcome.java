package dev.consentry.core.explain;

import java.util.Locale;

/**
 * How one check ended. {@link #UNKNOWN} is for a fact Consentry cannot see (a real tenant's directory roles or
 * licences when it explains a token it did not issue): the check is neither passed nor failed, and the
 * explanation says what to look at instead.
 */
public enum Outcome {
    PASSED,
    FAILED,
    UNKNOWN;

    /** The constant's name in lower case. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name in the diagnosis JSON. */
    public String wireName() {
        return wireName;
    }
}
