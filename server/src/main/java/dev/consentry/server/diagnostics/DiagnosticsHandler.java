package dev.consentry.server.diagnostics;

import dev.consentry.server.http.Origins;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

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
    private static final byte[] FORBIDDEN = ("{\"error\":\"forbidden\",\"error_description\":\"Diagnostics are served "
            + "to this machine only, since they show directory facts; start serve with --diagnostics-from-anywhere to "
            + "serve them to other hosts.\"}").getBytes(StandardCharsets.UTF_8);
    private final Traces traces;
    private final Origins origins;
    private final boolean fromAnywhere;

    public DiagnosticsHandler(Traces traces, Origins origins, boolean fromAnywhere) {
        this.traces = traces;
        this.origins = origins;
        this.fromAnywhere = fromAnywhere;
    }

    public void get(Context ctx) {
        ctx.contentType("application/json").header("Cache-Control", "no-store");
        java.net.InetAddress caller = origins.clientAddress(ctx);
        if (!fromAnywhere && (caller == null || !caller.isLoopbackAddress())) {
            ctx.status(403).result(FORBIDDEN);
            return;
        }
        traces.find(ctx.pathParam("id")).ifPresentOrElse(
                d -> ctx.status(200).result(d.toJson().getBytes(StandardCharsets.UTF_8)),
                () -> ctx.status(404).result(NOT_FOUND));
    }
}
