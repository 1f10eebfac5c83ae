package dev.consentry.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.explain.Step;
import dev.consentry.identity.protocol.StsError;
import dev.consentry.server.diagnostics.Traces;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes STS responses: JSON bodies with the headers Entra sends (wire spec, section 3.1):
 * {@code Cache-Control: no-store, no-cache}, {@code Pragma: no-cache}, {@code x-ms-request-id}, and
 * {@code client-request-id} echoed when the client asked with {@code return-client-request-id: true}. Every refusal
 * and every issued token is recorded as a {@link Diagnosis} under the trace id, with the steps the endpoint took.
 */
public final class StsResponses {
    private static final Logger LOG = LoggerFactory.getLogger("consentry.sts");
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String JSON_UTF8 = "application/json; charset=utf-8";
    private final Clock clock;
    private final Traces traces;
    private final Origins origins;

    /** @param origins the origin each request used, for the {@code error_uri} of an error body */
    public StsResponses(Clock clock, Traces traces, Origins origins) {
        this.clock = clock;
        this.traces = traces;
        this.origins = origins;
    }

    /** A 200 JSON body. */
    public static void ok(Context ctx, RequestIds ids, Map<String, Object> body) {
        headers(ctx, ids);
        try {
            ctx.status(200).contentType(JSON_UTF8).result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response body always serialises", e);
        }
    }

    /** A 200 JSON body of an issued token, recorded with the steps that led to it. */
    public void issued(Context ctx, RequestIds ids, Map<String, Object> body, Instant now, List<Step> steps) {
        traces.record(Diagnosis.allowed(ids.traceId(), Diagnosis.Channel.STS, ids.traceId(), ids.correlationId(),
                ctx.method().name(), ctx.path(), now, 200, null, steps, Map.of()).withClientId(clientId(ctx))
                .withTenant(tenantPathValue(ctx)));
        ok(ctx, ids, body);
    }

    /** The STS error body for {@code failure}, now; for refusals found before any step was taken. */
    public void error(Context ctx, Failure failure) {
        error(ctx, RequestIds.of(ctx), failure, clock.instant(), List.of());
    }

    /**
     * The STS error body for {@code failure} after {@code steps} passed; client mistakes are logged at INFO with
     * their cause, and the refusal is recorded with the failed step last.
     */
    public void error(Context ctx, RequestIds ids, Failure failure, Instant now, List<Step> steps) {
        record(ctx, ids, failure, now, steps);
        LOG.info("{} {} -> {} AADSTS{} ({}) trace_id={}", ctx.method(), ctx.path(), failure.cause().status(),
                failure.cause().code(), failure.cause().slug(), ids.traceId());
        StsError error = new StsError(failure, ids.traceId(), ids.correlationId(), now, origins.of(ctx));
        headers(ctx, ids);
        ctx.status(error.status()).contentType(JSON_UTF8).result(error.toJson());
    }

    /** Records a refusal answered in another shape (a sign-in page, a redirect), under the request's trace id. */
    public void record(Context ctx, RequestIds ids, Failure failure, Instant now, List<Step> steps) {
        traces.record(Diagnosis.refused(ids.traceId(), Diagnosis.Channel.STS, ids.traceId(), ids.correlationId(),
                ctx.method().name(), ctx.path(), now, failure.cause().status(), failure, steps, Map.of())
                .withClientId(clientId(ctx)).withTenant(tenantPathValue(ctx)));
    }

    /** The authority's tenant as the request's path names it (an id, a domain, {@code common}); null on other paths. */
    static String tenantPathValue(Context ctx) {
        try {
            String value = ctx.pathParamMap().get("tenant");
            return value == null || value.isBlank() ? null : value;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The app the request names: its {@code client_id} (query or form), else the user name of HTTP Basic client
     * authentication (RFC 6749, section 2.3.1); null when it names none or the value is not readable.
     */
    static String clientId(Context ctx) {
        try {
            String id = ctx.queryParam("client_id");
            if (id == null) {
                id = FormBodies.field(ctx, "client_id").orElse(null);
            }
            if (id == null) {
                String auth = ctx.header("Authorization");
                if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
                    String pair = new String(java.util.Base64.getDecoder().decode(auth.substring(6).strip()),
                            java.nio.charset.StandardCharsets.UTF_8);
                    int colon = pair.indexOf(':');
                    id = colon < 0 ? null : java.net.URLDecoder.decode(pair.substring(0, colon),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            return id == null || id.isBlank() ? null : id.strip();
        } catch (RuntimeException e) {
            return null; // an unreadable request names no app; the refusal itself says why
        }
    }

    /** The injected clock, for handlers that answer through this class. */
    public Instant now() {
        return clock.instant();
    }

    private static void headers(Context ctx, RequestIds ids) {
        ctx.header("Cache-Control", "no-store, no-cache");
        ctx.header("Pragma", "no-cache");
        ctx.header("x-ms-request-id", ids.traceId());
        if ("true".equalsIgnoreCase(ctx.header("return-client-request-id"))) {
            ctx.header("client-request-id", ids.correlationId());
        }
    }
}
