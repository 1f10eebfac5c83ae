package dev.consentry.identity.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Failure;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The STS error body (wire spec, section 3.1): {@code error}, {@code error_description} starting with
 * the AADSTS code and ending with trace id, correlation id and timestamp, {@code error_codes},
 * {@code timestamp}, {@code trace_id}, {@code correlation_id}, and, when the origin is known, {@code error_uri}: the
 * page that explains the code, last, as Entra writes it ({@code "error_uri":"https://login.microsoftonline.com/error?code=7000215"}
 * in a body of 2023-05-06, github.com/OfficeDev/microsoft-365-agents-toolkit/issues/8621). A pure function of its inputs.
 *
 * @param origin the origin the client used, whose {@code /error?code=} page explains the code; null for none
 */
public record StsError(Failure failure, String traceId, String correlationId, Instant timestamp, String origin) {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An error without an {@code error_uri}. */
    public StsError(Failure failure, String traceId, String correlationId, Instant timestamp) {
        this(failure, traceId, correlationId, timestamp, null);
    }

    /** The HTTP status of the response. */
    public int status() {
        return failure.cause().status();
    }

    /** {@code AADSTS<n>: <message>} followed by the trace lines, as Entra writes it. */
    public String description() {
        return "AADSTS" + failure.cause().code() + ": " + failure.publicMessage()
                + "\r\nTrace ID: " + traceId
                + "\r\nCorrelation ID: " + correlationId
                + "\r\nTimestamp: " + TIMESTAMP.format(timestamp);
    }

    /** The page on {@code origin} that explains the code ({@code /error?code=}), for the body and the authorize redirect. */
    public String errorUri() {
        return origin + "/error?code=" + failure.cause().code();
    }

    /** The JSON body, UTF-8. */
    public byte[] toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", failure.cause().error());
        body.put("error_description", description());
        body.put("error_codes", List.of(failure.cause().code()));
        body.put("timestamp", TIMESTAMP.format(timestamp));
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        if (failure.cause().suberror() != null) {
            body.put("suberror", failure.cause().suberror());
        }
        // A conditional access refusal names what to ask for again (wire spec, section 3.2): the claims, as a JSON string.
        if (failure.claims() != null) {
            body.put("claims", failure.claims());
        }
        if (origin != null) {
            body.put("error_uri", errorUri());
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
