package dev.consentry.server.diagnostics;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.graph.authz.AuthorizationEngine;
import dev.consentry.graph.authz.Decision;
import dev.consentry.graph.authz.GraphDiagnosis;
import dev.consentry.graph.authz.GraphRequest;
import dev.consentry.graph.authz.GraphUrls;
import dev.consentry.identity.grant.HypotheticalTokens;
import dev.consentry.identity.protocol.Bearer;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private final HypotheticalTokens hypothetical;
    private final Store store;

    public WhatIf(AuthorizationEngine local, AuthorizationEngine offline, HypotheticalTokens hypothetical, Store store) {
        this.local = local;
        this.offline = offline;
        this.hypothetical = hypothetical;
        this.store = store;
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
        String verb = verb(method);
        String path = path(url);
        return decidePath(token, verb, path, now);
    }

    /**
     * What Graph would decide for {@code method} {@code url} if the app {@code clientId} of {@code tenant} called it now
     * with the token this STS would issue it (app-only when {@code user} is null or blank, else for that user with
     * {@code .default}; {@link HypotheticalTokens}). When the STS would refuse that token, the answer is the STS's
     * refusal, a diagnosis of the STS channel.
     */
    public Answer decideFor(StsUrls urls, String tenant, String clientId, String user, String method, String url,
                            Instant now) {
        if (tenant == null || tenant.isBlank()) {
            throw new BadQuestion("tenant is missing: give the tenant's id or domain (with clientId, and user for a "
                    + "delegated call), or a token");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new BadQuestion("clientId is missing: give the application (client) id of the app that would call");
        }
        String verb = verb(method);
        String path = path(url);
        Tenant found = store.tenants().findByIdOrDomain(tenant.strip()).orElseThrow(() -> new BadQuestion("tenant '" + tenant.strip() + "' is not a tenant of this Consentry "
                        + "(give its id or one of its verified domains)"));
        return switch (hypothetical.graphToken(urls, found.id(), clientId.strip(), user == null ? null : user.strip(), now)) {
            case HypotheticalTokens.Hypothetical.Token t -> decidePath(t.compact(), verb, path, now);
            case HypotheticalTokens.Hypothetical.Refused r -> new Answer(Diagnosis.refused("what-if",
                    Diagnosis.Channel.STS, null, null, "POST", "/" + found.id() + "/oauth2/v2.0/token", now,
                    r.failure().cause().status(), r.failure(), List.of(), Map.of()).withClientId(clientId.strip()), true);
        };
    }

    private static String verb(String method) {
        String verb = method == null ? "" : method.strip().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(verb)) {
            throw new BadQuestion("method must be one of DELETE, GET, PATCH, POST, PUT");
        }
        return verb;
    }

    private static String path(String url) {
        return GraphUrls.path(url).orElseThrow(() -> new BadQuestion("url must be a Microsoft Graph URL, "
                + GraphUrls.GRAPH_ORIGIN + "/v1.0/... or /beta/..., or the path from /v1.0/ on"));
    }

    private Answer decidePath(String token, String verb, String path, Instant now) {
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
