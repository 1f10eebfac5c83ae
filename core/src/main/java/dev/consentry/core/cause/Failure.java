package dev.consentry.core.cause;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One detected failure: a {@link Cause} and the named facts its templates use.
 *
 * <p>Guaranteed: facts are an immutable, ordered copy; rendering never throws (a missing fact shows
 * as "(unknown)"). Facts must never hold a secret: a fact is shown to the tenant's developer.
 */
public record Failure(Cause cause, Map<String, String> facts, String claims) {
    public Failure {
        Objects.requireNonNull(cause, "cause");
        facts = facts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    public Failure(Cause cause, Map<String, String> facts) {
        this(cause, facts, null);
    }

    /**
     * This failure with the claims a client must ask for next (a conditional access refusal: a JSON object such as
     * {@code {"access_token":{"capolids":{...}}}}, sent as the error's {@code claims}); null for none.
     */
    public Failure withClaims(String claims) {
        return new Failure(cause, facts, claims);
    }

    /** A failure with facts given as alternating name, value pairs; each name must be one of {@code cause.facts()}. */
    public static Failure of(Cause cause, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("facts come in name, value pairs");
        }
        Map<String, String> facts = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            // A fact the templates do not name is a typo that would render as "(unknown)": caught where assertions run
            // (every test), free in production.
            assert cause.facts().contains(namesAndValues[i]) : cause + " has no fact named '" + namesAndValues[i] + "'";
            facts.put(namesAndValues[i], String.valueOf(namesAndValues[i + 1]));
        }
        return new Failure(cause, facts);
    }

    /** The public message with its facts filled in. */
    public String publicMessage() {
        return Cause.fill(cause.publicMessageTemplate(), facts);
    }

    /** The explanation with its facts filled in. */
    public String explanation() {
        return Cause.fill(cause.explanationTemplate(), facts);
    }

    /** The fix with its facts filled in. */
    public String fix() {
        return Cause.fill(cause.fixTemplate(), facts);
    }

    /** This failure as an exception, for handlers that stop at the first problem. */
    public FailureException toException() {
        return new FailureException(this);
    }
}
