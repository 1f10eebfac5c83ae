package dev.consentry.graph.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.store.Store;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A resource's classifications of its delegated permissions (Graph's {@code delegatedPermissionClassification},
 * https://learn.microsoft.com/graph/api/serviceprincipal-list-delegatedpermissionclassifications and its post and
 * delete pages): {@code GET}, {@code POST} (201) and {@code DELETE} (204) under
 * {@code /servicePrincipals/{id}/delegatedPermissionClassifications} (or {@code (appId='...')}). A permission classified
 * {@code low} is one users may consent to under {@code microsoft-user-default-low}. Kept where the tenant file keeps
 * them, in the service principal's {@code delegatedPermissionClassifications}.
 *
 * <p>Guaranteed: only a delegated permission of that resource that does not require admin consent may be classified
 * (Microsoft Learn, "Configure permission classifications": "only delegated permissions that don't require admin
 * consent can be classified"), once; a refused request changes nothing. The refusals' texts are Consentry's, as no
 * captured Graph answer for them was found.
 */
final class ClassificationResources {
    static final String PROPERTY = "delegatedPermissionClassifications";
    private static final Set<String> CLASSIFICATIONS = Set.of("low", "medium", "high");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ODataQuery.Shape CLASSIFICATIONS_SHAPE = DirectoryRows.shape(
            "servicePrincipals/delegatedPermissionClassifications", "microsoft.graph.delegatedPermissionClassification",
            List.of("id", "classification", "permissionId", "permissionName"), Set.of("id", "permissionId", "permissionName"));
    private final Store store;
    private final ResourceResolver resources;

    ClassificationResources(Store store) {
        this.store = store;
        this.resources = new ResourceResolver(store);
    }

    void declare(GraphRoutes routes) {
        for (String base : List.of("/serviceprincipals/{id}/delegatedpermissionclassifications",
                "/serviceprincipals(appid={value})/delegatedpermissionclassifications")) {
            routes.on("GET", base, call -> ApplicationResources.withServicePrincipal(store, call,
                    sp -> ODataQuery.collection(call, DirectoryRows.under(CLASSIFICATIONS_SHAPE,
                            "servicePrincipals('" + sp.id() + "')/delegatedPermissionClassifications"), classifications(sp))));
            routes.on("POST", base, call -> ApplicationResources.withServicePrincipal(store, call, sp -> classify(call, sp)));
            routes.on("DELETE", base + "/{id}", call -> ApplicationResources.withServicePrincipal(store, call, sp -> declassify(call, sp)));
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> classifications(ServicePrincipal sp) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (sp.additionalProperties().get(PROPERTY) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add(new LinkedHashMap<>((Map<String, Object>) m));
                }
            }
        }
        return out;
    }

    private GraphAnswer classify(GraphCall call, ServicePrincipal sp) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object, e.g. {\"permissionId\": \"...\", "
                    + "\"classification\": \"low\"}.");
        }
        String classification = body.get().path("classification").asText("");
        if (!CLASSIFICATIONS.contains(classification)) {
            return GraphAnswer.error(400, "Request_BadRequest", "Invalid value specified for property 'classification' "
                    + "of resource 'DelegatedPermissionClassification': it is low, medium or high.");
        }
        String permissionId = body.get().path("permissionId").asText("");
        String permissionName = body.get().path("permissionName").asText("");
        List<PermissionScope> scopes = resources.resolve(call.tenant(), sp.appId().toString()).scopes();
        Optional<PermissionScope> permission = scopes.stream().filter(p -> permissionId.isEmpty()
                ? p.value().equalsIgnoreCase(permissionName) : p.id().toString().equalsIgnoreCase(permissionId)).findFirst();
        if (permission.isEmpty()) {
            return GraphAnswer.error(400, "Request_BadRequest", "The service principal " + sp.displayName()
                    + " has no delegated permission " + (permissionId.isEmpty() ? "named '" + permissionName + "'"
                            : "with id '" + permissionId + "'") + ".");
        }
        if (permission.get().requiresAdminConsent()) {
            return GraphAnswer.error(400, "Request_BadRequest", "The delegated permission " + permission.get().value()
                    + " requires admin consent; only delegated permissions that don't require admin consent can be classified.");
        }
        List<Map<String, Object>> list = classifications(sp);
        if (list.stream().anyMatch(c -> permission.get().id().toString().equalsIgnoreCase(String.valueOf(c.get("permissionId"))))) {
            return GraphAnswer.error(409, "Request_BadRequest", "The delegated permission " + permission.get().value()
                    + " is already classified; delete its classification first.");
        }
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        row.put("classification", classification);
        row.put("permissionId", permission.get().id().toString());
        row.put("permissionName", permission.get().value());
        list.add(row);
        save(call, sp, list);
        Audits.record(store, call, "Update service principal", "Update", sp.id().toString(), sp.displayName(),
                "ServicePrincipal", Audits.changed("DelegatedPermissionClassifications", null, permission.get().value()
                        + ": " + classification));
        return GraphAnswer.json(201, row);
    }

    private GraphAnswer declassify(GraphCall call, ServicePrincipal sp) {
        String id = DirectoryRows.lastSegment(call);
        List<Map<String, Object>> list = classifications(sp);
        Optional<Map<String, Object>> gone = list.stream().filter(c -> id.equals(String.valueOf(c.get("id")))).findFirst();
        if (gone.isEmpty()) {
            return GraphAnswer.notFound(id);
        }
        list.remove(gone.get());
        save(call, sp, list);
        Audits.record(store, call, "Update service principal", "Update", sp.id().toString(), sp.displayName(),
                "ServicePrincipal", Audits.changed("DelegatedPermissionClassifications", gone.get().get("permissionName")
                        + ": " + gone.get().get("classification"), null));
        return GraphAnswer.empty(204, Map.of());
    }

    private void save(GraphCall call, ServicePrincipal sp, List<Map<String, Object>> list) {
        Map<String, Object> extra = new LinkedHashMap<>(sp.additionalProperties());
        if (list.isEmpty()) {
            extra.remove(PROPERTY);
        } else {
            extra.put(PROPERTY, list);
        }
        store.servicePrincipals().save(call.tenant(), new ServicePrincipal(sp.id(), sp.appId(), sp.displayName(),
                sp.accountEnabled(), sp.servicePrincipalType(), sp.appOwnerOrganizationId(), sp.appRoleAssignmentRequired(),
                sp.servicePrincipalNames(), sp.appRoles(), sp.oauth2PermissionScopes(), sp.keyCredentials(), sp.owners(), extra));
    }
}
