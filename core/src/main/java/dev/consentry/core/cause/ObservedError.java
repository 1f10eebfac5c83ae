package dev.consentry.core.cause;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * What the real Microsoft Graph or Entra token service answered, as a user pasted it: the status when known, the
 * body, and the response headers that matter (above all {@code WWW-Authenticate}). {@link ErrorReadings} says which
 * {@link Cause} it was.
 *
 * <p>Header names are case-insensitive (RFC 9110, section 5.1); the body is never null (empty when the answer had
 * none, as a claims challenge may).
 */
public record ObservedError(OptionalInt status, String body, Map<String, String> headers) {
    /** The longest input read, in characters: a real error body is a few kilobytes. */
    public static final int MAX_CHARS = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    public ObservedError {
        status = status == null ? OptionalInt.empty() : status;
        body = body == null ? "" : body;
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            copy.putAll(headers);
        }
        headers = Collections.unmodifiableMap(copy);
    }

    /** A body without status or headers. */
    public static ObservedError ofBody(String body) {
        return new ObservedError(OptionalInt.empty(), body, Map.of());
    }

    /**
     * Reads what a user pasted: a raw HTTP response (it starts with {@code HTTP/}: status line, headers, a blank line,
     * the body) or just the body.
     *
     * @throws Unreadable when an HTTP response has no status line Consentry can read
     */
    public static ObservedError parse(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (!t.startsWith("HTTP/")) {
            return ofBody(t.strip());
        }
        String[] headAndBody = t.split("\\r?\\n\\r?\\n", 2);
        List<String> head = headAndBody[0].lines().toList();
        String[] statusLine = head.get(0).split("\\s+", 3);
        if (statusLine.length < 2 || !statusLine[1].matches("\\d{3}")) {
            throw new Unreadable("the first line '" + shorten(head.get(0)) + "' is not an HTTP status line (HTTP/1.1 401 Unauthorized)");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line : head.subList(1, head.size())) {
            if (!line.isBlank()) {
                Map.Entry<String, String> h = headerLine(line);
                headers.merge(h.getKey(), h.getValue(), (a, b) -> a + ", " + b);
            }
        }
        return new ObservedError(OptionalInt.of(Integer.parseInt(statusLine[1])),
                headAndBody.length > 1 ? headAndBody[1].strip() : "", headers);
    }

    /**
     * One header as written on the wire, {@code Name: value}.
     *
     * @throws Unreadable when there is no colon or no name
     */
    public static Map.Entry<String, String> headerLine(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0 || line.substring(0, colon).isBlank() || line.substring(0, colon).strip().contains(" ")) {
            throw new Unreadable("'" + shorten(line) + "' is not a header: write it as 'Name: value'");
        }
        return Map.entry(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
    }

    /** This answer with one more header (a later one with the same name replaces it). */
    public ObservedError withHeader(String name, String value) {
        Map<String, String> more = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        more.putAll(headers);
        more.put(name, value);
        return new ObservedError(status, body, more);
    }

    /** This answer with the given status. */
    public ObservedError withStatus(int code) {
        return new ObservedError(OptionalInt.of(code), body, headers);
    }

    /** A header's value, if the answer had it. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /**
     * The body as JSON, or empty when there is no body.
     *
     * @throws Unreadable when there is a body and it is not a JSON object, or there is neither a body nor a
     *     {@code WWW-Authenticate} header: nothing to read
     */
    public Optional<JsonNode> json() {
        if (body.isBlank()) {
            if (header("WWW-Authenticate").isEmpty()) {
                throw new Unreadable("there is nothing to read: no body and no WWW-Authenticate header");
            }
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new Unreadable("the body is not a JSON object");
            }
            return Optional.of(node);
        } catch (JsonProcessingException e) {
            throw new Unreadable("the body is not JSON and the input is not an HTTP response (it does not start with HTTP/)");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** An input that is no answer of Graph or the token service at all; the message says why, in one line. */
    public static final class Unreadable extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public Unreadable(String message) {
            super(message);
        }
    }
}
