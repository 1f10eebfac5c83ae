package dev.consentry.graph.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.User;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.permission.DirectoryRoleCatalogue;
import dev.consentry.graph.authz.GraphPaths;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The directory's other objects as Graph shows them: {@code /organization}, {@code /applications},
 * {@code /servicePrincipals}, {@code /subscribedSkus}, {@code /groups} (read, created, renamed, deleted) and their
 * members (added and removed with {@code $ref}), a user's
 * {@code memberOf} (groups and directory roles), {@code /directoryRoles} with their members (adding and removing
 * one with {@code $ref}), a user's {@code assignLicense} and {@code revokeSignInSessions}.
 *
 * <p>Directory roles: Graph lists a role once it is activated in the tenant; here a role is listed when someone
 * holds it tenant-wide, and its id is its role template id (Graph also addresses roles by template id). Adding a
 * member stores a tenant-wide role assignment, which the authorization engine reads on the next call.
 *
 * <p>Licences: as in Entra, a licence needs the user's {@code usageLocation}, a SKU the tenant subscribes to, and
 * disabled plans of that SKU; the answer is the changed user. Revoking sign-in sessions revokes the user's
 * refresh tokens and ends their browser sessions.
 */
final class DirectoryResources {
    private static final DirectoryRoleCatalogue ROLES = DirectoryRoleCatalogue.builtin();
    static final ODataQuery.Shape ORGANIZATION = shape("organization", "microsoft.graph.organization",
            List.of("id", "displayName", "tenantType", "verifiedDomains"), Set.of("id", "displayName"));
    static final ODataQuery.Shape APPLICATIONS = shape("applications", "microsoft.graph.application",
            List.of("id", "appId", "displayName", "signInAudience", "identifierUris", "appRoles", "api",
                    "requiredResourceAccess", "web", "spa", "publicClient", "isFallbackPublicClient"),
            Set.of("id", "appId", "displayName", "signInAudience"));
    static final ODataQuery.Shape SERVICE_PRINCIPALS = shape("servicePrincipals", "microsoft.graph.servicePrincipal",
            List.of("id", "appId", "displayName", "accountEnabled", "servicePrincipalType", "appOwnerOrganizationId",
                    "appRoleAssignmentRequired", "servicePrincipalNames", "appRoles", "oauth2PermissionScopes"),
            Set.of("id", "appId", "displayName", "accountEnabled", "servicePrincipalType"));
    static final ODataQuery.Shape SUBSCRIBED_SKUS = shape("subscribedSkus", "microsoft.graph.subscribedSku",
            List.of("id", "skuId", "skuPartNumber", "appliesTo", "capabilityStatus", "consumedUnits", "prepaidUnits",
                    "servicePlans"), Set.of());
    static final ODataQuery.Shape GROUPS = shape("groups", "microsoft.graph.group",
            List.of("id", "displayName", "description", "mail", "mailEnabled", "mailNickname", "securityEnabled",
                    "groupTypes"), Set.of("id", "displayName", "mail", "mailEnabled", "mailNickname", "securityEnabled"));
    static final ODataQuery.Shape DIRECTORY_ROLES = shape("directoryRoles", "microsoft.graph.directoryRole",
            List.of("id", "displayName", "description", "roleTemplateId"), Set.of("id", "displayName", "roleTemplateId"));
    /** Members and memberships mix types; each row names its own with {@code @odata.type}. */
    static final ODataQuery.Shape DIRECTORY_OBJECTS = shape("directoryObjects", "microsoft.graph.directoryObject",
            List.of("@odata.type", "id", "displayName", "userPrincipalName", "description", "roleTemplateId"),
            Set.of("id", "displayName"));
    private final Store store;

    DirectoryResources(Store store) {
        this.store = store;
    }

    private static ODataQuery.Shape shape(String set, String type, List<String> defaults, Set<String> filterable) {
        return new ODataQuery.Shape(set, type, defaults, Set.copyOf(defaults), filterable, 100);
    }

    Optional<GraphAnswer> serve(GraphCall call) {
        if (call.is("GET", "/organization")) {
            return Optional.of(ODataQuery.collection(call, ORGANIZATION, tenant(call).map(t -> List.of(organization(t)))
                    .orElse(List.of())));
        }
        if (call.is("GET", "/organization/{id}")) {
            String id = segment(call, 1);
            return Optional.of(tenant(call).filter(t -> t.id().toString().equalsIgnoreCase(id))
                    .map(t -> ODataQuery.single(call, ORGANIZATION, organization(t))).orElseGet(() -> GraphAnswer.notFound(id)));
        }
        if (call.is("GET", "/applications")) {
            return Optional.of(ODataQuery.collection(call, APPLICATIONS, sorted(store.applications().list(call.tenant()),
                    a -> a.id().toString(), DirectoryResources::application)));
        }
        if (call.is("GET", "/applications/{id}")) {
            return Optional.of(byId(call, id -> store.applications().find(call.tenant(), id), DirectoryResources::application,
                    APPLICATIONS));
        }
        if (call.is("GET", "/serviceprincipals")) {
            return Optional.of(ODataQuery.collection(call, SERVICE_PRINCIPALS, sorted(store.servicePrincipals().list(call.tenant()),
                    sp -> sp.id().toString(), DirectoryResources::servicePrincipal)));
        }
        if (call.is("GET", "/serviceprincipals/{id}")) {
            return Optional.of(byId(call, id -> store.servicePrincipals().find(call.tenant(), id),
                    DirectoryResources::servicePrincipal, SERVICE_PRINCIPALS));
        }
        if (call.is("GET", "/subscribedskus")) {
            return Optional.of(ODataQuery.collection(call, SUBSCRIBED_SKUS, store.subscribedSkus().list(call.tenant()).stream()
                    .map(s -> subscribedSku(call, s)).toList()));
        }
        if (call.is("GET", "/groups")) {
            return Optional.of(ODataQuery.collection(call, GROUPS, sorted(store.groups().list(call.tenant()),
                    g -> g.id().toString(), DirectoryResources::group)));
        }
        if (call.is("GET", "/groups/{id}")) {
            return Optional.of(byId(call, id -> store.groups().find(call.tenant(), id), DirectoryResources::group, GROUPS));
        }
        if (call.is("POST", "/groups")) {
            return Optional.of(createGroup(call));
        }
        if (call.is("PATCH", "/groups/{id}")) {
            return Optional.of(withGroup(call, g -> updateGroup(call, g)));
        }
        if (call.is("DELETE", "/groups/{id}")) {
            return Optional.of(withGroup(call, g -> {
                store.groups().delete(call.tenant(), g.id());
                return GraphAnswer.empty(204, Map.of());
            }));
        }
        if (call.is("POST", "/groups/{id}/members/$ref") && isRef(call)) {
            return Optional.of(withGroup(call, g -> addGroupMember(call, g)));
        }
        if (call.is("DELETE", "/groups/{id}/members/{id}") && isRef(call)) {
            return Optional.of(withGroup(call, g -> removeGroupMember(call, g)));
        }
        if (call.is("GET", "/groups/{id}/members")) {
            String id = segment(call, 1);
            return Optional.of(ObjectId.tryParse(id).flatMap(g -> store.groups().find(call.tenant(), g))
                    .map(g -> ODataQuery.collection(call, DIRECTORY_OBJECTS, g.members().stream()
                            .map(m -> directoryObject(call, m)).flatMap(Optional::stream).toList()))
                    .orElseGet(() -> GraphAnswer.notFound(id)));
        }
        if (call.is("GET", "/users/{id}/memberof") || call.is("GET", "/me/memberof")) {
            return Optional.of(withUser(call, u -> ODataQuery.collection(call, DIRECTORY_OBJECTS, memberOf(call, u))));
        }
        if (call.is("GET", "/directoryroles")) {
            return Optional.of(ODataQuery.collection(call, DIRECTORY_ROLES, activeRoles(call).stream()
                    .map(DirectoryResources::directoryRole).toList()));
        }
        if (call.is("GET", "/directoryroles/{id}")) {
            String id = segment(call, 1);
            return Optional.of(role(call, id).map(r -> ODataQuery.single(call, DIRECTORY_ROLES, directoryRole(r)))
                    .orElseGet(() -> GraphAnswer.notFound(id)));
        }
        if (call.is("GET", "/directoryroles/{id}/members")) {
            String id = segment(call, 1);
            return Optional.of(role(call, id).map(r -> ODataQuery.collection(call, DIRECTORY_OBJECTS,
                    holders(call, r.templateId()).stream().map(m -> directoryObject(call, m)).flatMap(Optional::stream).toList()))
                    .orElseGet(() -> GraphAnswer.notFound(id)));
        }
        if (call.is("POST", "/directoryroles/{id}/members") && isRef(call)) {
            return Optional.of(addRoleMember(call));
        }
        if (call.is("DELETE", "/directoryroles/{id}/members/{id}") && isRef(call)) {
            return Optional.of(removeRoleMember(call));
        }
        if (call.is("POST", "/users/{id}/assignlicense") || call.is("POST", "/me/assignlicense")) {
            return Optional.of(withUser(call, u -> assignLicense(call, u)));
        }
        if (call.is("POST", "/users/{id}/revokesigninsessions") || call.is("POST", "/me/revokesigninsessions")) {
            return Optional.of(withUser(call, u -> {
                store.refreshTokens().revokeUser(call.tenant(), u.id(), call.now());
                store.signInSessions().removeUser(call.tenant(), u.id());
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("@odata.context", "https://graph.microsoft.com/" + call.version() + "/$metadata#Edm.Boolean");
                out.put("value", true);
                return GraphAnswer.json(200, out);
            }));
        }
        return Optional.empty();
    }

    // ---- organization, applications, service principals, SKUs, groups ----------------------------------------

    private Optional<Tenant> tenant(GraphCall call) {
        return store.tenants().find(call.tenant());
    }

    private static Map<String, Object> organization(Tenant t) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", t.id().toString());
        row.put("displayName", t.displayName());
        row.put("tenantType", "AAD");
        List<Map<String, Object>> domains = new ArrayList<>();
        for (VerifiedDomain d : t.verifiedDomains()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("capabilities", "Email, OfficeCommunicationsOnline");
            m.put("isDefault", Boolean.TRUE.equals(d.isDefault()));
            m.put("isInitial", Boolean.TRUE.equals(d.isInitial()));
            m.put("name", d.name());
            m.put("type", d.type() == null ? "Managed" : d.type());
            domains.add(m);
        }
        row.put("verifiedDomains", domains);
        return row;
    }

    private static Map<String, Object> application(Application a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", a.id().toString());
        row.put("appId", a.appId().toString());
        row.put("displayName", a.displayName());
        row.put("signInAudience", a.signInAudience() == null ? "AzureADMyOrg" : a.signInAudience());
        row.put("identifierUris", a.identifierUris());
        row.put("appRoles", a.appRoles().stream().map(DirectoryResources::appRole).toList());
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("requestedAccessTokenVersion", a.api().requestedAccessTokenVersion());
        api.put("oauth2PermissionScopes", a.api().oauth2PermissionScopes().stream().map(DirectoryResources::scope).toList());
        row.put("api", api);
        row.put("requiredResourceAccess", a.requiredResourceAccess().stream().map(r -> Map.of("resourceAppId", r.resourceAppId(),
                "resourceAccess", r.resourceAccess().stream().map(x -> Map.of("id", x.id().toString(), "type", x.type())).toList()))
                .toList());
        row.put("web", Map.of("redirectUris", a.web() == null ? List.of() : a.web().redirectUris()));
        row.put("spa", Map.of("redirectUris", a.spa() == null ? List.of() : a.spa().redirectUris()));
        row.put("publicClient", Map.of("redirectUris", a.publicClient() == null ? List.of() : a.publicClient().redirectUris()));
        row.put("isFallbackPublicClient", Boolean.TRUE.equals(a.isFallbackPublicClient()));
        return row;
    }

    private static Map<String, Object> servicePrincipal(ServicePrincipal sp) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", sp.id().toString());
        row.put("appId", sp.appId().toString());
        row.put("displayName", sp.displayName());
        row.put("accountEnabled", !Boolean.FALSE.equals(sp.accountEnabled()));
        row.put("servicePrincipalType", sp.servicePrincipalType() == null ? "Application" : sp.servicePrincipalType());
        row.put("appOwnerOrganizationId", sp.appOwnerOrganizationId() == null ? null : sp.appOwnerOrganizationId().toString());
        row.put("appRoleAssignmentRequired", Boolean.TRUE.equals(sp.appRoleAssignmentRequired()));
        row.put("servicePrincipalNames", sp.servicePrincipalNames());
        row.put("appRoles", sp.appRoles().stream().map(DirectoryResources::appRole).toList());
        row.put("oauth2PermissionScopes", sp.oauth2PermissionScopes().stream().map(DirectoryResources::scope).toList());
        return row;
    }

    private static Map<String, Object> appRole(AppRole r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowedMemberTypes", r.allowedMemberTypes());
        m.put("description", r.description());
        m.put("displayName", r.displayName());
        m.put("id", r.id().toString());
        m.put("isEnabled", !Boolean.FALSE.equals(r.isEnabled()));
        m.put("value", r.value());
        return m;
    }

    private static Map<String, Object> scope(PermissionScope s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("adminConsentDisplayName", s.adminConsentDisplayName());
        m.put("id", s.id().toString());
        m.put("isEnabled", !Boolean.FALSE.equals(s.isEnabled()));
        m.put("type", s.type() == null ? "User" : s.type());
        m.put("userConsentDisplayName", s.userConsentDisplayName());
        m.put("value", s.value());
        return m;
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

    private static Map<String, Object> group(Group g) {
        Map<String, Object> p = g.additionalProperties();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", g.id().toString());
        row.put("displayName", g.displayName());
        row.put("description", p.get("description"));
        row.put("mail", p.get("mail"));
        row.put("mailEnabled", Boolean.TRUE.equals(g.mailEnabled()));
        row.put("mailNickname", p.get("mailNickname"));
        row.put("securityEnabled", !Boolean.FALSE.equals(g.securityEnabled()));
        row.put("groupTypes", g.groupTypes());
        return row;
    }

    private GraphAnswer withGroup(GraphCall call, Function<Group, GraphAnswer> action) {
        String id = segment(call, 1);
        return ObjectId.tryParse(id).flatMap(g -> store.groups().find(call.tenant(), g)).map(action)
                .orElseGet(() -> GraphAnswer.notFound(id));
    }

    /**
     * {@code POST /groups}: {@code displayName}, {@code mailEnabled}, {@code mailNickname} and {@code securityEnabled}
     * are required, as Graph requires them; {@code members@odata.bind} may name the first members.
     */
    private GraphAnswer createGroup(GraphCall call) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object describing the group.");
        }
        ObjectNode b = body.get();
        for (String text : List.of("displayName", "mailNickname")) {
            if (!b.path(text).isTextual() || b.path(text).asText().isBlank()) {
                return invalidGroupValue(text);
            }
        }
        for (String flag : List.of("mailEnabled", "securityEnabled")) {
            if (!b.path(flag).isBoolean()) {
                return invalidGroupValue(flag);
            }
        }
        List<String> groupTypes = new ArrayList<>();
        for (JsonNode t : b.path("groupTypes")) {
            groupTypes.add(t.asText());
        }
        List<ObjectId> members = new ArrayList<>();
        for (JsonNode ref : b.path("members@odata.bind")) {
            String text = ref.asText("");
            Optional<ObjectId> member = ObjectId.tryParse(text.substring(text.lastIndexOf('/') + 1));
            if (member.isEmpty() || directoryObject(call, member.get()).isEmpty()) {
                return GraphAnswer.error(400, "Request_BadRequest", "Invalid object identifier '" + text + "'.");
            }
            members.add(member.get());
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("mailNickname", b.get("mailNickname").asText());
        if (b.path("description").isTextual()) {
            extra.put("description", b.get("description").asText());
        }
        extra.put("createdDateTime", call.now().toString());
        Group group = new Group(ObjectId.random(), b.get("displayName").asText(), b.get("securityEnabled").asBoolean(),
                b.get("mailEnabled").asBoolean(), groupTypes, members, extra);
        store.groups().save(call.tenant(), group);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", "https://graph.microsoft.com/" + call.version() + "/$metadata#groups/$entity");
        out.putAll(group(group));
        return GraphAnswer.json(201, out).withHeader("Location", call.origin() + "/" + call.version() + "/groups/" + group.id());
    }

    private GraphAnswer updateGroup(GraphCall call, Group g) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the properties to change.");
        }
        String displayName = g.displayName();
        Map<String, Object> extra = new LinkedHashMap<>(g.additionalProperties());
        for (var names = body.get().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode v = body.get().get(name);
            switch (name) {
                case "displayName" -> {
                    if (!v.isTextual() || v.asText().isBlank()) {
                        return invalidGroupValue(name);
                    }
                    displayName = v.asText();
                }
                case "description", "mailNickname" -> {
                    if (!v.isTextual() && !v.isNull()) {
                        return invalidGroupValue(name);
                    }
                    if (v.isNull()) {
                        extra.remove(name);
                    } else {
                        extra.put(name, v.asText());
                    }
                }
                default -> {
                    if (!name.startsWith("@odata.")) {
                        return GraphAnswer.error(400, "BadRequest", "Property '" + name
                                + "' does not exist on type 'microsoft.graph.group' or cannot be changed.");
                    }
                }
            }
        }
        store.groups().save(call.tenant(), new Group(g.id(), displayName, g.securityEnabled(), g.mailEnabled(), g.groupTypes(),
                g.members(), extra));
        return GraphAnswer.empty(204, Map.of());
    }

    private GraphAnswer addGroupMember(GraphCall call, Group g) {
        String ref = call.bodyObject().map(b -> b.path("@odata.id").asText("")).orElse("");
        Optional<ObjectId> member = ObjectId.tryParse(ref.substring(ref.lastIndexOf('/') + 1));
        if (member.isEmpty()) {
            return GraphAnswer.badBody("The request body must be {\"@odata.id\": \"https://graph.microsoft.com/v1.0/"
                    + "directoryObjects/{id}\"}.");
        }
        if (directoryObject(call, member.get()).isEmpty()) {
            return GraphAnswer.notFound(member.get().toString());
        }
        if (g.members().contains(member.get())) {
            return GraphAnswer.error(400, "Request_BadRequest",
                    "One or more added object references already exist for the following modified properties: 'members'.");
        }
        List<ObjectId> members = new ArrayList<>(g.members());
        members.add(member.get());
        store.groups().save(call.tenant(), new Group(g.id(), g.displayName(), g.securityEnabled(), g.mailEnabled(), g.groupTypes(),
                members, g.additionalProperties()));
        return GraphAnswer.empty(204, Map.of());
    }

    private GraphAnswer removeGroupMember(GraphCall call, Group g) {
        String memberId = segment(call, 3);
        Optional<ObjectId> member = ObjectId.tryParse(memberId);
        if (member.isEmpty() || !g.members().contains(member.get())) {
            return GraphAnswer.notFound(memberId);
        }
        List<ObjectId> members = new ArrayList<>(g.members());
        members.remove(member.get());
        store.groups().save(call.tenant(), new Group(g.id(), g.displayName(), g.securityEnabled(), g.mailEnabled(), g.groupTypes(),
                members, g.additionalProperties()));
        return GraphAnswer.empty(204, Map.of());
    }

    private static GraphAnswer invalidGroupValue(String property) {
        return GraphAnswer.error(400, "Request_BadRequest", "Invalid value specified for property '" + property
                + "' of resource 'Group'.");
    }

    // ---- memberships and directory roles -----------------------------------------------------------------------

    /** A member as Graph lists it: a user, group or service principal, with its {@code @odata.type}. */
    private Optional<Map<String, Object>> directoryObject(GraphCall call, ObjectId id) {
        Optional<Map<String, Object>> user = store.users().find(call.tenant(), id).map(u -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("@odata.type", "#microsoft.graph.user");
            row.putAll(UserResources.row(u));
            return row;
        });
        if (user.isPresent()) {
            return user;
        }
        Optional<Map<String, Object>> group = store.groups().find(call.tenant(), id).map(g -> typed("#microsoft.graph.group", group(g)));
        if (group.isPresent()) {
            return group;
        }
        return store.servicePrincipals().find(call.tenant(), id)
                .map(sp -> typed("#microsoft.graph.servicePrincipal", servicePrincipal(sp)));
    }

    private static Map<String, Object> typed(String type, Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.type", type);
        out.putAll(row);
        return out;
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

    private List<DirectoryRoleCatalogue.DirectoryRole> activeRoles(GraphCall call) {
        return store.roleAssignments().list(call.tenant()).stream().filter(r -> "/".equals(r.directoryScopeId()))
                .map(r -> r.roleDefinitionId().toLowerCase(Locale.ROOT)).distinct().sorted()
                .map(id -> ROLES.byId(id).orElse(new DirectoryRoleCatalogue.DirectoryRole(id, id, false))).toList();
    }

    /** A role by template id: any role Microsoft defines may be addressed (Graph activates it on first use). */
    private Optional<DirectoryRoleCatalogue.DirectoryRole> role(GraphCall call, String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return ROLES.byId(wanted).or(() -> activeRoles(call).stream().filter(r -> r.templateId().equals(wanted)).findFirst());
    }

    private static Map<String, Object> directoryRole(DirectoryRoleCatalogue.DirectoryRole r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.templateId());
        row.put("displayName", r.displayName());
        row.put("description", null);
        row.put("roleTemplateId", r.templateId());
        return row;
    }

    private List<ObjectId> holders(GraphCall call, String templateId) {
        return store.roleAssignments().list(call.tenant()).stream()
                .filter(r -> "/".equals(r.directoryScopeId()) && r.roleDefinitionId().equalsIgnoreCase(templateId))
                .map(RoleAssignment::principalId).distinct().toList();
    }

    private GraphAnswer addRoleMember(GraphCall call) {
        String roleId = segment(call, 1);
        Optional<DirectoryRoleCatalogue.DirectoryRole> role = role(call, roleId);
        if (role.isEmpty()) {
            return GraphAnswer.notFound(roleId);
        }
        Optional<ObjectNode> body = call.bodyObject();
        String ref = body.map(b -> b.path("@odata.id").asText("")).orElse("");
        Optional<ObjectId> member = ObjectId.tryParse(ref.substring(ref.lastIndexOf('/') + 1));
        if (member.isEmpty()) {
            return GraphAnswer.badBody("The request body must be {\"@odata.id\": \"https://graph.microsoft.com/v1.0/"
                    + "directoryObjects/{id}\"}.");
        }
        if (store.users().find(call.tenant(), member.get()).isEmpty()
                && store.servicePrincipals().find(call.tenant(), member.get()).isEmpty()) {
            return GraphAnswer.notFound(member.get().toString());
        }
        if (holders(call, role.get().templateId()).contains(member.get())) {
            return GraphAnswer.error(400, "Request_BadRequest",
                    "One or more added object references already exist for the following modified properties: 'members'.");
        }
        store.roleAssignments().save(call.tenant(), new RoleAssignment(UUID.randomUUID().toString(), member.get(),
                role.get().templateId(), "/", null));
        return GraphAnswer.empty(204, Map.of());
    }

    private GraphAnswer removeRoleMember(GraphCall call) {
        String roleId = segment(call, 1);
        String memberId = segment(call, 3);
        Optional<ObjectId> member = ObjectId.tryParse(memberId);
        List<RoleAssignment> held = member.isEmpty() ? List.of() : store.roleAssignments().listByPrincipal(call.tenant(), member.get())
                .stream().filter(r -> "/".equals(r.directoryScopeId()) && r.roleDefinitionId().equalsIgnoreCase(roleId)).toList();
        if (held.isEmpty()) {
            return GraphAnswer.notFound(memberId);
        }
        held.forEach(r -> store.roleAssignments().delete(call.tenant(), r.id()));
        return GraphAnswer.empty(204, Map.of());
    }

    // ---- licences --------------------------------------------------------------------------------------------

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

    // ---- helpers ----------------------------------------------------------------------------------------------

    private GraphAnswer withUser(GraphCall call, Function<User, GraphAnswer> action) {
        if (GraphPaths.isMe(call.path())) {
            return call.caller().flatMap(id -> store.users().find(call.tenant(), id)).map(action)
                    .orElseGet(() -> GraphAnswer.notFound("me"));
        }
        String target = GraphPaths.namedUser(call.path()).orElse("");
        return GraphPaths.findUser(store, call.tenant(), target).map(action).orElseGet(() -> GraphAnswer.notFound(target));
    }

    private static <T> GraphAnswer byId(GraphCall call, Function<ObjectId, Optional<T>> find, Function<T, Map<String, Object>> row,
                                        ODataQuery.Shape shape) {
        String id = segment(call, 1);
        return ObjectId.tryParse(id).flatMap(find).map(t -> ODataQuery.single(call, shape, row.apply(t)))
                .orElseGet(() -> GraphAnswer.notFound(id));
    }

    private static <T> List<Map<String, Object>> sorted(List<T> values, Function<T, String> key, Function<T, Map<String, Object>> row) {
        return values.stream().sorted(Comparator.comparing(key)).map(row).toList();
    }

    /** The {@code n}th segment after the version ({@code /v1.0/groups/{id}}: 0 is groups, 1 the id). */
    private static String segment(GraphCall call, int n) {
        String[] parts = GraphPaths.withoutVersion(call.path()).split("/");
        return n + 1 < parts.length ? java.net.URLDecoder.decode(parts[n + 1], java.nio.charset.StandardCharsets.UTF_8) : "";
    }

    private static boolean isRef(GraphCall call) {
        return call.path().toLowerCase(Locale.ROOT).endsWith("/$ref");
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
