package dev.consentry.graph.resource;

import static dev.consentry.graph.resource.DirectoryRows.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.User;
import dev.consentry.core.permission.DirectoryRoleCatalogue;
import dev.consentry.identity.user.UserSessions;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The directory's tenant-wide objects as Graph shows them: {@code /organization}, {@code /applications},
 * {@code /servicePrincipals}, {@code /subscribedSkus}; and per user: {@code memberOf} (groups and directory roles),
 * {@code assignLicense} and {@code revokeSignInSessions}. Groups are {@link GroupResources}', directory roles
 * {@link RoleResources}'.
 *
 * <p>Licences: as in Entra, a licence needs the user's {@code usageLocation}, a SKU the tenant subscribes to, and
 * disabled plans of that SKU; the answer is the changed user. Revoking sign-in sessions revokes the user's
 * refresh tokens and ends their browser sessions.
 */
final class DirectoryResources {
    private final Store store;
    private final UserSessions sessions;
    private final DirectoryRows rows;

    DirectoryResources(Store store, DirectoryRows rows) {
        this.store = store;
        this.sessions = new UserSessions(store);
        this.rows = rows;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", "/organization", call -> ODataQuery.collection(call, ORGANIZATION,
                tenant(call).map(t -> List.of(organization(t))).orElse(List.of())));
        routes.on("GET", "/organization/{id}", call -> {
            String id = segment(call, 1);
            return tenant(call).filter(t -> t.id().toString().equalsIgnoreCase(id))
                    .map(t -> ODataQuery.single(call, ORGANIZATION, organization(t))).orElseGet(() -> GraphAnswer.notFound(id));
        });
        routes.on("GET", "/applications", call -> ODataQuery.collection(call, APPLICATIONS,
                sorted(store.applications().list(call.tenant()), a -> a.id().toString(), DirectoryRows::application)));
        routes.on("GET", "/applications/{id}", call -> byId(call, id -> store.applications().find(call.tenant(), id),
                DirectoryRows::application, APPLICATIONS));
        routes.on("GET", "/serviceprincipals", call -> ODataQuery.collection(call, SERVICE_PRINCIPALS,
                sorted(store.servicePrincipals().list(call.tenant()), sp -> sp.id().toString(), DirectoryRows::servicePrincipal)));
        routes.on("GET", "/serviceprincipals/{id}", call -> byId(call, id -> store.servicePrincipals().find(call.tenant(), id),
                DirectoryRows::servicePrincipal, SERVICE_PRINCIPALS));
        routes.on("GET", "/subscribedskus", call -> ODataQuery.collection(call, SUBSCRIBED_SKUS,
                store.subscribedSkus().list(call.tenant()).stream().map(s -> subscribedSku(call, s)).toList()));
        // Only /users/{id}: Microsoft's permission data has no /me form of assignLicense, so the engine never matches one.
        routes.on("POST", "/users/{id}/assignlicense", call -> rows.withUser(call, u -> assignLicense(call, u)));
        for (String user : List.of("/users/{id}", "/me")) {
            routes.on("GET", user + "/memberof",
                    call -> rows.withUser(call, u -> ODataQuery.collection(call, DIRECTORY_OBJECTS, memberOf(call, u))));
            routes.on("POST", user + "/revokesigninsessions", call -> rows.withUser(call, u -> {
                sessions.revoke(call.tenant(), u.id(), call.now(), UserSessions.Reason.SESSIONS_REVOKED);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("@odata.context", call.context("Edm.Boolean"));
                out.put("value", true);
                return GraphAnswer.json(200, out);
            }));
        }
    }

    private Optional<Tenant> tenant(GraphCall call) {
        return store.tenants().find(call.tenant());
    }

    private Map<String, Object> subscribedSku(GraphCall call, SubscribedSku s) {
        long consumed = store.users().list(call.tenant()).stream()
                .filter(u -> u.assignedLicenses().stream().anyMatch(l -> l.skuId().equals(s.skuId()))).count();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", s.id() == null ? call.tenant() + "_" + s.skuId() : s.id());
        row.put("skuId", s.skuId().toString());
        row.put("skuPartNumber", s.skuPartNumber());
        row.put("appliesTo", "User");
        row.put("capabilityStatus", "Enabled");
        row.put("consumedUnits", consumed);
        Object prepaid = s.additionalProperties().get("prepaidUnits");
        row.put("prepaidUnits", prepaid != null ? prepaid : Map.of("enabled", 25, "suspended", 0, "warning", 0, "lockedOut", 0));
        row.put("servicePlans", s.servicePlans().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("servicePlanId", p.servicePlanId().toString());
            m.put("servicePlanName", p.servicePlanName());
            m.put("provisioningStatus", p.provisioningStatus() == null ? "Success" : p.provisioningStatus());
            m.put("appliesTo", p.appliesTo() == null ? "User" : p.appliesTo());
            return m;
        }).toList());
        return row;
    }

    private List<Map<String, Object>> memberOf(GraphCall call, User u) {
        List<Map<String, Object>> rows = new ArrayList<>();
        store.groups().listByMember(call.tenant(), u.id()).stream().sorted(Comparator.comparing(g -> g.id().toString()))
                .forEach(g -> rows.add(typed("#microsoft.graph.group", group(g))));
        store.roleAssignments().listByPrincipal(call.tenant(), u.id()).stream()
                .filter(r -> "/".equals(r.directoryScopeId())).map(r -> r.roleDefinitionId().toLowerCase(Locale.ROOT)).distinct()
                .map(id -> ROLES.byId(id).orElse(new DirectoryRoleCatalogue.DirectoryRole(id, id, false)))
                .forEach(r -> rows.add(typed("#microsoft.graph.directoryRole", directoryRole(r))));
        return rows;
    }

    private GraphAnswer assignLicense(GraphCall call, User u) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty() || !body.get().path("addLicenses").isArray() || !body.get().path("removeLicenses").isArray()) {
            return GraphAnswer.badBody("The request body must have addLicenses (assignedLicense objects) and removeLicenses "
                    + "(SKU ids), each possibly empty.");
        }
        List<AssignedLicense> licences = new ArrayList<>(u.assignedLicenses());
        for (JsonNode remove : body.get().path("removeLicenses")) {
            Optional<UUID> sku = uuid(remove.asText());
            if (sku.isEmpty() || licences.stream().noneMatch(l -> l.skuId().equals(sku.get()))) {
                return GraphAnswer.error(400, "Request_BadRequest", "User does not have a corresponding license '"
                        + remove.asText() + "' to remove.");
            }
            licences.removeIf(l -> l.skuId().equals(sku.get()));
        }
        if (!body.get().path("addLicenses").isEmpty()
                && !(u.additionalProperties().get("usageLocation") instanceof String location && !location.isBlank())) {
            return GraphAnswer.error(400, "Request_BadRequest",
                    "License assignment cannot be done for user with invalid usage location.");
        }
        for (JsonNode add : body.get().path("addLicenses")) {
            Optional<UUID> skuId = uuid(add.path("skuId").asText(""));
            Optional<SubscribedSku> sku = skuId.flatMap(id -> store.subscribedSkus().find(call.tenant(), id));
            if (sku.isEmpty()) {
                return GraphAnswer.error(400, "Request_BadRequest", "License " + add.path("skuId").asText("")
                        + " does not correspond to a valid company License.");
            }
            List<UUID> disabled = new ArrayList<>();
            for (JsonNode plan : add.path("disabledPlans")) {
                Optional<UUID> planId = uuid(plan.asText());
                if (planId.isEmpty() || sku.get().servicePlans().stream().noneMatch(p -> p.servicePlanId().equals(planId.get()))) {
                    return GraphAnswer.error(400, "Request_BadRequest", "Service plan " + plan.asText()
                            + " is not part of license " + sku.get().skuPartNumber() + ".");
                }
                disabled.add(planId.get());
            }
            licences.removeIf(l -> l.skuId().equals(sku.get().skuId()));
            licences.add(new AssignedLicense(sku.get().skuId(), disabled));
        }
        User changed = new User(u.id(), u.userPrincipalName(), u.displayName(), u.mail(), u.userType(), u.accountEnabled(),
                u.passwordProfile(), u.lastPasswordChangeDateTime(), licences, u.additionalProperties());
        store.users().save(call.tenant(), changed);
        return ODataQuery.single(call, UserResources.SHAPE, UserResources.row(changed));
    }
}
