package dev.consentry.server.diagnostics;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /consentry/diagnostics/{id}}: the recorded {@link dev.consentry.core.explain.Diagnosis} of a Graph call
 * or an STS request, found by its request id ({@code request-id} of Graph, {@code x-ms-request-id} and
 * {@code trace_id} of the STS) or the caller's correlation id ({@code client-request-id}); 404 with a JSON error when
 * the id is unknown or no longer kept.
 *
 * <pre>curl --cacert .consentry/ca.pem https://localhost:8443/consentry/diagnostics/&lt;request-id&gt;</pre>
 */
public final class DiagnosticsHandler {
    private static final byte[] NOT_FOUND = ("{\"error\":\"not_found\",\"error_description\":\"No recorded decision has "
            + "this id (Consentry keeps the most recent ones).\"}").getBytes(StandardCharsets.UTF_8);
    private final Traces traces;

    public DiagnosticsHandler(Traces traces) {
        this.traces = traces;
    }

    public void get(Context ctx) {
        ctx.contentType("application/json").header("Cache-Control", "no-store");
        traces.find(ctx.pathParam("id")).ifPresentOrElse(
                d -> ctx.status(200).result(d.toJson().getBytes(StandardCharsets.UTF_8)),
                () -> ctx.status(404).result(NOT_FOUND));
    }
}
