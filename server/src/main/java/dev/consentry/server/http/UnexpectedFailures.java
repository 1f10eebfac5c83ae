package dev.consentry.server.http;

import dev.consentry.graph.wire.GraphError;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consentry's own faults while it handles a request: whatever a handler throws, an {@link Exception} or an
 * {@link Error} such as a stack overflow, is logged once at ERROR with the request's id and answered as JSON 500
 * carrying that id, never as an empty body or a stack trace.
 *
 * <p>The id is the one the response carries anyway: a Graph request's {@code request-id} (the Graph handler asks
 * for it here before anything can fail), or a new one for any other route, sent as {@code request-id} and
 * {@code x-ms-request-id}.
 */
public final class UnexpectedFailures {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private static final Logger LOG = LoggerFactory.getLogger("consentry.http");
    private static final String REQUEST_ID = "consentry.request-id";

    private UnexpectedFailures() {}

    /** The request id of this request's response, made on first use and the same for every later caller. */
    public static String requestId(Context ctx) {
        if (ctx.attribute(REQUEST_ID) instanceof String id) {
            return id;
        }
        String id = newRequestId();
        ctx.attribute(REQUEST_ID, id);
        return id;
    }

    /**
     * A random (version 4) UUID from a secure generator. A request id is a capability: whoever holds a Graph call's id
     * can read its decision at {@code /consentry/diagnostics/{id}}, so it must not be guessable from other ids (with
     * {@code ThreadLocalRandom}, two ids of one's own narrowed another caller's to a handful). Each thread keeps its own
     * {@link SecureRandom}, so requests do not queue on the one that {@code UUID.randomUUID()} shares.
     */
    static String newRequestId() {
        SecureRandom r = RANDOM.get();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;
        long low = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /**
     * {@code handler} with any {@link Error} it throws turned into an {@link UnexpectedError}, so that the one
     * exception handler answers it: Javalin hands errors to Jetty, which answers 500 with an empty body.
     */
    public static Handler guarded(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (Error e) {
                throw new UnexpectedError(e);
            }
        };
    }

    /** Logs {@code failure} once at ERROR with the request id, and answers JSON 500 with that id. */
    public static void answer(Exception failure, Context ctx) {
        Throwable cause = failure instanceof UnexpectedError u ? u.getCause() : failure;
        String id = requestId(ctx);
        LOG.error("unexpected failure on {} {} request-id={}", ctx.method(), ctx.path(), id, cause);
        // Not the services' clock: it may be what failed.
        Instant now = Instant.now();
        ctx.header("request-id", id);
        ctx.header("Cache-Control", "no-store");
        String path = ctx.path().toLowerCase(Locale.ROOT);
        if (path.equals("/v1.0") || path.startsWith("/v1.0/") || path.equals("/beta") || path.startsWith("/beta/")) {
            String sent = ctx.header("client-request-id");
            String client = sent != null && !sent.isBlank() && sent.length() <= 128
                    && sent.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? sent : id;
            ctx.header("client-request-id", client);
            ctx.status(500).contentType("application/json").result(GraphError.unexpected(id, client, now));
        } else {
            ctx.header("x-ms-request-id", id);
            ctx.status(500).contentType(StsResponses.JSON_UTF8).result(("{\"error\":\"server_error\",\"error_description\":"
                    + "\"Consentry hit an internal error; the server log has the details under request id " + id + ".\","
                    + "\"timestamp\":\"" + now + "\",\"trace_id\":\"" + id + "\",\"correlation_id\":\"" + id + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An {@link Error} of a handler, carried to the exception handler. */
    static final class UnexpectedError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnexpectedError(Error cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
