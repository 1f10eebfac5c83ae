package dev.consentry.identity.authorize;

import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;

/**
 * A refused authorize request. Without a {@link #replyTo() reply target} it must be shown on Consentry's
 * own error page, never redirected (the client or its redirect URI could not be trusted: AADSTS50011,
 * 700016, 90002 and the like; wire spec, section 3.1); with one, it goes back to the app as {@code error},
 * {@code error_description}, {@code error_uri} and {@code state}.
 */
public final class AuthorizeRefusal extends RuntimeException {
    private final transient Failure failure;
    private final transient ReplyTarget replyTo;

    private AuthorizeRefusal(Failure failure, ReplyTarget replyTo) {
        super(failure.cause().slug(), null, false, false);
        this.failure = failure;
        this.replyTo = replyTo;
    }

    /** A refusal shown on the error page. */
    public static AuthorizeRefusal onPage(Failure failure) {
        return new AuthorizeRefusal(failure, null);
    }

    /** A refusal redirected to the app. */
    public static AuthorizeRefusal redirected(Failure failure, ReplyTarget target) {
        return new AuthorizeRefusal(failure, target);
    }

    /** Runs {@code step}; a {@link FailureException} it raises becomes a refusal redirected to {@code target}. */
    public static <T> T redirectingFailures(ReplyTarget target, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (FailureException e) {
            throw redirected(e.failure(), target);
        }
    }

    public Failure failure() {
        return failure;
    }

    /** Where to send the error; null when it must stay on Consentry's page. */
    public ReplyTarget replyTo() {
        return replyTo;
    }
}
