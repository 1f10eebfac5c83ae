package dev.consentry.core.cause;

import java.util.Objects;

/**
 * Carries a {@link Failure} out of a handler that stops at the first problem. It is control flow for
 * a client's mistake, not a fault of ours, so it records no stack trace.
 */
public final class FailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    public FailureException(Failure failure) {
        super(Objects.requireNonNull(failure, "failure").cause().slug(), null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
