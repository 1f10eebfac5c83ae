package dev.consentry.server.diagnostics;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.graph.authz.AuthorizationEngine;
import dev.consentry.graph.authz.Decision;
import dev.consentry.graph.authz.GraphDiagnosis;
import dev.consentry.graph.authz.GraphRequest;
import dev.consentry.graph.authz.GraphUrls;
import dev.consentry.identity.protocol.Bearer;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Would Graph allow this call with this token, and why not: decided without making the call, and without keeping the
 * token or the answer anywhere (issue 12, "what-if"). A token of this Consentry is decided as its Graph front door
 * decides it, with the tenant's facts; any other token (one of the real Entra ID) is decided offline from its claims
 * ({@link AuthorizationEngine#offline}), its signature not checked.
 */
public final class WhatIf {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PATCH", "PUT", "DELETE");
    /** Refusals that mean the token is not this Consentry's: the offline decision is the one that says something. */
    private static final Set<Cause> NOT_OURS = Set.of(Cause.TOKEN_SIGNATURE_INVALID, Cause.TOKEN_ISSUER_UNTRUSTED);
    private final AuthorizationEngine local;
    private final AuthorizationEngine offline;

    public WhatIf(AuthorizationEngine local, AuthorizationEngine offline) {
        this.local = local;
        this.offline = offline;
    }

    /** The answer: the decision as a diagnosis, and whether the token's signature was checked (it is Consentry's). */
    public record Answer(Diagnosis diagnosis, boolean signatureChecked) {}

    /** A question that cannot be asked as it stands, with what is wrong with it. */
    public static final class BadQuestion extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadQuestion(String message) {
            super(message, null, false, false);
        }
    }

    /** What Graph would decide for {@code method} {@code url} with {@code token} at {@code now}. */
    public Answer decide(String token, String method, String url, Instant now) {
        if (token == null || token.isBlank()) {
            throw new BadQuestion("token is missing: give the access token the app would send");
        }
        String verb = method == null ? "" : method.strip().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(verb)) {
            throw new BadQuestion("method must be one of DELETE, GET, PATCH, POST, PUT");
        }
        String path = GraphUrls.path(url).orElseThrow(() -> new BadQuestion("url must be a Microsoft Graph URL, "
                + GraphUrls.GRAPH_ORIGIN + "/v1.0/... or /beta/..., or the path from /v1.0/ on"));
        GraphRequest request = new GraphRequest(verb, path, "Bearer " + Bearer.pasted(token));
        Decision decision = local.decide(request, now);
        boolean ours = !(decision instanceof Decision.Deny d && NOT_OURS.contains(d.failure().cause()));
        if (!ours) {
            decision = offline.decide(request, now);
        }
        int status = decision instanceof Decision.Deny d ? d.failure().cause().status() : 200;
        return new Answer(GraphDiagnosis.of(decision, "what-if", null, verb, path, now, status), ours);
    }
}
