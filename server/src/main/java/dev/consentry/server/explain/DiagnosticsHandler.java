package dev.consentry.server.explain;

import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.server.diagnostics.Traces;
import dev.consentry.server.diagnostics.WhatIf;
import dev.consentry.server.http.Origins;
import dev.consentry.server.page.DiagnosisPage;
import dev.consentry.server.page.FailuresPage;
import dev.consentry.server.page.NoticePage;
import dev.consentry.server.page.Pages;
import dev.consentry.store.TraceStore;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code GET /consentry/diagnostics/{id}}: the recorded {@link dev.consentry.core.explain.Diagnosis} of a Graph call
 * or an STS request, found by its request id ({@code request-id} of Graph, {@code x-ms-request-id} and
 * {@code trace_id} of the STS) or the caller's correlation id ({@code client-request-id}); 404 with a JSON error when
 * the id is unknown or no longer kept. Served to this machine's callers only (the client's address as
 * {@link Origins#clientAddress} reads it: a local proxy's client is not this machine), since a diagnosis shows directory
 * facts; {@code serve --diagnostics-from-anywhere} serves them to every caller.
 *
 * <pre>curl --cacert .consentry/ca.pem https://localhost:8443/consentry/diagnostics/&lt;request-id&gt;</pre>
 */
public final class DiagnosticsHandler {
    private static final byte[] NOT_FOUND = ("{\"error\":\"not_found\",\"error_description\":\"No recorded decision has "
            + "this id (Consentry keeps the most recent ones).\"}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] FORBIDDEN = ("{\"error\":\"forbidden\",\"error_description\":\"Diagnostics show "
            + "directory facts, so they are served to this machine, or to a caller whose Authorization header carries a "
            + "Microsoft Graph token of this Consentry for a user with a role that reads sign-in logs (Reports Reader, "
            + "Security Reader, Security Operator, Security Administrator, Global Reader, Global Administrator) or an app "
            + "with AuditLog.Read.All. A server bound beyond loopback asks every caller for such a token.\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final Traces traces;
    private final dev.consentry.store.Store store;
    private final Pages pages;
    private final WhatIf whatIf;
    private final java.time.Clock clock;
    /** The largest what-if body read: a token and a URL, with room to spare. */
    static final int MAX_WHAT_IF_BYTES = 64 * 1024;
    private final Origins origins;
    private final DiagnosticsAccess access;
    private final dev.consentry.graph.authz.TokenChecks graphTokens;

    public DiagnosticsHandler(Traces traces, dev.consentry.store.Store store, Origins origins, DiagnosticsAccess access,
                              dev.consentry.graph.authz.TokenChecks graphTokens, Pages pages, WhatIf whatIf,
                              java.time.Clock clock) {
        this.store = store;
        this.pages = pages;
        this.whatIf = whatIf;
        this.clock = clock;
        this.traces = traces;
        this.origins = origins;
        this.access = access;
        this.graphTokens = graphTokens;
    }

    public void get(Context ctx) {
        Optional<Predicate<Diagnosis>> readable = readable(ctx);
        if (readable.isEmpty()) {
            return;
        }
        // Another tenant's decision is answered as an unknown one: a reader learns nothing of other tenants' ids.
        traces.find(ctx.pathParam("id")).filter(readable.get()).ifPresentOrElse(
                d -> ctx.status(200).result(d.toJson().getBytes(StandardCharsets.UTF_8)),
                () -> ctx.status(404).result(NOT_FOUND));
    }

    /**
     * {@code GET /consentry/diagnostics?client_id={app}[&limit=N]}: the newest refusals of requests the app made, on
     * either channel, newest first, as {@code {"value":[diagnosis, ...]}}; {@code limit} from 1 to
     * {@value TraceStore#MAX_CORRELATED}, 20 when not given. A missing {@code client_id} or a bad limit is a 400.
     */
    public void list(Context ctx) {
        Optional<Predicate<Diagnosis>> readable = readable(ctx);
        if (readable.isEmpty()) {
            return;
        }
        String client = ctx.queryParam("client_id");
        if (client == null || client.isBlank()) {
            badRequest(ctx, "Give the app whose recent failures to list as client_id=<application (client) id>; a single "
                    + "request's decision is at /consentry/diagnostics/<request, trace or correlation id>.");
            return;
        }
        String limitText = ctx.queryParam("limit");
        int limit = 20;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > TraceStore.MAX_CORRELATED) {
                badRequest(ctx, "limit must be a whole number from 1 to " + TraceStore.MAX_CORRELATED + ".");
                return;
            }
        }
        StringBuilder out = new StringBuilder("{\"value\":[");
        List<Diagnosis> found = traces.recentFailures(client.strip(), limit).stream().filter(readable.get()).toList();
        for (int i = 0; i < found.size(); i++) {
            out.append(i == 0 ? "" : ",").append(found.get(i).toJson());
        }
        ctx.status(200).result(out.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code GET /consentry/diagnosis/{id}}: the same decision as a page for people (the checks as a checklist, the
     * failed one marked, the fix); Consentry's notice page when the id is unknown.
     */
    public void page(Context ctx) {
        if (!allowed(ctx)) {
            return;
        }
        String id = ctx.pathParam("id");
        traces.find(id).ifPresentOrElse(
                d -> pages.diagnosis(ctx, new DiagnosisPage(d, "/consentry/diagnostics/" + d.id(), null)),
                () -> {
                    pages.notice(ctx, new NoticePage("No such decision", "No recorded decision has this id. Consentry "
                            + "keeps the most recent ones; the id is the request-id header of a Graph answer, or the "
                            + "trace_id or correlation_id of the token service's answer.", null, null));
                    ctx.status(404);
                });
    }

    /**
     * {@code POST /consentry/diagnostics/what-if} with {@code {"token", "method", "url"}}: what Graph would decide for
     * the call, without making it ({@link WhatIf}); the diagnosis JSON with {@code signatureChecked}. Instead of the
     * token, {@code {"tenant", "clientId", "user"}} asks about the token this STS would issue that app now (app-only
     * without {@code user}; {@link WhatIf#decideFor}). Neither the token nor the answer is kept or logged. A body that is
     * not such an object is a 400 {@code invalid_request}.
     */
    public void whatIf(Context ctx) {
        if (!allowed(ctx)) {
            return;
        }
        com.fasterxml.jackson.databind.JsonNode body;
        try (java.io.InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_WHAT_IF_BYTES + 1);
            if (bytes.length > MAX_WHAT_IF_BYTES) {
                badRequest(ctx, "The body is larger than " + MAX_WHAT_IF_BYTES + " bytes; send the token, method and url only.");
                return;
            }
            body = JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            badRequest(ctx, "Send a JSON object: {\"token\": \"<access token>\", \"method\": \"GET\", \"url\": "
                    + "\"https://graph.microsoft.com/v1.0/me\"}, or {\"tenant\", \"clientId\", \"user\", \"method\", "
                    + "\"url\"} instead of the token.");
            return;
        }
        WhatIf.Answer answer;
        try {
            answer = body.has("token") || !(body.has("tenant") || body.has("clientId"))
                    ? whatIf.decide(text(body, "token"), text(body, "method"), text(body, "url"), clock.instant())
                    : whatIf.decideFor(new StsUrls(origins.of(ctx)), text(body, "tenant"), text(body, "clientId"),
                            text(body, "user"), text(body, "method"), text(body, "url"), clock.instant());
        } catch (WhatIf.BadQuestion e) {
            badRequest(ctx, e.getMessage() + ".");
            return;
        }
        String json = answer.diagnosis().toJson();
        ctx.status(200).result(("{\"signatureChecked\":" + answer.signatureChecked() + "," + json.substring(1))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode body, String field) {
        com.fasterxml.jackson.databind.JsonNode v = body.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    /**
     * {@code GET /consentry/diagnosis?client_id={app}&channel=all|sts|graph}: one app's newest refusals as a page, each
     * linking to its diagnosis page; with {@code tenant={id or domain}} instead, the newest refusals of every app that
     * has a service principal in that tenant (its own and the multi-tenant ones it uses); the form alone with neither.
     */
    public void failuresPage(Context ctx) {
        if (!allowed(ctx)) {
            return;
        }
        String client = ctx.queryParam("client_id") == null ? "" : ctx.queryParam("client_id").strip();
        String tenant = ctx.queryParam("tenant") == null ? "" : ctx.queryParam("tenant").strip();
        String channel = ctx.queryParam("channel") == null ? "all" : ctx.queryParam("channel");
        if (!List.of("all", "sts", "graph").contains(channel) || client.length() > 256 || tenant.length() > 256) {
            pages.failures(ctx, 400, new FailuresPage("", "", "all", List.of(), null));
            return;
        }
        List<String> clients;
        if (!client.isEmpty()) {
            clients = List.of(client);
        } else if (!tenant.isEmpty()) {
            var found = store.tenants().findByIdOrDomain(tenant);
            if (found.isEmpty()) {
                pages.failures(ctx, 404, new FailuresPage("", tenant, channel, List.of(),
                        "No tenant of this Consentry has the id or domain " + tenant + "."));
                return;
            }
            clients = store.servicePrincipals().list(found.get().id()).stream().map(sp -> sp.appId().toString()).toList();
        } else {
            clients = List.of();
        }
        List<Diagnosis> failures = traces.recentFailures(clients, TraceStore.MAX_CORRELATED).stream()
                .filter(d -> channel.equals("all") || d.channel().wireName().equals(channel)).toList();
        pages.failures(ctx, 200, new FailuresPage(client, client.isEmpty() ? tenant : "", channel, failures, null));
    }

    /**
     * True when the caller may read every decision and use the what-if ({@link DiagnosticsAccess}: anyone by the flag,
     * or this machine on a server bound to loopback); otherwise the 403 is answered. The pages and the what-if need it.
     */
    boolean allowed(Context ctx) {
        ctx.contentType("application/json").header("Cache-Control", "no-store");
        if (readsEverything(ctx)) {
            return true;
        }
        ctx.status(403).result(FORBIDDEN);
        return false;
    }

    /**
     * Which recorded decisions the caller may read through the JSON API: every one ({@link #allowed}), or, with a reader's
     * token, its own tenant's; empty after answering the 403.
     */
    private Optional<Predicate<Diagnosis>> readable(Context ctx) {
        ctx.contentType("application/json").header("Cache-Control", "no-store");
        if (readsEverything(ctx)) {
            return Optional.of(d -> true);
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null
                && graphTokens.verify(authorization, clock.instant()) instanceof dev.consentry.graph.authz.TokenChecks.Verification.Verified v
                && DiagnosticsAccess.mayRead(v.token())) {
            TenantId tenant = v.token().tenantId();
            return Optional.of(d -> belongsTo(d, tenant));
        }
        ctx.status(403).result(FORBIDDEN);
        return Optional.empty();
    }

    private boolean readsEverything(Context ctx) {
        if (access == DiagnosticsAccess.ANYONE) {
            return true;
        }
        java.net.InetAddress caller = origins.clientAddress(ctx);
        return access == DiagnosticsAccess.THIS_MACHINE_OR_TOKEN && caller != null && caller.isLoopbackAddress();
    }

    /** Whether {@code d} is a decision of {@code tenant}: its recorded tenant is that id or one of its domains. */
    private boolean belongsTo(Diagnosis d, TenantId tenant) {
        if (d.tenant() == null) {
            return false; // an authority of no one tenant (common), or a path without one: not a tenant's to read
        }
        return store.tenants().findByIdOrDomain(d.tenant()).map(t -> t.id().equals(tenant)).orElse(false);
    }

    private static void badRequest(Context ctx, String description) {
        try {
            ctx.status(400).result(JSON.writeValueAsBytes(java.util.Map.of("error", "invalid_request",
                    "error_description", description)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("two strings always serialise", e);
        }
    }
}
