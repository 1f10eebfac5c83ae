package dev.consentry.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What was decided for one request, as a {@link TraceStore} keeps it. Ids compare case-insensitively (they are GUIDs)
 * but are returned as recorded.
 *
 * @param requestId     the request's own id, never null; a second entry with the same id replaces the first
 * @param traceId       the {@code trace_id} the answer carried (Entra's per-response id); null when it carried none
 * @param correlationId the {@code correlation_id} / {@code client-request-id} the client sent or was given, shared by
 *                      the requests of one client operation; null when there was none
 * @param channel       which front door answered
 * @param at            when it was decided; kept to the microsecond (finer digits are dropped here, so every store
 *                      returns the value it was given)
 * @param body          the decision as JSON text, at most {@link #MAX_BODY_BYTES} bytes in UTF-8; the store never
 *                      parses it
 * @param clientId      the app that made the request ({@code client_id}, or the token's app); null when unknown
 */
public record TraceEntry(String requestId, String traceId, String correlationId, TraceChannel channel, Instant at,
                         String body, String clientId) {

    /** The longest body a store keeps: 64 KiB of UTF-8. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** The longest id a store keeps. */
    public static final int MAX_ID_LENGTH = 256;

    /**
     * Refuses with {@link IllegalArgumentException} a body over {@link #MAX_BODY_BYTES} or an id over
     * {@link #MAX_ID_LENGTH}; {@link NullPointerException} for a null request id, channel, instant or body.
     */
    /** An entry that names no app. */
    public TraceEntry(String requestId, String traceId, String correlationId, TraceChannel channel, Instant at, String body) {
        this(requestId, traceId, correlationId, channel, at, body, null);
    }

    public TraceEntry {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(body, "body");
        requireShort("requestId", requestId);
        requireShort("traceId", traceId);
        requireShort("correlationId", correlationId);
        requireShort("clientId", clientId);
        if (!fitsInBody(body)) {
            throw new IllegalArgumentException("a trace body is at most " + MAX_BODY_BYTES + " bytes of UTF-8; this one has "
                    + body.getBytes(StandardCharsets.UTF_8).length);
        }
        at = at.truncatedTo(ChronoUnit.MICROS);
        epochMicros(at); // refuses an instant the stores cannot keep
    }

    /** Microseconds since the epoch, as the JDBC store keeps {@link #at}. */
    private static long epochMicros(Instant at) {
        try {
            return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a trace's instant must be within 290,000 years of 1970: " + at, e);
        }
    }

    private static void requireShort(String name, String id) {
        if (id != null && id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("a trace's " + name + " is at most " + MAX_ID_LENGTH + " characters");
        }
    }

    /** True when {@code body} is at most {@link #MAX_BODY_BYTES} in UTF-8; counted only when its length leaves doubt. */
    private static boolean fitsInBody(String body) {
        int chars = body.length();
        if (chars > MAX_BODY_BYTES) {
            return false; // each char takes at least one byte
        }
        if (chars <= MAX_BODY_BYTES / 3) {
            return true; // and at most three (a surrogate pair takes four for its two chars)
        }
        int bytes = 0;
        for (int i = 0; i < chars; i++) {
            char c = body.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(body.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes <= MAX_BODY_BYTES;
    }
}
