package dev.consentry.server.http;

import dev.consentry.core.id.Guid;
import io.javalin.http.Context;
import java.util.UUID;

/**
 * The ids of one request: a fresh trace id, and the correlation id, which is the client's
 * {@code client-request-id} when it sent a GUID (MSAL does), else the trace id.
 */
public record RequestIds(String traceId, String correlationId) {

    public static RequestIds of(Context ctx) {
        String trace = UUID.randomUUID().toString();
        String client = ctx.header("client-request-id");
        String correlation = client != null && Guid.isGuid(client) ? client.toLowerCase(java.util.Locale.ROOT) : trace;
        return new RequestIds(trace, correlation);
    }
}
