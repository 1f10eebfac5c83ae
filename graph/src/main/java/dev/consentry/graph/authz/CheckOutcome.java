package dev.consentry.graph.authz;

import dev.consentry.core.cause.Failure;
import java.util.Optional;

/**
 * The outcome of one of the checks after the permission stage (user rights, licence): the step taken, or none
 * when the check does not govern the route, and the failure when the step failed.
 */
record CheckOutcome(Optional<Step> step, Optional<Failure> failure) {

    /** The check does not apply to this call. */
    static CheckOutcome notApplicable() {
        return new CheckOutcome(Optional.empty(), Optional.empty());
    }

    static CheckOutcome passed(Step step) {
        return new CheckOutcome(Optional.of(step), Optional.empty());
    }

    static CheckOutcome failed(Step step, Failure failure) {
        return new CheckOutcome(Optional.of(step), Optional.of(failure));
    }
}
