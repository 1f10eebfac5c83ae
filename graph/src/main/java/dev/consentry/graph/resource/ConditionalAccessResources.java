package dev.consentry.graph.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.policy.ConditionalAccessRules;
import dev.consentry.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Graph's conditional access policies, {@code /identity/conditionalAccess/policies}
 * (https://learn.microsoft.com/graph/api/conditionalaccessroot-list-policies, -post-policies,
 * conditionalaccesspolicy-update, -delete): list and read them, create one (201), change one (204, the properties
 * given), delete one (204). The permissions ({@code Policy.Read.All}, {@code Policy.ReadWrite.ConditionalAccess}) are
 * the engine's. A policy is checked by {@link ConditionalAccessRules}, as the tenant file's are; a refused body changes
 * nothing. The refusals' texts are Consentry's (Graph's own for these cases were not found in captured answers).
 */
final class ConditionalAccessResources {
    static final String BASE = "/identity/conditionalaccess/policies";
    static final ODataQuery.Shape POLICIES = DirectoryRows.shape("identity/conditionalAccess/policies",
            "microsoft.graph.conditionalAccessPolicy", List.of("id", "templateId", "displayName", "description",
                    "createdDateTime", "modifiedDateTime", "state", "conditions", "grantControls", "sessionControls"),
            Set.of("id", "displayName", "state"));
    /** What a body may set (Graph's v1.0 conditionalAccessPolicy, less the read-only id and dates). */
    private static final Set<String> WRITABLE = Set.of("displayName", "description", "state", "conditions", "grantControls",
            "sessionControls", "templateId");
    private final Store store;

    ConditionalAccessResources(Store store) {
        this.store = store;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", BASE, call -> ODataQuery.collection(call, POLICIES, store.conditionalAccessPolicies().list(call.tenant())
                .stream().map(ConditionalAccessResources::row).toList()));
        routes.on("POST", BASE, this::create);
        routes.on("GET", BASE + "/{id}", call -> withPolicy(call, p -> ODataQuery.single(call, POLICIES, row(p))));
        routes.on("PATCH", BASE + "/{id}", call -> withPolicy(call, p -> update(call, p)));
        routes.on("DELETE", BASE + "/{id}", call -> withPolicy(call, p -> {
            store.conditionalAccessPolicies().delete(call.tenant(), p.id());
            Audits.recordIn(store, call, DirectoryAudit.POLICY, "Delete conditional access policy", "Delete", p.id(),
                    p.displayName(), "Policy");
            return GraphAnswer.empty(204, Map.of());
        }));
    }

    /** {@code action} on the policy the path names, or Graph's 404 naming it. */
    private GraphAnswer withPolicy(GraphCall call, Function<ConditionalAccessPolicy, GraphAnswer> action) {
        String id = DirectoryRows.lastSegment(call);
        return store.conditionalAccessPolicies().find(call.tenant(), id).map(action).orElseGet(() -> GraphAnswer.notFound(id));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> row(ConditionalAccessPolicy p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id());
        out.putAll(DirectoryJson.mapper().convertValue(p, LinkedHashMap.class));
        return out;
    }

    private GraphAnswer create(GraphCall call) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object describing the conditional access policy.");
        }
        Map<String, Object> given = new LinkedHashMap<>();
        Optional<GraphAnswer> bad = read(body.get(), given);
        if (bad.isPresent()) {
            return bad.get();
        }
        String now = call.now().toString();
        given.put("createdDateTime", now);
        given.put("modifiedDateTime", now);
        given.put("id", UUID.randomUUID().toString());
        return store(call, given, null).orElseGet(() -> {
            ConditionalAccessPolicy saved = store.conditionalAccessPolicies().find(call.tenant(), (String) given.get("id"))
                    .orElseThrow();
            return GraphAnswer.created(call, "identity/conditionalAccess/policies", saved.id(), row(saved));
        });
    }

    @SuppressWarnings("unchecked")
    private GraphAnswer update(GraphCall call, ConditionalAccessPolicy existing) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the properties to change.");
        }
        Map<String, Object> merged = new LinkedHashMap<>(DirectoryJson.mapper().convertValue(existing, LinkedHashMap.class));
        merged.put("id", existing.id());
        Optional<GraphAnswer> bad = read(body.get(), merged);
        if (bad.isPresent()) {
            return bad.get();
        }
        merged.put("modifiedDateTime", call.now().toString());
        return store(call, merged, existing).orElseGet(() -> GraphAnswer.empty(204, Map.of()));
    }

    /** The body's properties put into {@code into}; Graph's 400 for one the type does not have or Graph sets itself. */
    private static Optional<GraphAnswer> read(ObjectNode body, Map<String, Object> into) {
        for (var fields = body.fields(); fields.hasNext(); ) {
            var f = fields.next();
            if (f.getKey().startsWith("@odata.")) {
                continue;
            }
            if (!WRITABLE.contains(f.getKey())) {
                return Optional.of(GraphAnswer.error(400, "BadRequest", "Property '" + f.getKey()
                        + "' does not exist on type 'microsoft.graph.conditionalAccessPolicy' or cannot be set."));
            }
            into.put(f.getKey(), DirectoryJson.mapper().convertValue(f.getValue(), Object.class));
        }
        return Optional.empty();
    }

    /** Checks and stores the policy {@code properties} describe; the 400 that refuses it, or empty once stored. */
    private Optional<GraphAnswer> store(GraphCall call, Map<String, Object> properties, ConditionalAccessPolicy before) {
        ConditionalAccessPolicy policy;
        try {
            policy = DirectoryJson.mapper().convertValue(properties, ConditionalAccessPolicy.class);
        } catch (IllegalArgumentException e) {
            return Optional.of(GraphAnswer.error(400, "BadRequest", "The conditional access policy is not well formed: "
                    + "conditions, grantControls and sessionControls are objects."));
        }
        Optional<ConditionalAccessRules.Problem> problem = ConditionalAccessRules.problem(policy,
                id -> ObjectId.tryParse(id).flatMap(o -> store.users().find(call.tenant(), o)).isPresent(),
                id -> ObjectId.tryParse(id).flatMap(o -> store.groups().find(call.tenant(), o)).isPresent(),
                id -> store.namedLocations().find(call.tenant(), id).isPresent());
        if (problem.isPresent()) {
            return Optional.of(GraphAnswer.error(400, "BadRequest", problem.get().path() + ": " + problem.get().message() + "."));
        }
        store.conditionalAccessPolicies().save(call.tenant(), policy);
        Audits.recordIn(store, call, DirectoryAudit.POLICY, before == null ? "Add conditional access policy"
                        : "Update conditional access policy",
                before == null ? "Add" : "Update", policy.id(), policy.displayName(), "Policy");
        return Optional.empty();
    }
}
