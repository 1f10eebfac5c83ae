package dev.consentry.server.graph;

import dev.consentry.core.id.ObjectId;
import dev.consentry.graph.authz.AuthorizationEngine;
import dev.consentry.graph.authz.Decision;
import dev.consentry.graph.authz.GraphDiagnosis;
import dev.consentry.graph.authz.GraphRequest;
import dev.consentry.graph.authz.Workload;
import dev.consentry.graph.resource.GraphAnswer;
import dev.consentry.graph.resource.GraphCall;
import dev.consentry.graph.resource.GraphData;
import dev.consentry.graph.wire.GraphError;
import dev.consentry.identity.token.VerifiedToken;
import dev.consentry.server.diagnostics.Traces;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.UnexpectedFailures;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request under {@code /v1.0/} and {@code /beta/}: the authorization engine decides it, the decision is
 * recorded under the request id, and the answer is Graph's: a refusal as Graph's error JSON with its status
 * (and the Bearer challenge on a 401), or, for an allowed call, the data of a route Consentry serves
 * ({@link dev.consentry.graph.resource.GraphData}) or {@code 501 notImplemented} naming the route (authorization covers all of
 * Graph, served or not). Headers: {@code request-id}, {@code client-request-id} (the caller's when sent).
 *
 * <pre>curl --cacert .consentry/ca.pem -H "Authorization: Bearer $TOKEN" https://localhost:8443/v1.0/users</pre>
 */
public final class GraphHandler {
    private static final Logger LOG = LoggerFactory.getLogger("consentry.graph");
    private static final int MAX_CLIENT_REQUEST_ID = 128;
    /** The largest request body a served route reads; Graph's own limit is 4 MB, no directory write comes near it. */
    private static final int MAX_BODY = 64 * 1024;
    private final AuthorizationEngine engine;
    private final GraphData data;
    private final Store store;
    private final Clock clock;
    private final Origins origins;
    private final Traces traces;

    public GraphHandler(AuthorizationEngine engine, GraphData data, Store store, Clock clock, Origins origins, Traces traces) {
        this.engine = engine;
        this.data = data;
        this.store = store;
        this.clock = clock;
        this.origins = origins;
        this.traces = traces;
    }

    public void handle(Context ctx) {
        // First, so that a fault of ours further on is logged and answered under the id this response carries.
        String requestId = UnexpectedFailures.requestId(ctx);
        ctx.header("request-id", requestId);
        String sent = ctx.header("client-request-id");
        String clientRequestId = sent != null && !sent.isBlank() && sent.length() <= MAX_CLIENT_REQUEST_ID
                && sent.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? sent : requestId;
        Instant now = clock.instant();
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        String path = ctx.path();
        // The body is read before the decision: a password change is a PATCH whose body names passwordProfile, and
        // what an application token may change depends on it. A body that cannot be used is answered once allowed.
        byte[] requestBody = new byte[0];
        GraphAnswer unreadable = null;
        if (method.equals("POST") || method.equals("PATCH") || method.equals("PUT")) {
            try (InputStream in = ctx.req().getInputStream()) {
                requestBody = in.readNBytes(MAX_BODY + 1);
            } catch (IOException e) {
                unreadable = GraphAnswer.error(400, "BadRequest", "The request body could not be read.");
            }
            if (requestBody.length > MAX_BODY) {
                unreadable = GraphAnswer.error(413, "RequestEntityTooLarge", "The request body is larger than "
                        + MAX_BODY / 1024 + " KB.");
            }
        }
        GraphRequest request = new GraphRequest(method, path, ctx.header("Authorization"), origins.clientAddress(ctx),
                unreadable == null ? requestBody : null);
        Decision decision = engine.decide(request, now);
        ctx.header("client-request-id", clientRequestId);
        ctx.header("Cache-Control", "no-store");
        int status;
        byte[] body;
        Map<String, String> refused = Map.of();
        switch (decision) {
            case Decision.Deny deny -> {
                GraphError error = new GraphError(deny.failure(), GraphError.profileOf(store, deny.tenant()),
                        requestId, clientRequestId, now, origins.of(ctx));
                status = error.status();
                Workload workload = Workload.of(request.graphPath());
                body = error.toJson(workload);
                if (error.wwwAuthenticate() != null) {
                    ctx.header("WWW-Authenticate", error.wwwAuthenticate());
                }
                LOG.info("{} {} -> {} {} ({}) request-id={}", method, path, status, error.code(workload),
                        deny.failure().cause().slug(), requestId);
            }
            case Decision.Allow allow -> {
                Optional<GraphAnswer> served = unreadable != null ? Optional.of(unreadable)
                        : serve(ctx, allow, request, requestBody, now);
                if (served.isPresent() && served.get().error() != null) {
                    status = served.get().status();
                    body = GraphError.json(served.get().error().code(), served.get().error().message(), requestId,
                            clientRequestId, now);
                    refused = served.get().error().facts();
                    if (!refused.isEmpty()) {
                        LOG.info("{} {} -> {} {} {} request-id={}", method, path, status, served.get().error().code(),
                                refused, requestId);
                    }
                } else if (served.isPresent()) {
                    status = served.get().status();
                    body = served.get().body();
                    served.get().headers().forEach(ctx::header);
                } else {
                    status = 501;
                    body = GraphError.json("notImplemented", "Consentry authorizes " + method + " "
                            + String.join(" or ", allow.templates()) + " (allowed by " + allow.permission()
                            + ") but does not serve its data yet.", requestId, clientRequestId, now);
                }
            }
        }
        String tenant = switch (decision) {
            case Decision.Allow a -> a.token().tenantId().toString();
            case Decision.Deny d -> d.tenant().map(Object::toString).orElse(null);
        };
        traces.record(GraphDiagnosis.of(decision, requestId, clientRequestId, method, path, now, status).withFacts(refused)
                .withTenant(tenant));
        ctx.status(status).contentType("application/json").result(body);
    }

    /** The data of an allowed call, read from the request as the resources need it. */
    private Optional<GraphAnswer> serve(Context ctx, Decision.Allow allow, GraphRequest request, byte[] body, Instant now) {
        String method = request.method();
        String path = request.path();
        Map<String, String> headers = new HashMap<>();
        String consistency = ctx.header("ConsistencyLevel");
        if (consistency != null) {
            headers.put("consistencylevel", consistency);
        }
        if (!(allow.token() instanceof VerifiedToken token)) {
            throw new IllegalStateException("an unverified token never reaches Graph data");
        }
        GraphCall call = new GraphCall(method, path, "beta".equals(request.graphPath().version()) ? "beta" : "v1.0",
                ctx.queryParamMap(), headers, body, token.tenantId(),
                token.appOnly() ? Optional.empty() : token.objectId().flatMap(ObjectId::tryParse), token.clientId(),
                allow.templates(),
                allow.permission(), origins.of(ctx), now);
        return data.serve(call);
    }
}
