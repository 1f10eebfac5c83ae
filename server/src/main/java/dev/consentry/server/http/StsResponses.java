package dev.consentry.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Failure;
import dev.consentry.identity.protocol.StsError;
import dev.consentry.server.diagnostics.RecentFailures;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes STS responses: JSON bodies with the headers Entra sends (wire spec, section 3.1):
 * {@code Cache-Control: no-store, no-cache}, {@code Pragma: no-cache}, {@code x-ms-request-id}, and
 * {@code client-request-id} echoed when the client asked with {@code return-client-request-id: true}.
 */
public final class StsResponses {
    private static final Logger LOG = LoggerFactory.getLogger("consentry.sts");
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String JSON_UTF8 = "application/json; charset=utf-8";

    private StsResponses() {}

    /** A 200 JSON body. */
    public static void ok(Context ctx, RequestIds ids, Map<String, Object> body) {
        headers(ctx, ids);
        try {
            ctx.status(200).contentType(JSON_UTF8).result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response body always serialises", e);
        }
    }

    /** The STS error body for {@code failure}; client mistakes are logged at INFO with their cause. */
    public static void error(Context ctx, RequestIds ids, Failure failure, Instant now, RecentFailures failures) {
        failures.record(ids.traceId(), failure, ctx.method().name(), ctx.path(), now);
        LOG.info("{} {} -> {} AADSTS{} ({}) trace_id={}", ctx.method(), ctx.path(), failure.cause().status(),
                failure.cause().code(), failure.cause().slug(), ids.traceId());
        StsError error = new StsError(failure, ids.traceId(), ids.correlationId(), now);
        headers(ctx, ids);
        ctx.status(error.status()).contentType(JSON_UTF8).result(error.toJson());
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
