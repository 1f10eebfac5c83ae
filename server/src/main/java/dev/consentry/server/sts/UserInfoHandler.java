package dev.consentry.server.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.ErrorProfile;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.explain.Steps;
import dev.consentry.core.id.ObjectId;
import dev.consentry.graph.authz.TokenChecks;
import dev.consentry.graph.wire.BearerChallenge;
import dev.consentry.graph.wire.GraphError;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.token.VerifiedToken;
import dev.consentry.server.diagnostics.Traces;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.RequestIds;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenID Connect UserInfo endpoint, {@code GET|POST /oidc/userinfo} (OpenID Connect Core 1.0, section 5.3),
 * which the discovery document publishes as {@code userinfo_endpoint} (wire spec, section 1.2). Entra points it at
 * Microsoft Graph; Consentry serves it with Graph's own token checks ({@link TokenChecks#verify}: present, well
 * formed, signed by this Consentry, in its lifetime, for Microsoft Graph), then requires a user: a delegated token
 * whose user still exists and is enabled.
 *
 * <p>The token comes as {@code Authorization: Bearer} (RFC 6750, section 2.1) or, on a form POST, as the
 * {@code access_token} field (section 2.2), never both; the query string (section 2.3) is not read, as Graph does
 * not. The 200 answer: {@code sub} (the pairwise subject of the user's id tokens for the token's client),
 * {@code name}, {@code given_name}/{@code family_name} when the user has them, {@code email} when the user has
 * {@code mail}. Refusals are causes of the catalogue in Graph's error shape, recorded for the diagnosis; the
 * challenge (RFC 6750, section 3) carries no error code without a token, {@code error="invalid_token"} on a 401 and
 * {@code error="invalid_request"} on a 400.
 *
 * <pre>curl --cacert .consentry/ca.pem https://localhost:8443/oidc/userinfo -H "Authorization: Bearer $ACCESS_TOKEN"</pre>
 */
public final class UserInfoHandler {
    private static final Logger LOG = LoggerFactory.getLogger("consentry.sts");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A form carrying one access token is far below this. */
    static final int MAX_BODY_BYTES = 32 * 1024;

    private final Store store;
    private final Clock clock;
    private final Origins origins;
    private final TokenChecks graphTokens;
    private final Traces traces;

    public UserInfoHandler(Store store, Clock clock, Origins origins, TokenChecks graphTokens, Traces traces) {
        this.store = store;
        this.clock = clock;
        this.origins = origins;
        this.graphTokens = graphTokens;
        this.traces = traces;
    }

    /** {@code GET /oidc/userinfo}. */
    public void get(Context ctx) {
        handle(ctx, false);
    }

    /** {@code POST /oidc/userinfo}: the bearer header, or the {@code access_token} form field. */
    public void post(Context ctx) {
        handle(ctx, true);
    }

    private void handle(Context ctx, boolean post) {
        RequestIds ids = RequestIds.of(ctx);
        Instant now = clock.instant();
        Steps steps = new Steps();
        try {
            Map<String, Object> body = claims(ctx, post, now, steps);
            headers(ctx, ids);
            traces.record(Diagnosis.allowed(ids.traceId(), Diagnosis.Channel.GRAPH, null, ids.correlationId(),
                    ctx.method().name(), ctx.path(), now, 200, null, steps.toList(), Map.of()));
            ctx.status(200).contentType("application/json; charset=utf-8").result(JSON.writeValueAsBytes(body));
        } catch (FailureException e) {
            refuse(ctx, ids, now, e.failure(), steps);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    private Map<String, Object> claims(Context ctx, boolean post, Instant now, Steps steps) {
        VerifiedToken token = switch (graphTokens.verify(header(ctx, post), now)) {
            case TokenChecks.Verification.Verified v -> {
                steps.addAll(v.steps());
                yield v.token();
            }
            case TokenChecks.Verification.Refused r -> {
                steps.addAll(r.steps());
                throw r.failure().toException();
            }
        };
        if (token.appOnly()) {
            throw Failure.of(Cause.USERINFO_APP_ONLY_TOKEN, "clientId", token.clientId().orElse("(none)")).toException();
        }
        Optional<ObjectId> oid = token.objectId().flatMap(ObjectId::tryParse);
        Optional<String> client = token.clientId();
        if (oid.isEmpty() || client.isEmpty()) {
            throw Failure.of(Cause.TOKEN_USER_UNKNOWN, "user", token.objectId().orElse("(none)"), "tenant",
                    token.tenantId().toString(), "problem", "is not named by the token (no oid, or no appid/azp)").toException();
        }
        Optional<User> found = store.users().find(token.tenantId(), oid.get());
        if (found.isEmpty() || !found.get().enabled()) {
            throw Failure.of(Cause.TOKEN_USER_UNKNOWN, "user", oid.get().toString(), "tenant", token.tenantId().toString(),
                    "problem", found.isEmpty() ? "no longer exists" : "is disabled (accountEnabled false)").toException();
        }
        User user = found.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", AccessTokenFactory.pairwiseSubject(user.id().toString(), client.get()));
        if (user.displayName() != null) {
            out.put("name", user.displayName());
        }
        text(user, "surname").ifPresent(v -> out.put("family_name", v));
        text(user, "givenName").ifPresent(v -> out.put("given_name", v));
        if (user.mail() != null && !user.mail().isBlank()) {
            out.put("email", user.mail());
        }
        return out;
    }

    private static Optional<String> text(User user, String property) {
        return user.additionalProperties().get(property) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    /**
     * The request's one bearer token as an {@code Authorization} header value for {@link TokenChecks#verify} (the form
     * field's token is presented as if it came in the header); null when there is none. Refuses two ways of sending
     * it (RFC 6750, section 2) and an unreadable or oversized form body.
     */
    private static String header(Context ctx, boolean post) {
        String header = ctx.header("Authorization");
        String type = ctx.header("Content-Type");
        if (!post || type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return header;
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw invalidRequest("the request body could not be read");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw invalidRequest("the request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        String fromBody;
        try {
            fromBody = FormParameters.parse(body, Set.of("access_token")).get("access_token").orElse(null);
        } catch (FailureException e) {
            throw invalidRequest("the form body is not valid (" + e.failure().cause().slug() + ")");
        }
        if (fromBody == null) {
            return header;
        }
        if (dev.consentry.identity.protocol.Bearer.token(header).isPresent()) {
            throw invalidRequest("the access token was sent both in the Authorization header and in the body, and "
                    + "RFC 6750 allows one method per request");
        }
        return "Bearer " + fromBody;
    }

    private static FailureException invalidRequest(String problem) {
        return Failure.of(Cause.USERINFO_REQUEST_INVALID, "problem", problem).toException();
    }

    private void refuse(Context ctx, RequestIds ids, Instant now, Failure failure, Steps steps) {
        traces.record(Diagnosis.refused(ids.traceId(), Diagnosis.Channel.GRAPH, null, ids.correlationId(),
                ctx.method().name(), ctx.path(), now, failure.cause().statusUnder(ErrorProfile.GRAPH_TODAY), failure,
                steps.toList(), Map.of()));
        LOG.info("{} {} -> {} {} ({}) request-id={}", ctx.method(), ctx.path(), failure.cause().status(),
                failure.cause().error(), failure.cause().slug(), ids.traceId());
        BearerChallenge challenge = new BearerChallenge(origins.of(ctx));
        headers(ctx, ids);
        // Every token problem is RFC 6750's invalid_token (401) here, a token for another resource too: userinfo answers
        // as Graph does today, not with the troubleshooting page's 403.
        int status = failure.cause().statusUnder(ErrorProfile.GRAPH_TODAY);
        ctx.header("WWW-Authenticate", failure.cause() == Cause.TOKEN_MISSING ? challenge.plain()
                : challenge.withError(status == 400 ? "invalid_request" : "invalid_token", failure.publicMessage(), null));
        ctx.status(status).contentType("application/json; charset=utf-8").result(GraphError.json(
                failure.cause().errorUnder(ErrorProfile.GRAPH_TODAY), failure.publicMessage(), ids.traceId(),
                ids.correlationId(), now));
    }

    private static void headers(Context ctx, RequestIds ids) {
        ctx.header("Cache-Control", "no-store, no-cache");
        ctx.header("Pragma", "no-cache");
        ctx.header("request-id", ids.traceId());
        ctx.header("client-request-id", ids.correlationId());
    }
}
