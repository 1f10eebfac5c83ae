package dev.consentry.graph.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * What a served Graph route answers: status, JSON body (empty for 202 and 204) and extra headers. A refusal of
 * the data layer (unknown object, bad query, bad body) is an answer too, with Graph's error code and message;
 * the transport adds {@code innerError}'s ids to it.
 */
public record GraphAnswer(int status, byte[] body, Map<String, String> headers, ErrorText error) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public GraphAnswer {
        headers = Map.copyOf(headers);
    }

    /**
     * Graph's {@code code} and {@code message} of an error answer, and the facts that say what in the request it
     * refuses ({@code property}: the JSON path of a body's property; {@code expected}: the type it needs), for the
     * diagnosis when Graph's own text does not name them; empty when there are none.
     */
    public record ErrorText(String code, String message, Map<String, String> facts) {
        public ErrorText {
            facts = facts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
        }

        public ErrorText(String code, String message) {
            this(code, message, Map.of());
        }
    }

    public static GraphAnswer json(int status, Object value) {
        try {
            return new GraphAnswer(status, JSON.writeValueAsBytes(value), Map.of(), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of plain values always serialise", e);
        }
    }

    /**
     * Graph's answer to a create: 201 with the {@code @odata.context} of one entity of {@code collection}, the entity's
     * {@code properties}, and a {@code Location} naming it on the caller's origin and version.
     */
    static GraphAnswer created(GraphCall call, String collection, Object id, Map<String, Object> properties) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("@odata.context", call.context(collection + "/$entity"));
        out.putAll(properties);
        return json(201, out).withHeader("Location", call.origin() + "/" + call.version() + "/" + collection + "/" + id);
    }

    public static GraphAnswer empty(int status, Map<String, String> headers) {
        return new GraphAnswer(status, new byte[0], headers, null);
    }

    public static GraphAnswer error(int status, String code, String message) {
        return new GraphAnswer(status, new byte[0], Map.of(), new ErrorText(code, message));
    }

    /** This error answer with {@code facts} for the diagnosis (see {@link ErrorText#facts}). */
    public GraphAnswer withFacts(Map<String, String> facts) {
        return new GraphAnswer(status, body, headers, error == null ? null : new ErrorText(error.code(), error.message(), facts));
    }

    /** The answer with one more header. */
    public GraphAnswer withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new GraphAnswer(status, body, more, error);
    }

    /** 404 as the directory answers an unknown object. */
    public static GraphAnswer notFound(String id) {
        return error(404, "Request_ResourceNotFound", "Resource '" + id
                + "' does not exist or one of its queried reference-property objects are not present.");
    }

    /** 400 for a body that is not the JSON object the route expects. */
    public static GraphAnswer badBody(String why) {
        return error(400, "BadRequest", why);
    }
}
