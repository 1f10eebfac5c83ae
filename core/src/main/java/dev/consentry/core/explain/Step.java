package dev.consentry.core.explain;

import java.util.Objects;

/**
 * One check of a decision, as recorded for the diagnosis (product brief, section 3): which check, how it ended,
 * and what it saw. The STS grants and the Graph pipeline record the same type, so an STS refusal is explained
 * step by step like a Graph one.
 *
 * @param detail what the check saw; never a secret and never a token itself
 */
public record Step(Check check, Outcome outcome, String detail) {
    public Step {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }

    public static Step passed(Check check, String detail) {
        return new Step(check, Outcome.PASSED, detail);
    }

    public static Step failed(Check check, String detail) {
        return new Step(check, Outcome.FAILED, detail);
    }

    /** A check whose facts Consentry cannot see; the detail says what to check by hand. */
    public static Step unknown(Check check, String detail) {
        return new Step(check, Outcome.UNKNOWN, detail);
    }

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }
}
