package dev.consentry.core.tenantfile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.consentry.core.directory.DirectoryJson;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jackson's exceptions into {@link TenantFileException}s in our words: the JSON path Jackson
 * tracked, what the record expected there and what the file holds there (read from the parsed tree, not
 * from Jackson's message). No Java class name gets through.
 */
final class JsonErrors {
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern START_MARKER =
            Pattern.compile("\\s*\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)\\]\\)");
    private static final Pattern SOURCE = Pattern.compile("\\s*\\[Source: .*?\\]");
    /** What a text must not hold to be shown as it is: a package-qualified name or an exception's name. */
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(java|javax|com|dev|sun|jdk)\\.[a-z]|Exception|`");
    /** Properties whose absence has a well-known reason worth saying. */
    private static final Map<String, String> MISSING_HINTS = Map.of(
            "key", " (Graph returns a certificate's key only for GET /applications/{id}?$select=keyCredentials)");

    private JsonErrors() {}

    /** The document is not JSON: where the parser stopped (line, column) and the path it had reached. */
    static TenantFileException syntax(String source, JsonProcessingException e) {
        String path = "$";
        if (e instanceof StreamReadException s && s.getProcessor() instanceof JsonParser p) {
            path = path(p.getParsingContext());
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new TenantFileException(source, path, "not valid JSON" + where + ": " + parserMessage(e.getOriginalMessage()));
    }

    /**
     * A value of the wrong type or a broken record rule, found while binding {@code root} (the node at
     * {@code base}) to records.
     */
    static TenantFileException binding(String source, String base, JsonNode root, JsonMappingException e) {
        List<JsonMappingException.Reference> refs = e.getPath();
        String path = base + suffix(refs);
        JsonNode node = locate(root, refs);
        if (e instanceof ValueInstantiationException v) {
            Class<?> type = v.getType() == null ? null : v.getType().getRawClass();
            Throwable cause = v.getCause();
            if (isGuid(type) || (type != null && type.isEnum())) {
                return new TenantFileException(source, path, "expected " + expected(type) + ", found " + found(node));
            }
            if (cause instanceof NullPointerException && cause.getMessage() != null
                    && PROPERTY_NAME.matcher(cause.getMessage()).matches()) {
                String name = cause.getMessage();
                return new TenantFileException(source, path,
                        "required property '" + name + "' is missing" + MISSING_HINTS.getOrDefault(name, ""));
            }
            String nullAt = nullElement(node);
            if (cause instanceof NullPointerException && nullAt != null) {
                return new TenantFileException(source, path + nullAt, "expected a value, found null (null is not allowed in this list)");
            }
            if (cause instanceof IllegalArgumentException && isSafe(cause.getMessage())) {
                return new TenantFileException(source, path, cause.getMessage());
            }
            return new TenantFileException(source, path, "this object is not valid here");
        }
        if (e instanceof InvalidFormatException f) {
            return new TenantFileException(source, path, "expected " + expected(f.getTargetType()) + ", found " + found(node));
        }
        if (e instanceof MismatchedInputException m) {
            return new TenantFileException(source, path, "expected " + expected(m.getTargetType()) + ", found " + found(node));
        }
        return new TenantFileException(source, path, "this value is not valid here");
    }

    /** The value at a path, in words: {@code the string "yes"}, {@code the number 5}, {@code an object}, ... */
    static String found(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            String s = node.textValue();
            return "the string \"" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "\"";
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        if (node.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /** What a property of that type accepts, in words. */
    static String expected(Class<?> type) {
        if (type == null || type == Object.class) {
            return "another kind of value";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (isGuid(type)) {
            return "a GUID such as 7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01";
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return "a date and time such as 2026-01-31T12:00:00Z";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return enumValues(type);
        }
        return "an object";
    }

    /** {@code $.tenants[0].users[3]} style, from a parser's position. */
    static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                parts.push(field(c.getCurrentName()));
            }
        }
        return "$" + String.join("", parts);
    }

    /** {@code .users[3].accountEnabled} style, from Jackson's reference chain. */
    static String suffix(List<JsonMappingException.Reference> refs) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                p.append(field(r.getFieldName()));
            } else if (r.getIndex() >= 0) {
                p.append('[').append(r.getIndex()).append(']');
            }
        }
        return p.toString();
    }

    static String field(String name) {
        return PROPERTY_NAME.matcher(name).matches() ? "." + name : "['" + name.replace("'", "\\'") + "']";
    }

    private static JsonNode locate(JsonNode root, List<JsonMappingException.Reference> refs) {
        JsonNode node = root;
        for (JsonMappingException.Reference r : refs) {
            node = r.getFieldName() != null ? node.path(r.getFieldName()) : node.path(Math.max(0, r.getIndex()));
        }
        return node;
    }

    /** {@code .users[1]} when a list property of {@code node} holds a null, which the records refuse. */
    private static String nullElement(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isArray()) {
                for (int i = 0; i < e.getValue().size(); i++) {
                    if (e.getValue().get(i).isNull()) {
                        return field(e.getKey()) + "[" + i + "]";
                    }
                }
            }
        }
        return null;
    }

    private static boolean isGuid(Class<?> type) {
        return type != null && (type == UUID.class || type.getPackageName().equals("dev.consentry.core.id"));
    }

    private static String enumValues(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            try {
                names.add(DirectoryJson.mapper().writeValueAsString(constant));
            } catch (JsonProcessingException e) {
                names.add("\"" + constant + "\"");
            }
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static boolean isSafe(String message) {
        return message != null && !message.isBlank() && !JAVA_NAME.matcher(message).find() && message.indexOf('\n') < 0;
    }

    /** Jackson's parser messages are plain English; only their source descriptions need replacing. */
    private static String parserMessage(String message) {
        if (message == null) {
            return "the text is not JSON here";
        }
        Matcher m = START_MARKER.matcher(message);
        String text = m.replaceAll(" (opened at line $1, column $2)");
        text = SOURCE.matcher(text).replaceAll("");
        text = text.replace('\n', ' ').strip();
        return isSafe(text) ? text : "the text is not JSON here";
    }
}
