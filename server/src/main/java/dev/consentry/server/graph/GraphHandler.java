package dev.consentry.server.graph;

import dev.consentry.graph.authz.Decision;
import dev.consentry.graph.authz.DecisionLog;
import dev.consentry.graph.authz.GraphRequest;
import dev.consentry.graph.authz.Workload;
import dev.consentry.graph.wire.GraphError;
import dev.consentry.server.Services;
import dev.consentry.server.http.UnexpectedFailures;
import dev.consentry.core.id.ObjectId;
import dev.consentry.graph.resource.GraphAnswer;
import dev.consentry.graph.resource.GraphCall;
import dev.consentry.identity.token.VerifiedToken;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.time.Instant;
import java.util.Locale;
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
    private final Services services;

    public GraphHandler(Services services) {
        this.services = services;
    }

    public void handle(Context ctx) {
        // First, so that a fault of ours further on is logged and answered under the id this response carries.
        String requestId = UnexpectedFailures.requestId(ctx);
        ctx.header("request-id", requestId);
        String sent = ctx.header("client-request-id");
        String clientRequestId = sent != null && !sent.isBlank() && sent.length() <= MAX_CLIENT_REQUEST_ID
                && sent.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? sent : requestId;
        Instant now = services.clock().instant();
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        String path = ctx.path();
        Decision decision = services.graphEngine().decide(new GraphRequest(method, path, ctx.header("Authorization")), now);
        ctx.header("client-request-id", clientRequestId);
        ctx.header("Cache-Control", "no-store");
        int status;
        byte[] body;
        switch (decision) {
            case Decision.Deny deny -> {
                GraphError error = new GraphError(deny.failure(), deny.profile(), requestId, clientRequestId, now,
                        services.origins().of(ctx));
                status = error.status();
                body = error.toJson(Workload.of(path));
                if (error.wwwAuthenticate() != null) {
                    ctx.header("WWW-Authenticate", error.wwwAuthenticate());
                }
                LOG.info("{} {} -> {} {} ({}) request-id={}", method, path, status, deny.failure().cause().error(),
                        deny.failure().cause().slug(), requestId);
            }
            case Decision.Allow allow -> {
                Optional<GraphAnswer> served = serve(ctx, allow, method, path, now);
                if (served.isPresent() && served.get().error() != null) {
                    status = served.get().status();
                    body = GraphError.json(served.get().error().code(), served.get().error().message(), requestId,
                            clientRequestId, now);
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
        services.decisions().record(new DecisionLog.Recorded(requestId, method, path, decision, status, now));
        ctx.status(status).contentType("application/json").result(body);
    }

    /** The data of an allowed call, read from the request as the resources need it. */
    private Optional<GraphAnswer> serve(Context ctx, Decision.Allow allow, String method, String path, Instant now) {
        byte[] body = new byte[0];
        if (method.equals("POST") || method.equals("PATCH") || method.equals("PUT")) {
            try (InputStream in = ctx.req().getInputStream()) {
                body = in.readNBytes(MAX_BODY + 1);
            } catch (IOException e) {
                return Optional.of(GraphAnswer.error(400, "BadRequest", "The request body could not be read."));
            }
            if (body.length > MAX_BODY) {
                return Optional.of(GraphAnswer.error(413, "RequestEntityTooLarge", "The request body is larger than "
                        + MAX_BODY / 1024 + " KB."));
            }
        }
        Map<String, String> headers = new HashMap<>();
        String consistency = ctx.header("ConsistencyLevel");
        if (consistency != null) {
            headers.put("consistencylevel", consistency);
        }
        VerifiedToken token = allow.token();
        GraphCall call = new GraphCall(method, path, path.toLowerCase(Locale.ROOT).startsWith("/beta") ? "beta" : "v1.0",
                ctx.queryParamMap(), headers, body, token.tenantId(),
                token.appOnly() ? Optional.empty() : token.objectId().flatMap(ObjectId::tryParse), allow.templates(),
                services.origins().of(ctx), now);
        return services.graphData().serve(call);
    }
}
