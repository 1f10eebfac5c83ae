package dev.consentry.graph.resource;

import dev.consentry.core.metadata.GraphMetadata;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The OData query options Consentry's collections understand, as Microsoft Graph applies them to directory
 * objects: {@code $select}, {@code $filter} with {@code eq} and {@code startswith} (and, on the date-times a shape names
 * ranged, {@code ge}, {@code le}, {@code gt} and {@code lt}) on the properties a
 * resource names filterable (clauses joined by {@code and}; {@code endswith} only as an advanced query, with
 * {@code ConsistencyLevel: eventual} and {@code $count=true}), {@code $top} (1 to 999), {@code $count} (only
 * with {@code ConsistencyLevel: eventual}, else 400 "$count is not currently supported.") and
 * {@code $skiptoken} paging through {@code @odata.nextLink}. Anything else that Graph would refuse is a
 * {@link GraphAnswer} error, never an exception.
 *
 * <p>Rows are the JSON views of the entities (every property, by Graph name); the query filters, pages and
 * projects them.
 */
public final class ODataQuery {
    private static final int MAX_TOP = 999;
    /**
     * The longest string literal a directory {@code $filter} takes. Graph refuses
     * {@code startswith(displayName,'<121 characters>')} on {@code /users} with 400 {@code Request_UnsupportedQuery}
     * "Unsupported or invalid query filter clause specified for property 'displayName' of resource 'User'."
     * (microsoftgraph/microsoft-graph-explorer-v4 issue 2103, 2022-09-05, "more than 120 characters"). The report
     * shows {@code startswith}; Consentry applies the same limit to {@code eq} and {@code endswith}, whose values go
     * through the same directory query.
     */
    static final int MAX_LITERAL = 120;

    /**
     * How a resource exposes itself to queries.
     *
     * @param filterable the properties {@code eq} (and {@code startswith}) take; a nested one is a path
     *                   ({@code status/errorCode})
     * @param ranged     the date-time properties {@code ge}, {@code le}, {@code gt} and {@code lt} take (empty: none)
     */
    public record Shape(String entitySet, String typeName, List<String> defaultProperties, Set<String> properties,
                        Set<String> filterable, int pageSize, Set<String> ranged) {
        public Shape(String entitySet, String typeName, List<String> defaultProperties, Set<String> properties,
                     Set<String> filterable, int pageSize) {
            this(entitySet, typeName, defaultProperties, properties, filterable, pageSize, Set.of());
        }
    }

    private final List<String> select;
    private final Predicate<Map<String, Object>> filter;
    private final int top;
    private final boolean count;
    private final int offset;
    /** The order {@code $orderby} asks for; null when it asks none (rows keep the resource's order). */
    private final Comparator<Map<String, Object>> order;

    private ODataQuery(List<String> select, Predicate<Map<String, Object>> filter, int top, boolean count, int offset,
                       Comparator<Map<String, Object>> order) {
        this.select = select;
        this.filter = filter;
        this.top = top;
        this.count = count;
        this.offset = offset;
        this.order = order;
    }

    /**
     * The properties the directory sorts a collection of each type by, without and with the advanced query parameters
     * alike: {@code displayName} and {@code userPrincipalName} of users, {@code displayName} of groups, applications,
     * service principals and devices (learn.microsoft.com/graph/aad-advanced-queries; a user's
     * {@code createdDateTime}, which the user page says supports $orderby, is refused with Request_UnsupportedQuery
     * "Unsupported sort property 'createdDateTime' for 'User'.", microsoftgraph/microsoft-graph-docs-contrib issue
     * 1354, 2023-03-02). A type of another workload sorts by any property its metadata declares.
     */
    static final Map<String, Set<String>> DIRECTORY_SORTABLE = Map.of(
            "user", Set.of("displayName", "userPrincipalName"),
            "group", Set.of("displayName"),
            "application", Set.of("displayName"),
            "servicePrincipal", Set.of("displayName"),
            "device", Set.of("displayName"));

    /** A parsed query, or the error Graph answers for it. */
    public sealed interface Parsed {
        record Ok(ODataQuery query) implements Parsed {}

        record Refused(GraphAnswer answer) implements Parsed {}
    }

    /** No options: the default properties, the first page. */
    public static ODataQuery defaults(Shape shape) {
        return new ODataQuery(shape.defaultProperties(), row -> true, shape.pageSize(), false, 0, null);
    }

    public static Parsed parse(GraphCall call, Shape shape) {
        boolean eventual = call.header("ConsistencyLevel").map(v -> v.equalsIgnoreCase("eventual")).orElse(false);
        boolean count = false;
        if (call.param("$count").isPresent()) {
            String c = call.param("$count").get().toLowerCase(Locale.ROOT);
            if (!c.equals("true") && !c.equals("false")) {
                return refused(400, "BadRequest", "Invalid value '" + call.param("$count").get() + "' for $count: true or false expected.");
            }
            count = c.equals("true");
            if (count && !eventual) {
                return refused(400, "Request_BadRequest", "$count is not currently supported.");
            }
        }
        List<String> select = shape.defaultProperties();
        if (call.param("$select").isPresent()) {
            select = new ArrayList<>();
            for (String p : call.param("$select").get().split(",")) {
                String name = canonical(p.trim(), shape.properties());
                if (name == null) {
                    // A property Graph declares but Consentry does not keep is selected and answered null.
                    name = declared(shape, p.trim()).map(GraphMetadata.Property::name).orElse(null);
                }
                if (name == null) {
                    return noSuchProperty(p.trim(), shape);
                }
                if (!select.contains(name)) {
                    select.add(name);
                }
            }
        }
        Predicate<Map<String, Object>> filter = row -> true;
        if (call.param("$filter").isPresent()) {
            Object parsed = filter(call.param("$filter").get(), shape, eventual && count);
            if (parsed instanceof Parsed.Refused r) {
                return r;
            }
            @SuppressWarnings("unchecked")
            Predicate<Map<String, Object>> p = (Predicate<Map<String, Object>>) parsed;
            filter = p;
        }
        Comparator<Map<String, Object>> order = null;
        if (call.param("$orderby").isPresent()) {
            Object parsed = orderBy(call.param("$orderby").get(), shape, call.param("$filter").isPresent() && !(eventual && count));
            if (parsed instanceof Parsed.Refused r) {
                return r;
            }
            @SuppressWarnings("unchecked")
            Comparator<Map<String, Object>> c = (Comparator<Map<String, Object>>) parsed;
            order = c;
        }
        int top = shape.pageSize();
        if (call.param("$top").isPresent()) {
            String t = call.param("$top").get();
            try {
                top = Integer.parseInt(t.trim());
            } catch (NumberFormatException e) {
                top = -1;
            }
            if (top < 1 || top > MAX_TOP) {
                return refused(400, "Request_BadRequest", "Invalid page size specified: '" + t + "'. Must be between 1 and "
                        + MAX_TOP + " inclusive.");
            }
        }
        int offset = 0;
        if (call.param("$skiptoken").isPresent()) {
            offset = decodeSkipToken(call.param("$skiptoken").get());
            if (offset < 0) {
                return refused(400, "Request_BadRequest", "Unable to read the skip token; use the @odata.nextLink as it was given.");
            }
        }
        return new Parsed.Ok(new ODataQuery(List.copyOf(select), filter, top, count, offset, order));
    }

    /** One token of a {@code $filter}: a name or keyword, a string literal (unescaped), or one of {@code ( ) ,}. */
    private record Token(char kind, String text) {
        static final char NAME = 'n';
        static final char STRING = 's';

        boolean is(String keyword) {
            return kind == NAME && text.equalsIgnoreCase(keyword);
        }
    }

    /**
     * The tokens of {@code text}, or null when it holds an unclosed literal or a character no clause uses. A scan
     * of one loop, so that no length of input can exhaust the stack (a regular expression with an alternation under
     * a star recurses once per character: a 2,000-character literal overflowed it).
     */
    private static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                out.add(new Token(c, String.valueOf(c)));
                i++;
            } else if (c == '\'') {
                StringBuilder literal = new StringBuilder();
                i++;
                while (true) {
                    if (i >= text.length()) {
                        return null;
                    }
                    char d = text.charAt(i);
                    if (d == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        literal.append('\'');
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        break;
                    } else {
                        literal.append(d);
                        i++;
                    }
                }
                out.add(new Token(Token.STRING, literal.toString()));
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                // A name may be a path (status/errorCode); a bare literal that starts with a digit may be a number or
                // a date-time (2024-05-01T08:00:00Z).
                String more = Character.isDigit(c) ? "-:.+" : "/";
                int from = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || more.indexOf(text.charAt(i)) >= 0)) {
                    i++;
                }
                out.add(new Token(Token.NAME, text.substring(from, i)));
            } else {
                return null;
            }
        }
        return out;
    }

    /**
     * The predicate of a whole {@code $filter} (clauses joined by {@code and}; an {@code and} inside a literal is
     * text), or a {@link Parsed.Refused}.
     */
    private static Object filter(String text, Shape shape, boolean advanced) {
        List<Token> t = tokens(text);
        if (t == null || t.isEmpty()) {
            return invalidFilter();
        }
        Predicate<Map<String, Object>> all = row -> true;
        int i = 0;
        while (true) {
            Object clause;
            if (i + 2 < t.size() && t.get(i).kind() == Token.NAME && t.get(i + 1).is("eq")) {
                Token value = t.get(i + 2);
                if (value.kind() != Token.STRING && !value.is("true") && !value.is("false") && !value.is("null")
                        && !Character.isDigit(value.text().charAt(0))) {
                    return invalidFilter();
                }
                clause = eq(t.get(i).text(), value, shape);
                i += 3;
            } else if (i + 2 < t.size() && t.get(i).kind() == Token.NAME && RANGE.contains(t.get(i + 1).text().toLowerCase(Locale.ROOT))) {
                clause = range(t.get(i).text(), t.get(i + 1).text().toLowerCase(Locale.ROOT), t.get(i + 2), shape);
                i += 3;
            } else if (i + 5 < t.size() && (t.get(i).is("startswith") || t.get(i).is("endswith"))
                    && t.get(i + 1).kind() == '(' && t.get(i + 2).kind() == Token.NAME && t.get(i + 3).kind() == ','
                    && t.get(i + 4).kind() == Token.STRING && t.get(i + 5).kind() == ')') {
                clause = function(t.get(i).is("startswith"), t.get(i + 2).text(), t.get(i + 4).text(), shape, advanced);
                i += 6;
            } else {
                return invalidFilter();
            }
            if (clause instanceof Parsed.Refused r) {
                return r;
            }
            @SuppressWarnings("unchecked")
            Predicate<Map<String, Object>> p = (Predicate<Map<String, Object>>) clause;
            all = all.and(p);
            if (i == t.size()) {
                return all;
            }
            if (!t.get(i).is("and")) {
                return invalidFilter();
            }
            i++;
        }
    }

    private static Parsed.Refused invalidFilter() {
        return refused(400, "BadRequest", "Invalid filter clause: Consentry understands eq, startswith and endswith "
                + "(ge, le, gt and lt on date-times), joined by 'and'.");
    }

    private static final Set<String> RANGE = Set.of("ge", "le", "gt", "lt");

    /**
     * {@code property ge 2024-05-01T00:00:00Z} (or {@code le}, {@code gt}, {@code lt}) on a date-time the shape names
     * ranged: a predicate, or a {@link Parsed.Refused}. The literal is bare, as OData writes a {@code DateTimeOffset}.
     */
    private static Object range(String property, String operator, Token value, Shape shape) {
        Optional<Parsed.Refused> undeclared = undeclared(property, shape);
        if (undeclared.isPresent()) {
            return undeclared.get();
        }
        Optional<Parsed.Refused> mismatch = incompatible(property, value, operator, shape);
        if (mismatch.isPresent()) {
            return mismatch.get();
        }
        String name = canonical(property, shape.ranged());
        if (name == null) {
            // Outside the date-times a shape names, a comparison is no clause Consentry understands.
            return invalidFilter();
        }
        Instant bound;
        try {
            bound = value.kind() == Token.NAME ? OffsetDateTime.parse(value.text()).toInstant() : null;
        } catch (DateTimeParseException e) {
            bound = null;
        }
        if (bound == null) {
            return invalidFilter();
        }
        Instant b = bound;
        return (Predicate<Map<String, Object>>) row -> {
            if (!(lookup(row, name) instanceof String s)) {
                return false;
            }
            int c = Instant.parse(s).compareTo(b);
            return switch (operator) {
                case "ge" -> c >= 0;
                case "le" -> c <= 0;
                case "gt" -> c > 0;
                default -> c < 0;
            };
        };
    }

    /** A row's property, following a path ({@code status/errorCode}) through nested objects; null when absent. */
    private static Object lookup(Map<String, Object> row, String name) {
        Object at = row;
        for (String part : name.split("/")) {
            if (!(at instanceof Map<?, ?> m)) {
                return null;
            }
            at = m.get(part);
        }
        return at;
    }

    /** {@code property eq value}: a predicate, or a {@link Parsed.Refused}. */
    private static Object eq(String property, Token value, Shape shape) {
        Optional<Parsed.Refused> undeclared = undeclared(property, shape);
        if (undeclared.isPresent()) {
            return undeclared.get();
        }
        Optional<Parsed.Refused> mismatch = incompatible(property, value, "eq", shape);
        if (mismatch.isPresent()) {
            return mismatch.get();
        }
        String name = canonical(property, property.contains("/") ? shape.filterable() : shape.properties());
        if (name == null || !shape.filterable().contains(name)
                || value.kind() == Token.STRING && value.text().length() > MAX_LITERAL) {
            return unsupportedProperty(property, shape);
        }
        Object wanted;
        if (value.kind() == Token.STRING) {
            wanted = value.text();
        } else if (value.is("null")) {
            wanted = null;
        } else if (value.is("true") || value.is("false")) {
            wanted = Boolean.valueOf(value.text().toLowerCase(Locale.ROOT));
        } else {
            try {
                wanted = Long.parseLong(value.text());
            } catch (NumberFormatException e) {
                return invalidFilter();
            }
        }
        return (Predicate<Map<String, Object>>) row -> equal(lookup(row, name), wanted);
    }

    /** {@code startswith(property,'text')} or {@code endswith(...)}: a predicate, or a {@link Parsed.Refused}. */
    private static Object function(boolean starts, String property, String text, Shape shape, boolean advanced) {
        Optional<Parsed.Refused> undeclared = undeclared(property, shape);
        if (undeclared.isPresent()) {
            return undeclared.get();
        }
        String name = canonical(property, shape.properties());
        if (name == null || !shape.filterable().contains(name) || text.length() > MAX_LITERAL) {
            return unsupportedProperty(property, shape);
        }
        if (!starts && !advanced) {
            return refused(400, "Request_UnsupportedQuery", "Unsupported Query.");
        }
        String value = text.toLowerCase(Locale.ROOT);
        return (Predicate<Map<String, Object>>) row -> row.get(name) instanceof String s
                && (starts ? s.toLowerCase(Locale.ROOT).startsWith(value) : s.toLowerCase(Locale.ROOT).endsWith(value));
    }

    private static boolean equal(Object actual, Object wanted) {
        if (wanted == null) {
            return actual == null;
        }
        if (wanted instanceof String w) {
            return actual instanceof String a && a.equalsIgnoreCase(w);
        }
        if (wanted instanceof Long w) {
            return actual instanceof Number a && a.longValue() == w;
        }
        return Objects.equals(actual, wanted);
    }

    /**
     * The property Graph's metadata declares on the shape's type under {@code name} (a path such as
     * {@code status/errorCode} followed through complex types), ignoring case; empty when the metadata does not know
     * the type or the type has no such property.
     */
    private static Optional<GraphMetadata.Property> declared(Shape shape, String name) {
        GraphMetadata m = GraphMetadata.v1();
        String type = shape.typeName();
        Optional<GraphMetadata.Property> p = Optional.empty();
        for (String part : name.split("/", -1)) {
            if (type == null || m.type(type).isEmpty()) {
                return Optional.empty();
            }
            p = m.property(type, part);
            if (p.isEmpty()) {
                return p;
            }
            type = GraphMetadata.isPrimitive(p.get().type()) ? null : p.get().type();
        }
        return p;
    }

    /** Whether the metadata knows the shape's type, so that a name it does not declare is no property. */
    private static boolean typeKnown(Shape shape) {
        return GraphMetadata.v1().type(shape.typeName()).isPresent();
    }

    /**
     * OData's answer to a name the type does not declare: 400 "Could not find a property named 'x' on type
     * 'microsoft.graph.user'." The same text answers {@code $select}, {@code $filter} and {@code $orderby}; it names
     * the first segment the type lacks.
     */
    private static Optional<Parsed.Refused> undeclared(String property, Shape shape) {
        if (!typeKnown(shape) || declared(shape, property).isPresent()) {
            return Optional.empty();
        }
        String[] parts = property.split("/", -1);
        if (parts.length > 1 && declared(shape, parts[0]).isPresent()) {
            String parent = String.join("/", java.util.Arrays.copyOf(parts, parts.length - 1));
            String owner = declared(shape, parent).map(GraphMetadata.Property::type).orElse(shape.typeName());
            return Optional.of(refused(400, "BadRequest", "Could not find a property named '" + parts[parts.length - 1]
                    + "' on type '" + GraphMetadata.qualifiedName(owner) + "'."));
        }
        return Optional.of(noSuchProperty(parts[0], shape));
    }

    private static Parsed.Refused noSuchProperty(String property, Shape shape) {
        return refused(400, "BadRequest", "Could not find a property named '" + property + "' on type '"
                + shape.typeName() + "'.");
    }

    private static final Map<String, String> OPERATOR_KINDS = Map.of("eq", "Equal", "ge", "GreaterThanOrEqual",
            "le", "LessThanOrEqual", "gt", "GreaterThan", "lt", "LessThan");

    /**
     * OData's refusal of a literal whose type cannot be compared with the property's: {@code accountEnabled eq 'true'}
     * is 400 "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and
     * 'Edm.String' for operator kind 'Equal'." (the OData reader's text, as Azure/data-api-builder issue 844,
     * 2022-09-28, quotes it with code BadRequest for 'Edm.String' and 'Edm.Int32'; Consentry found no report of Graph's
     * own answer and uses the same). {@code null} compares with any type; an enumeration, a GUID and types this check
     * does not model are left alone.
     */
    private static Optional<Parsed.Refused> incompatible(String property, Token value, String operator, Shape shape) {
        Optional<GraphMetadata.Property> p = declared(shape, property);
        if (p.isEmpty() || p.get().collection() || value.is("null")) {
            return Optional.empty();
        }
        String expected = p.get().type();
        String literal = literalType(value);
        if (literal == null || !GraphMetadata.isPrimitive(expected) || compatible(expected, literal)) {
            return Optional.empty();
        }
        return Optional.of(refused(400, "BadRequest", "A binary operator with incompatible types was detected. Found "
                + "operand types '" + expected + "' and '" + literal + "' for operator kind '" + OPERATOR_KINDS.get(operator) + "'."));
    }

    /** The Edm type of a {@code $filter} literal, or null when it is none this check models. */
    private static String literalType(Token value) {
        if (value.kind() == Token.STRING) {
            return "Edm.String";
        }
        if (value.is("true") || value.is("false")) {
            return "Edm.Boolean";
        }
        String text = value.text();
        if (!text.isEmpty() && Character.isDigit(text.charAt(0))) {
            if (text.chars().allMatch(Character::isDigit)) {
                return text.length() > 9 ? "Edm.Int64" : "Edm.Int32";
            }
            return text.contains("T") && text.contains(":") ? "Edm.DateTimeOffset" : null;
        }
        return null;
    }

    private static boolean compatible(String property, String literal) {
        return switch (property) {
            case "Edm.String", "Edm.Boolean", "Edm.DateTimeOffset" -> property.equals(literal);
            case "Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte", "Edm.Double", "Edm.Single", "Edm.Decimal" ->
                    literal.equals("Edm.Int32") || literal.equals("Edm.Int64");
            default -> true; // Edm.Guid, Edm.Date, durations: not modelled here
        };
    }

    /**
     * {@code $orderby=displayName desc,...}: a comparator, or a {@link Parsed.Refused}. An undeclared property is
     * OData's "Could not find a property named ..."; on a directory type, a property the directory does not sort by is
     * 400 Request_UnsupportedQuery "Unsupported sort property 'createdDateTime' for 'User'." and sorting a filtered
     * list without the advanced query parameters ({@code ConsistencyLevel: eventual} and {@code $count=true}) is 400
     * Request_UnsupportedQuery "Sorting not supported for current query." (microsoftgraph/microsoft-graph-docs-contrib
     * issue 4187, 2020-11-26; the Microsoft 365 developer blog's announcement of advanced queries quotes the same).
     */
    private static Object orderBy(String text, Shape shape, boolean filteredWithoutAdvanced) {
        GraphMetadata m = GraphMetadata.v1();
        String type = GraphMetadata.shortName(shape.typeName());
        boolean directory = m.type(type).isPresent() && m.isA(type, "directoryObject");
        Comparator<Map<String, Object>> all = null;
        for (String clause : text.split(",")) {
            String[] words = clause.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty() || words.length > 2
                    || words.length == 2 && !words[1].equalsIgnoreCase("asc") && !words[1].equalsIgnoreCase("desc")) {
                return refused(400, "BadRequest", "Invalid $orderby clause '" + clause.trim()
                        + "': a property name, optionally followed by asc or desc, expected.");
            }
            Optional<Parsed.Refused> undeclared = undeclared(words[0], shape);
            if (undeclared.isPresent()) {
                return undeclared.get();
            }
            String name = declared(shape, words[0]).map(GraphMetadata.Property::name).orElse(words[0]);
            if (directory && !DIRECTORY_SORTABLE.getOrDefault(type, Set.of()).contains(name)) {
                String resource = Character.toUpperCase(type.charAt(0)) + type.substring(1);
                return refused(400, "Request_UnsupportedQuery", "Unsupported sort property '" + words[0] + "' for '"
                        + resource + "'.");
            }
            Comparator<Map<String, Object>> one = Comparator.comparing(row -> lookup(row, name.replace('.', '/')),
                    Comparator.nullsLast(ODataQuery::compareValues));
            if (words.length == 2 && words[1].equalsIgnoreCase("desc")) {
                one = one.reversed();
            }
            all = all == null ? one : all.thenComparing(one);
        }
        if (directory && filteredWithoutAdvanced) {
            return refused(400, "Request_UnsupportedQuery", "Sorting not supported for current query.");
        }
        return all;
    }

    /** Strings ignoring case (as the directory sorts names), numbers by value, anything else by its text. */
    private static int compareValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return String.valueOf(a).compareToIgnoreCase(String.valueOf(b));
    }

    private static Parsed.Refused unsupportedProperty(String property, Shape shape) {
        String resource = shape.typeName().substring(shape.typeName().lastIndexOf('.') + 1);
        return refused(400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property '"
                + property + "' of resource '" + Character.toUpperCase(resource.charAt(0)) + resource.substring(1) + "'.");
    }

    private static Parsed.Refused refused(int status, String code, String message) {
        return new Parsed.Refused(GraphAnswer.error(status, code, message));
    }

    private static String canonical(String name, Set<String> properties) {
        for (String p : properties) {
            if (p.equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The projection of one row on {@code $select} (or the default properties), in that order. A row that names its
     * own type ({@code @odata.type}, in a collection mixing users, groups and service principals) carries every
     * property its type has; one it lacks is another type's and is left out, as Graph leaves it out.
     */
    public Map<String, Object> project(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean typed = row.containsKey("@odata.type");
        for (String p : select) {
            if (!typed || row.containsKey(p)) {
                out.put(p, row.get(p));
            }
        }
        return out;
    }

    /** The entity set, naming the selected properties when {@code $select} was given: {@code users(displayName,mail)}. */
    private String selected(GraphCall call, Shape shape) {
        return shape.entitySet() + (call.param("$select").isPresent() ? "(" + String.join(",", select) + ")" : "");
    }

    /**
     * A single entity: {@code @odata.context} ({@code <set>/$entity}, naming the selected properties when
     * {@code $select} was given) and the projected row.
     */
    public GraphAnswer entity(GraphCall call, Shape shape, Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", call.context(selected(call, shape) + "/$entity"));
        out.putAll(project(row));
        return GraphAnswer.json(200, out);
    }

    /** {@link #page} with the query of {@code call}, or the error Graph answers for that query. */
    public static GraphAnswer collection(GraphCall call, Shape shape, List<Map<String, Object>> rows) {
        return switch (parse(call, shape)) {
            case Parsed.Refused r -> r.answer();
            case Parsed.Ok ok -> ok.query().page(call, shape, rows);
        };
    }

    /** {@link #entity} with the query of {@code call}, or the error Graph answers for that query. */
    public static GraphAnswer single(GraphCall call, Shape shape, Map<String, Object> row) {
        return switch (parse(call, shape)) {
            case Parsed.Refused r -> r.answer();
            case Parsed.Ok ok -> ok.query().entity(call, shape, row);
        };
    }

    /**
     * The collection response: {@code @odata.context} (naming the selected properties when {@code $select} was
     * given), {@code @odata.count} when asked, one page of {@code value}, and {@code @odata.nextLink} when more
     * rows follow.
     */
    public GraphAnswer page(GraphCall call, Shape shape, List<Map<String, Object>> rows) {
        List<Map<String, Object>> matching = order == null ? rows.stream().filter(filter).toList()
                : rows.stream().filter(filter).sorted(order).toList();
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + top, matching.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", call.context(selected(call, shape)));
        if (count) {
            out.put("@odata.count", matching.size());
        }
        if (to < matching.size()) {
            out.put("@odata.nextLink", nextLink(call, to));
        }
        out.put("value", matching.subList(from, to).stream().map(this::project).toList());
        return GraphAnswer.json(200, out);
    }

    private static String nextLink(GraphCall call, int offset) {
        StringBuilder link = new StringBuilder(call.origin()).append(call.path());
        char sep = '?';
        for (Map.Entry<String, List<String>> e : call.query().entrySet()) {
            if (e.getKey().equals("$skiptoken")) {
                continue;
            }
            for (String v : e.getValue()) {
                link.append(sep).append(encode(e.getKey())).append('=').append(encode(v));
                sep = '&';
            }
        }
        return link.append(sep).append("$skiptoken=").append(encodeSkipToken(offset)).toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%24", "$");
    }

    static String encodeSkipToken(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.US_ASCII));
    }

    /** The offset a skip token carries, or -1 when it is not one of ours. */
    static int decodeSkipToken(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            if (!text.startsWith("o:")) {
                return -1;
            }
            int offset = Integer.parseInt(text.substring(2));
            return offset < 0 ? -1 : offset;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
