package dev.consentry.graph.authz;

import java.util.Objects;

/**
 * One check of the authorization pipeline, as recorded for the diagnosis (product brief, section 3):
 * its name, whether it passed, and what it saw.
 *
 * @param check the check's stable name, e.g. {@code token-present}, {@code audience}
 * @param detail what the check saw; never a secret and never the token itself
 */
public record Step(String check, boolean passed, String detail) {
    public Step {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
    }
}
