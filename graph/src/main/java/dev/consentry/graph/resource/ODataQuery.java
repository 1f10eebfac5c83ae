package dev.consentry.graph.resource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OData query options Consentry's collections understand, as Microsoft Graph applies them to directory
 * objects: {@code $select}, {@code $filter} with {@code eq} and {@code startswith} on the properties a
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
    private static final Pattern EQ = Pattern.compile("^\\s*(\\w+)\\s+eq\\s+(?:'((?:[^']|'')*)'|(true|false|null))\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FUNCTION = Pattern.compile(
            "^\\s*(startswith|endswith)\\(\\s*(\\w+)\\s*,\\s*'((?:[^']|'')*)'\\s*\\)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern AND = Pattern.compile("\\s+and\\s+", Pattern.CASE_INSENSITIVE);
    private static final int MAX_TOP = 999;

    /** How a resource exposes itself to queries. */
    public record Shape(String entitySet, String typeName, List<String> defaultProperties, Set<String> properties,
                        Set<String> filterable, int pageSize) {}

    private final List<String> select;
    private final Predicate<Map<String, Object>> filter;
    private final int top;
    private final boolean count;
    private final int offset;

    private ODataQuery(List<String> select, Predicate<Map<String, Object>> filter, int top, boolean count, int offset) {
        this.select = select;
        this.filter = filter;
        this.top = top;
        this.count = count;
        this.offset = offset;
    }

    /** A parsed query, or the error Graph answers for it. */
    public sealed interface Parsed {
        record Ok(ODataQuery query) implements Parsed {}

        record Refused(GraphAnswer answer) implements Parsed {}
    }

    /** No options: the default properties, the first page. */
    public static ODataQuery defaults(Shape shape) {
        return new ODataQuery(shape.defaultProperties(), row -> true, shape.pageSize(), false, 0);
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
                    return refused(400, "BadRequest", "Could not find a property named '" + p.trim() + "' on type '"
                            + shape.typeName() + "'.");
                }
                if (!select.contains(name)) {
                    select.add(name);
                }
            }
        }
        Predicate<Map<String, Object>> filter = row -> true;
        if (call.param("$filter").isPresent()) {
            String text = call.param("$filter").get();
            for (String clause : AND.split(text)) {
                Object parsed = clause(clause, shape, eventual && count);
                if (parsed instanceof Parsed.Refused r) {
                    return r;
                }
                @SuppressWarnings("unchecked")
                Predicate<Map<String, Object>> p = (Predicate<Map<String, Object>>) parsed;
                filter = filter.and(p);
            }
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
        return new Parsed.Ok(new ODataQuery(List.copyOf(select), filter, top, count, offset));
    }

    /** A predicate for one clause, or a {@link Parsed.Refused}. */
    private static Object clause(String clause, Shape shape, boolean advanced) {
        Matcher eq = EQ.matcher(clause);
        if (eq.matches()) {
            String name = canonical(eq.group(1), shape.properties());
            if (name == null || !shape.filterable().contains(name)) {
                return unsupportedProperty(eq.group(1), shape);
            }
            Object wanted = eq.group(2) != null ? eq.group(2).replace("''", "'")
                    : eq.group(3).equalsIgnoreCase("null") ? null : Boolean.valueOf(eq.group(3).toLowerCase(Locale.ROOT));
            return (Predicate<Map<String, Object>>) row -> equal(row.get(name), wanted);
        }
        Matcher f = FUNCTION.matcher(clause);
        if (f.matches()) {
            String name = canonical(f.group(2), shape.properties());
            if (name == null || !shape.filterable().contains(name)) {
                return unsupportedProperty(f.group(2), shape);
            }
            boolean starts = f.group(1).equalsIgnoreCase("startswith");
            if (!starts && !advanced) {
                return refused(400, "Request_UnsupportedQuery", "Unsupported Query.");
            }
            String value = f.group(3).replace("''", "'").toLowerCase(Locale.ROOT);
            return (Predicate<Map<String, Object>>) row -> row.get(name) instanceof String s
                    && (starts ? s.toLowerCase(Locale.ROOT).startsWith(value) : s.toLowerCase(Locale.ROOT).endsWith(value));
        }
        return refused(400, "BadRequest", "Invalid filter clause: Consentry understands eq, startswith and endswith, "
                + "joined by 'and'.");
    }

    private static boolean equal(Object actual, Object wanted) {
        if (wanted == null) {
            return actual == null;
        }
        if (wanted instanceof String w) {
            return actual instanceof String a && a.equalsIgnoreCase(w);
        }
        return Objects.equals(actual, wanted);
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

    /** The projection of one row on {@code $select} (or the default properties), in that order. */
    public Map<String, Object> project(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String p : select) {
            out.put(p, row.get(p));
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
        List<Map<String, Object>> matching = rows.stream().filter(filter).toList();
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
