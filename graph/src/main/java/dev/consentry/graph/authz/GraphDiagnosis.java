package dev.consentry.graph.authz;

import dev.consentry.core.explain.Diagnosis;
import java.time.Instant;

/** A Graph {@link Decision} as the {@link Diagnosis} of the call it answered. */
public final class GraphDiagnosis {
    private GraphDiagnosis() {}

    /**
     * @param requestId Graph's {@code request-id} of the answer
     * @param clientRequestId the caller's {@code client-request-id} (the request id when it sent none)
     * @param status the status the call was answered with (an allowed call may still answer 4xx from the data)
     */
    public static Diagnosis of(Decision decision, String requestId, String clientRequestId, String method, String path,
                               Instant at, int status) {
        return switch (decision) {
            case Decision.Allow a -> Diagnosis.allowed(requestId, Diagnosis.Channel.GRAPH, null, clientRequestId, method,
                    path, at, status, a.permission(), a.steps(), a.leastPrivileged())
                    .withClientId(a.token().clientId().orElse(null));
            case Decision.Deny d -> Diagnosis.refused(requestId, Diagnosis.Channel.GRAPH, null, clientRequestId, method, path,
                    at, status, d.failure(), d.steps(), d.leastPrivileged()).withClientId(d.clientId().orElse(null));
        };
    }
}
