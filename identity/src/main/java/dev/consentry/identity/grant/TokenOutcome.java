package dev.consentry.identity.grant;

import dev.consentry.core.cause.Failure;
import java.util.Map;

/** What the token endpoint answers: a token response or a refusal with its cause. */
public sealed interface TokenOutcome {

    /** A successful token response (wire spec, section 1.5); {@code body} is in wire order. */
    record Issued(Map<String, Object> body) implements TokenOutcome {}

    /** A refusal, rendered as the STS error body by the HTTP layer. */
    record Refused(Failure failure) implements TokenOutcome {}
}
