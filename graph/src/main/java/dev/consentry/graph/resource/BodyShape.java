package dev.consentry.graph.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.consentry.core.metadata.GraphMetadata;
import dev.consentry.core.metadata.UndeclaredNames;
import dev.consentry.core.permission.GraphPath;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one check of a Graph request body against Graph's v1.0 metadata, before any resource reads it: the type the
 * path names ({@code POST} to a collection: its element type; {@code PATCH} or {@code PUT} on one entity: its type;
 * {@code @odata.type} in an object picks a derived type, as Graph does) must declare every property name, and every
 * value must have the JSON type the property's Edm type needs, nested complex values and arrays included.
 *
 * <p>Property names are matched ignoring case and handed on as the metadata spells them: Graph takes
 * {@code DisplayName} for {@code displayName} (microsoftgraph/microsoft-graph-docs issue 17798, 2022-07-21: "The
 * case on other keys has no effect"). Annotations, extension properties of open types and the names of an open type
 * that declares none are accepted by the tenant file's rules ({@link UndeclaredNames}).
 *
 * <p>Refusals are Graph's, per workload:
 * <ul>
 *   <li>directory objects (users, groups, applications, service principals, devices, policies): 400
 *       {@code Request_BadRequest} "Invalid property 'responseHeaders'." (pnp/PnP-Sites-Core issue 1807, 2018-06-08,
 *       a PATCH of a group; msgraph-sdk-powershell issue 3230, 2025, "Invalid property error" on Update-MgGroup);</li>
 *   <li>mail and calendar (Exchange): 400 {@code RequestBodyRead} "The property 'graphResponseHeaders' does not exist
 *       on type 'Microsoft.OutlookServices.Event'. Make sure to only use property names that are defined by the type
 *       or mark the type as open type." (msgraph-sdk-java issue 391, 2020-07-06; msgraph-sdk-dotnet issue 270,
 *       2018-05-14, on a message);</li>
 *   <li>the other workloads: the same OData reader text naming Graph's own type, with {@code BadRequest}.</li>
 * </ul>
 * A value of the wrong type: "Cannot convert the literal '800067' to the expected type 'Edm.String'." (a number as
 * a user's {@code employeeId}, msgraph-sdk-powershell issue 3304, 2025-04-30; 'True' for an Edm.String of a group
 * setting, issue 3202, 2025-02-28, whose code is cut short after "Reque"; Exchange's {@code RequestBodyRead} with
 * the same text for an Edm.Binary, issue 3159, 2025-02-21). The literal is written as .NET writes it ({@code True}
 * for {@code true}), as the reports show. An object or array where another kind of value belongs, and {@code null}
 * where the metadata forbids it, get the OData reader's own texts (OData/odata.net,
 * {@code ReaderValidationUtils}: "An unexpected 'StartObject' node was found when reading from the JSON reader. A
 * 'PrimitiveValue' node was expected.", "A null value was found for the property named 'x', which has the expected
 * type 'Edm.Boolean[Nullable=False]'. ..."). An enumeration value that is no member is refused with the
 * "Cannot convert the literal" text naming the enumeration; Consentry found no observed answer for that case.
 *
 * <p>Graph's texts do not all name the property; every refusal carries the property's path
 * ({@code passwordProfile.forceChangePasswordNextSignIn}, {@code businessPhones[1]}) and the expected type as facts,
 * which the diagnosis of the call shows.
 *
 * <p>Guaranteed: reads the body only; a body that is not a JSON object, a route the metadata does not resolve, an
 * action's parameters and a {@code $ref} are left unchecked (their resources answer them).
 */
final class BodyShape {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String ODATA_TYPE = "@odata.type";

    /** What the check found. */
    sealed interface Outcome {
        /** Nothing to check against: the resource reads the body as sent. */
        record Unchecked() implements Outcome {}

        /** Every name and value fits; {@code body} has the names as the metadata spells them. */
        record Accepted(byte[] body) implements Outcome {}

        record Refused(GraphAnswer answer) implements Outcome {}
    }

    /** How the workload that owns the body's type words a refusal. */
    private enum Workload {
        DIRECTORY("Request_BadRequest"),
        EXCHANGE("RequestBodyRead"),
        OTHER("BadRequest");

        final String code;

        Workload(String code) {
            this.code = code;
        }
    }

    private record Refusal(GraphAnswer answer) {}

    private final GraphMetadata metadata;
    private final Workload workload;

    private BodyShape(GraphMetadata metadata, Workload workload) {
        this.metadata = metadata;
        this.workload = workload;
    }

    /** The check of {@code call}'s body. */
    static Outcome check(GraphCall call) {
        String method = call.method();
        if (call.body().length == 0 || !call.version().equals("v1.0")
                || !(method.equals("POST") || method.equals("PATCH") || method.equals("PUT"))) {
            return new Outcome.Unchecked();
        }
        GraphMetadata m = GraphMetadata.v1();
        Optional<String> type = bodyType(m, method, call.path());
        if (type.isEmpty()) {
            return new Outcome.Unchecked();
        }
        JsonNode body;
        try {
            body = JSON.readTree(call.body());
        } catch (IOException e) {
            return new Outcome.Unchecked(); // the resource answers a body that is not JSON in its own words
        }
        if (!(body instanceof ObjectNode object)) {
            return new Outcome.Unchecked();
        }
        // Delegated permission grants are the directory's too, though Graph types them as plain entities.
        Workload workload = m.isA(type.get(), "directoryObject") || m.isA(type.get(), "oAuth2PermissionGrant")
                ? Workload.DIRECTORY
                : m.isA(type.get(), "outlookItem") || m.isA(type.get(), "mailFolder") || m.isA(type.get(), "calendar")
                ? Workload.EXCHANGE : Workload.OTHER;
        BodyShape shape = new BodyShape(m, workload);
        ObjectNode canonical = JSON.createObjectNode();
        Optional<Refusal> refusal = shape.object(object, type.get(), "", canonical);
        if (refusal.isPresent()) {
            return new Outcome.Refused(refusal.get().answer());
        }
        try {
            return new Outcome.Accepted(JSON.writeValueAsBytes(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree read from JSON always writes", e);
        }
    }

    /**
     * The type a write's body describes: the element type of a collection a {@code POST} adds to, the type of the
     * entity a {@code PATCH} or {@code PUT} changes; empty for a bound action, a {@code $ref}, a path the metadata
     * does not resolve or a value that is no entity or complex type (a stream's content).
     */
    static Optional<String> bodyType(GraphMetadata m, String method, String path) {
        GraphPath parsed = GraphPath.parse(path);
        if (parsed.segments().isEmpty() || parsed.ref()) {
            return Optional.empty();
        }
        if (!(m.resolve(parsed.segments()) instanceof GraphMetadata.Resolution.Known known) || known.type() == null
                || known.collection() != method.equals("POST")) {
            return Optional.empty();
        }
        return m.type(known.type()).filter(t -> t.kind() != GraphMetadata.Kind.ENUMERATION).map(GraphMetadata.Type::name);
    }

    /** Checks {@code object} as a value of {@code type} (or the derived type its {@code @odata.type} names) into {@code out}. */
    private Optional<Refusal> object(ObjectNode object, String type, String path, ObjectNode out) {
        String actual = derivedType(object, type);
        if (actual == null) {
            // An @odata.type that is no type derived from the expected one: the resource names what it takes.
            out.setAll(object);
            return Optional.empty();
        }
        boolean typed = object.hasNonNull(ODATA_TYPE);
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            Optional<GraphMetadata.Property> p = name.indexOf('@') >= 0 ? Optional.empty() : metadata.property(actual, name);
            if (p.isEmpty()) {
                // Without @odata.type, a name of a derived type may be meant (an ipNamedLocation's ipRanges posted as a
                // namedLocation): the value is handed on as sent, for the resource to ask which type it is.
                boolean derivedName = !typed && metadata.derived(actual).stream()
                        .anyMatch(d -> metadata.property(d, name).isPresent());
                if (!derivedName && !UndeclaredNames.accepted(metadata, actual, name)) {
                    return Optional.of(unknown(name, actual, join(path, name)));
                }
                out.set(name, field.getValue());
                continue;
            }
            String at = join(path, p.get().name());
            Optional<Refusal> r = value(field.getValue(), p.get(), at, out, p.get().name());
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    /**
     * The type an object is checked as: the one its {@code @odata.type} names when that is {@code type} or derives from
     * it, {@code type} when it names none; null when it names another type.
     */
    private String derivedType(ObjectNode object, String type) {
        JsonNode named = object.get(ODATA_TYPE);
        if (named == null || named.isNull()) {
            return type;
        }
        String text = named.asText();
        String bare = text.startsWith("#") ? text.substring(1) : text;
        Optional<GraphMetadata.Type> t = metadata.type(bare);
        return t.isPresent() && metadata.isA(t.get().name(), type) ? t.get().name() : null;
    }

    private Optional<Refusal> value(JsonNode v, GraphMetadata.Property p, String at, ObjectNode out, String name) {
        if (v.isNull()) {
            if (!p.nullable() && !p.navigation()) {
                return Optional.of(nullNamed(p, at));
            }
            out.set(name, v);
            return Optional.empty();
        }
        if (p.collection()) {
            if (!v.isArray()) {
                return Optional.of(unexpectedNode(v, "StartArray", at, p.type()));
            }
            ArrayNode list = JSON.createArrayNode();
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                String here = at + "[" + i + "]";
                if (e.isNull()) {
                    if (!p.nullable()) {
                        return Optional.of(nullElement(p.type(), here));
                    }
                    list.add(e);
                    continue;
                }
                Object checked = single(e, p.type(), here);
                if (checked instanceof Refusal r) {
                    return Optional.of(r);
                }
                list.add((JsonNode) checked);
            }
            out.set(name, list);
            return Optional.empty();
        }
        Object checked = single(v, p.type(), at);
        if (checked instanceof Refusal r) {
            return Optional.of(r);
        }
        out.set(name, (JsonNode) checked);
        return Optional.empty();
    }

    /** One non-null value of {@code type}: the value to hand on, or a {@link Refusal}. */
    private Object single(JsonNode v, String type, String at) {
        if (GraphMetadata.isPrimitive(type)) {
            return primitive(v, type) ? v : notConvertible(v, type, at);
        }
        Optional<GraphMetadata.Type> t = metadata.type(type);
        if (t.isEmpty()) {
            return v;
        }
        if (t.get().kind() == GraphMetadata.Kind.ENUMERATION) {
            Optional<String> member = v.isTextual() ? member(t.get(), v.asText()) : Optional.empty();
            return member.isPresent() ? (JsonNode) TextNode.valueOf(member.get())
                    : notConvertible(v, GraphMetadata.qualifiedName(t.get().name()), at);
        }
        if (!(v instanceof ObjectNode object)) {
            return unexpectedNode(v, "StartObject", at, type);
        }
        ObjectNode nested = JSON.createObjectNode();
        Optional<Refusal> r = object(object, t.get().name(), at, nested);
        return r.isPresent() ? r.get() : nested;
    }

    /**
     * The member (or, for a flags enumeration, the comma-separated members) {@code text} names, as the metadata
     * spells them; case is ignored, as the SDKs send the names Graph documents.
     */
    private static Optional<String> member(GraphMetadata.Type enumeration, String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String wanted = part.trim();
            Optional<String> found = enumeration.members().stream().filter(m -> m.equalsIgnoreCase(wanted)).findFirst();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            out.add(found.get());
        }
        return Optional.of(String.join(",", out));
    }

    /** Whether {@code v} is a JSON value the Edm primitive {@code type} takes. */
    static boolean primitive(JsonNode v, String type) {
        return switch (type) {
            case "Edm.String" -> v.isTextual();
            case "Edm.Boolean" -> v.isBoolean();
            case "Edm.Byte" -> v.canConvertToInt() && v.isIntegralNumber() && v.intValue() >= 0 && v.intValue() <= 255;
            case "Edm.SByte" -> v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= -128 && v.intValue() <= 127;
            case "Edm.Int16" -> v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= Short.MIN_VALUE
                    && v.intValue() <= Short.MAX_VALUE;
            case "Edm.Int32" -> v.isIntegralNumber() && v.canConvertToInt();
            case "Edm.Int64" -> v.isIntegralNumber() && v.canConvertToLong();
            case "Edm.Double", "Edm.Single" -> v.isNumber() || v.isTextual() && Arrays.asList("INF", "-INF", "NaN").contains(v.asText());
            case "Edm.Decimal" -> v.isNumber();
            case "Edm.DateTimeOffset" -> v.isTextual() && parses(() -> OffsetDateTime.parse(v.asText()));
            case "Edm.Date" -> v.isTextual() && parses(() -> LocalDate.parse(v.asText()));
            case "Edm.TimeOfDay" -> v.isTextual() && parses(() -> LocalTime.parse(v.asText()));
            case "Edm.Duration" -> v.isTextual() && (v.asText().startsWith("P") || v.asText().startsWith("-P"));
            case "Edm.Guid" -> v.isTextual() && GUID.matcher(v.asText()).matches();
            case "Edm.Binary" -> v.isTextual() && (parses(() -> Base64.getDecoder().decode(v.asText()))
                    || parses(() -> Base64.getUrlDecoder().decode(v.asText())));
            default -> true; // Edm.Stream, Edm.Untyped, geography: not checked
        };
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private Refusal unknown(String name, String type, String at) {
        String message = switch (workload) {
            case DIRECTORY -> "Invalid property '" + name + "'.";
            case EXCHANGE -> undeclared(name, "Microsoft.OutlookServices." + Character.toUpperCase(type.charAt(0))
                    + type.substring(1));
            case OTHER -> undeclared(name, GraphMetadata.qualifiedName(type));
        };
        return refusal(message, at, "undeclared", GraphMetadata.qualifiedName(type));
    }

    private static String undeclared(String name, String typeName) {
        return "The property '" + name + "' does not exist on type '" + typeName + "'. Make sure to only use property "
                + "names that are defined by the type or mark the type as open type.";
    }

    private Refusal notConvertible(JsonNode v, String type, String at) {
        if (v.isContainerNode()) {
            return unexpectedNode(v, "PrimitiveValue", at, type);
        }
        String literal = v.isTextual() ? v.asText() : v.isBoolean() ? (v.asBoolean() ? "True" : "False") : v.toString();
        return refusal("Cannot convert the literal '" + literal + "' to the expected type '" + type + "'.", at, type, null);
    }

    private Refusal unexpectedNode(JsonNode v, String expected, String at, String type) {
        String found = v.isObject() ? "StartObject" : v.isArray() ? "StartArray" : "PrimitiveValue";
        return refusal("An unexpected '" + found + "' node was found when reading from the JSON reader. A '" + expected
                + "' node was expected.", at, expected.equals("StartArray") ? "Collection(" + GraphMetadata.qualifiedName(type) + ")" : GraphMetadata.qualifiedName(type), null);
    }

    private Refusal nullNamed(GraphMetadata.Property p, String at) {
        String type = GraphMetadata.qualifiedName(p.type()) + "[Nullable=False]";
        return refusal("A null value was found for the property named '" + p.name() + "', which has the expected type '"
                + type + "'. The expected type '" + type + "' does not allow null values.", at, GraphMetadata.qualifiedName(p.type()), null);
    }

    private Refusal nullElement(String elementType, String at) {
        String type = GraphMetadata.qualifiedName(elementType) + "[Nullable=False]";
        return refusal("A null value was found with the expected type '" + type + "'. The expected type '" + type
                + "' does not allow null values.", at, GraphMetadata.qualifiedName(elementType), null);
    }

    private Refusal refusal(String message, String at, String expected, String declaringType) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("property", at);
        if (declaringType != null) {
            facts.put("type", declaringType);
        } else {
            facts.put("expected", expected);
        }
        return new Refusal(GraphAnswer.error(400, workload.code, message).withFacts(facts));
    }
}
