package dev.consentry.graph.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.NamedLocation;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Graph's named locations, {@code /identity/conditionalAccess/namedLocations}
 * (https://learn.microsoft.com/graph/api/conditionalaccessroot-list-namedlocations, -post-namedlocations,
 * namedlocation-get, ipnamedlocation-update, namedlocation-delete), in v1.0 and beta: list and read them, create an IP
 * location (201), change one (204, the properties given), delete one (204). The permissions ({@code Policy.Read.All}
 * to read; {@code Policy.ReadWrite.ConditionalAccess} with {@code Policy.Read.All} to write) are the engine's.
 *
 * <p>Only {@code #microsoft.graph.ipNamedLocation} is built: a body of another type, such as
 * {@code countryNamedLocation}, is refused with 400, since Consentry cannot tell a country offline (a country location
 * the tenant file holds is listed and deleted, never changed). A body is checked whole before anything is stored: a
 * missing {@code displayName}, an {@code ipRanges} entry that is not an address/prefix of its {@code @odata.type}, or a
 * property the type does not have is 400 {@code BadRequest}, and nothing changes.
 *
 * <p>Deleting a location that a conditional access policy names in {@code conditions.locations} is refused with 400
 * {@code BadRequest}, naming the policies, so that no policy is left pointing nowhere. That refusal and the texts of the
 * other refusals are Consentry's words: Graph's own for these cases were not found in captured answers.
 */
final class NamedLocationResources {
    static final String BASE = "/identity/conditionalaccess/namedlocations";
    static final String V4 = "#microsoft.graph.iPv4CidrRange";
    static final String V6 = "#microsoft.graph.iPv6CidrRange";
    private static final List<String> DEFAULTS = List.of("@odata.type", "id", "displayName", "createdDateTime",
            "modifiedDateTime", "isTrusted", "ipRanges");
    /** Rows name their own type; a country location the tenant file holds also answers its own properties when selected. */
    static final ODataQuery.Shape LOCATIONS = new ODataQuery.Shape("identity/conditionalAccess/namedLocations",
            "microsoft.graph.namedLocation", DEFAULTS, Set.of("@odata.type", "id", "displayName", "createdDateTime",
                    "modifiedDateTime", "isTrusted", "ipRanges", "countriesAndRegions", "includeUnknownCountriesAndRegions",
                    "countryLookupMethod"), Set.of("id", "displayName"), 100);
    /** What a body may set on an {@code ipNamedLocation} (Graph's v1.0 type, less the read-only id and dates). */
    private static final Set<String> WRITABLE = Set.of("displayName", "isTrusted", "ipRanges");
    private final Store store;

    NamedLocationResources(Store store) {
        this.store = store;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", BASE, call -> ODataQuery.collection(call, LOCATIONS, store.namedLocations().list(call.tenant()).stream()
                .map(NamedLocationResources::row).toList()));
        routes.on("POST", BASE, this::create);
        routes.on("GET", BASE + "/{id}", call -> withLocation(call, l -> ODataQuery.single(call, LOCATIONS, row(l))));
        routes.on("PATCH", BASE + "/{id}", call -> withLocation(call, l -> update(call, l)));
        routes.on("DELETE", BASE + "/{id}", call -> withLocation(call, l -> delete(call, l)));
    }

    /** {@code action} on the named location the path names, or Graph's 404 naming it. */
    private GraphAnswer withLocation(GraphCall call, Function<NamedLocation, GraphAnswer> action) {
        String id = DirectoryRows.lastSegment(call);
        return store.namedLocations().find(call.tenant(), id).map(action).orElseGet(() -> GraphAnswer.notFound(id));
    }

    /** A location as Graph answers it: its type, id, name and dates, then the properties of its type. */
    static Map<String, Object> row(NamedLocation l) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.type", l.odataType());
        out.put("id", l.id());
        out.put("displayName", l.displayName());
        out.put("createdDateTime", l.additionalProperties().get("createdDateTime"));
        out.put("modifiedDateTime", l.additionalProperties().get("modifiedDateTime"));
        if (l.byAddress()) {
            out.put("isTrusted", l.trusted());
            out.put("ipRanges", l.ipRanges().stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("@odata.type", r.odataType());
                m.put("cidrAddress", r.cidrAddress());
                return m;
            }).toList());
        } else {
            l.additionalProperties().forEach((k, v) -> {
                if (!k.endsWith("DateTime")) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    private GraphAnswer create(GraphCall call) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object describing the named location.");
        }
        Optional<GraphAnswer> wrongType = type(body.get(), null);
        if (wrongType.isPresent()) {
            return wrongType.get();
        }
        Fields given = new Fields(null, null, null);
        Optional<GraphAnswer> bad = read(body.get(), given);
        if (bad.isPresent()) {
            return bad.get();
        }
        if (given.displayName == null) {
            return GraphAnswer.badBody("A named location needs a displayName.");
        }
        if (given.ipRanges == null || given.ipRanges.isEmpty()) {
            return GraphAnswer.badBody("An ipNamedLocation needs at least one entry in ipRanges.");
        }
        String now = call.now().toString();
        NamedLocation saved = new NamedLocation(UUID.randomUUID().toString(), NamedLocation.IP, given.displayName,
                Boolean.TRUE.equals(given.isTrusted), given.ipRanges, Map.of("createdDateTime", now, "modifiedDateTime", now));
        store.namedLocations().save(call.tenant(), saved);
        Audits.recordIn(store, call, DirectoryAudit.POLICY, "Add named location", "Add", saved.id(), saved.displayName(),
                "Policy");
        return GraphAnswer.created(call, "identity/conditionalAccess/namedLocations", saved.id(), row(saved));
    }

    private GraphAnswer update(GraphCall call, NamedLocation existing) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the properties to change.");
        }
        if (!existing.byAddress()) {
            return notBuilt(existing.odataType());
        }
        Optional<GraphAnswer> wrongType = type(body.get(), existing.odataType());
        if (wrongType.isPresent()) {
            return wrongType.get();
        }
        Fields given = new Fields(existing.displayName(), existing.isTrusted(), existing.ipRanges());
        Optional<GraphAnswer> bad = read(body.get(), given);
        if (bad.isPresent()) {
            return bad.get();
        }
        if (given.displayName == null || given.ipRanges.isEmpty()) {
            return GraphAnswer.badBody("A named location keeps a displayName and at least one entry in ipRanges.");
        }
        Map<String, Object> extra = new LinkedHashMap<>(existing.additionalProperties());
        extra.put("modifiedDateTime", call.now().toString());
        NamedLocation saved = new NamedLocation(existing.id(), existing.odataType(), given.displayName, given.isTrusted,
                given.ipRanges, extra);
        store.namedLocations().save(call.tenant(), saved);
        Audits.recordIn(store, call, DirectoryAudit.POLICY, "Update named location", "Update", saved.id(),
                saved.displayName(), "Policy");
        return GraphAnswer.empty(204, Map.of());
    }

    private GraphAnswer delete(GraphCall call, NamedLocation location) {
        List<String> using = store.conditionalAccessPolicies().list(call.tenant()).stream()
                .filter(p -> names(p, location.id())).map(p -> "'" + p.displayName() + "' (" + p.id() + ")").toList();
        if (!using.isEmpty()) {
            return GraphAnswer.badBody("The named location " + location.id() + " is used by the conditional access "
                    + "polic" + (using.size() == 1 ? "y " : "ies ") + String.join(", ", using)
                    + "; remove it from their conditions.locations first.");
        }
        store.namedLocations().delete(call.tenant(), location.id());
        Audits.recordIn(store, call, DirectoryAudit.POLICY, "Delete named location", "Delete", location.id(),
                location.displayName(), "Policy");
        return GraphAnswer.empty(204, Map.of());
    }

    /** True when the policy names {@code id} in {@code conditions.locations} (included or excluded). */
    static boolean names(ConditionalAccessPolicy p, String id) {
        if (!(p.conditions().get("locations") instanceof Map<?, ?> locations)) {
            return false;
        }
        for (String key : List.of("includeLocations", "excludeLocations")) {
            if (locations.get(key) instanceof List<?> list && list.stream().anyMatch(v -> id.equalsIgnoreCase(String.valueOf(v)))) {
                return true;
            }
        }
        return false;
    }

    /** The body's {@code @odata.type}: an IP location's (or, on a change, the location's own); else the 400 refusing it. */
    private static Optional<GraphAnswer> type(ObjectNode body, String existing) {
        JsonNode t = body.get("@odata.type");
        if (t == null && existing != null) {
            return Optional.empty();
        }
        if (t == null || !t.isTextual()) {
            return Optional.of(GraphAnswer.badBody("A named location states its @odata.type: " + NamedLocation.IP + "."));
        }
        if (t.asText().equalsIgnoreCase(NamedLocation.IP)) {
            return Optional.empty();
        }
        return Optional.of(notBuilt(t.asText()));
    }

    private static GraphAnswer notBuilt(String type) {
        if (type.equalsIgnoreCase("#microsoft.graph.countryNamedLocation")) {
            return GraphAnswer.badBody("Consentry does not build country named locations (countryNamedLocation): it "
                    + "cannot tell a caller's country offline. Use an " + NamedLocation.IP + " with the caller's address ranges.");
        }
        return GraphAnswer.badBody("'" + type + "' is not a named location type Consentry builds; use " + NamedLocation.IP + ".");
    }

    /** The properties a body may set, read into one place before anything is stored. */
    private static final class Fields {
        String displayName;
        Boolean isTrusted;
        List<NamedLocation.IpRange> ipRanges;

        Fields(String displayName, Boolean isTrusted, List<NamedLocation.IpRange> ipRanges) {
            this.displayName = displayName;
            this.isTrusted = isTrusted;
            this.ipRanges = ipRanges;
        }
    }

    /** The body's properties into {@code into}; Graph's 400 for one the type does not have, or a value of the wrong shape. */
    private static Optional<GraphAnswer> read(ObjectNode body, Fields into) {
        for (var fields = body.properties().iterator(); fields.hasNext(); ) {
            var f = fields.next();
            String name = f.getKey();
            JsonNode value = f.getValue();
            if (name.startsWith("@odata.")) {
                continue;
            }
            if (!WRITABLE.contains(name)) {
                return Optional.of(GraphAnswer.error(400, "BadRequest", "Property '" + name
                        + "' does not exist on type 'microsoft.graph.ipNamedLocation' or cannot be set."));
            }
            switch (name) {
                case "displayName" -> {
                    if (!value.isTextual() || value.asText().isBlank()) {
                        return Optional.of(GraphAnswer.badBody("displayName is a non-empty string."));
                    }
                    into.displayName = value.asText();
                }
                case "isTrusted" -> {
                    if (!value.isBoolean()) {
                        return Optional.of(GraphAnswer.badBody("isTrusted is true or false."));
                    }
                    into.isTrusted = value.asBoolean();
                }
                default -> {
                    Object ranges = ranges(value);
                    if (ranges instanceof GraphAnswer refused) {
                        return Optional.of(refused);
                    }
                    @SuppressWarnings("unchecked")
                    List<NamedLocation.IpRange> list = (List<NamedLocation.IpRange>) ranges;
                    into.ipRanges = list;
                }
            }
        }
        return Optional.empty();
    }

    /** The ranges of {@code ipRanges}, or the 400 naming the first one that is not a CIDR range of its stated family. */
    private static Object ranges(JsonNode value) {
        if (!value.isArray()) {
            return GraphAnswer.badBody("ipRanges is an array of iPv4CidrRange and iPv6CidrRange objects.");
        }
        List<NamedLocation.IpRange> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode r = value.get(i);
            String at = "ipRanges[" + i + "]";
            if (!r.isObject()) {
                return GraphAnswer.badBody(at + " is an object with @odata.type and cidrAddress.");
            }
            for (var names = r.fieldNames(); names.hasNext(); ) {
                String n = names.next();
                if (!n.equals("@odata.type") && !n.equals("cidrAddress")) {
                    return GraphAnswer.error(400, "BadRequest", "Property '" + n
                            + "' does not exist on type 'microsoft.graph.ipRange' or cannot be set.");
                }
            }
            String type = r.path("@odata.type").asText("");
            String cidr = r.path("cidrAddress").isTextual() ? r.path("cidrAddress").asText() : null;
            boolean v4 = type.equalsIgnoreCase(V4);
            if (!v4 && !type.equalsIgnoreCase(V6)) {
                return GraphAnswer.badBody(at + ".@odata.type is " + V4 + " or " + V6 + ".");
            }
            NamedLocation.IpRange range = new NamedLocation.IpRange(v4 ? V4 : V6, cidr);
            Optional<String> problem = range.problem();
            if (problem.isPresent()) {
                return GraphAnswer.badBody(at + ".cidrAddress: " + problem.get() + ".");
            }
            if (cidr.contains(":") == v4) {
                return GraphAnswer.badBody(at + ".cidrAddress: '" + cidr + "' is not an " + (v4 ? "IPv4" : "IPv6")
                        + " range, as its @odata.type says.");
            }
            out.add(range);
        }
        return out;
    }
}
