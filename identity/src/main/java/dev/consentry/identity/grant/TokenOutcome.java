package dev.consentry.identity.grant;

import dev.consentry.core.cause.Failure;
import dev.consentry.core.explain.Step;
import java.util.List;
import java.util.Map;

/**
 * What the token endpoint answers: a token response or a refusal with its cause; either way with the steps taken,
 * in order (for a refusal the last one failed), which the diagnosis shows as it shows a Graph decision.
 */
public sealed interface TokenOutcome {

    List<Step> steps();

    /** A successful token response (wire spec, section 1.5); {@code body} is in wire order. */
    record Issued(Map<String, Object> body, List<Step> steps) implements TokenOutcome {
        public Issued {
            steps = List.copyOf(steps);
        }
    }

    /** A refusal, rendered as the STS error body by the HTTP layer. */
    record Refused(Failure failure, List<Step> steps) implements TokenOutcome {
        public Refused {
            steps = List.copyOf(steps);
        }
    }
}
