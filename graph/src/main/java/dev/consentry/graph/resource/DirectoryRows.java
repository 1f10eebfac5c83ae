package dev.consentry.graph.resource;

import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.KeyCredential;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RedirectUris;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.User;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.permission.DirectoryRoleCatalogue;
import dev.consentry.core.permission.GraphPath;
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
 * How directory objects look in Graph (rows by Graph property name, and the shapes their collections are queried
 * with) and the lookups the directory resources share: a member as a typed directory object, the user a path
 * names, a role by template id and who holds it.
 */
final class DirectoryRows {
    static final DirectoryRoleCatalogue ROLES = DirectoryRoleCatalogue.builtin();
    static final ODataQuery.Shape ORGANIZATION = shape("organization", "microsoft.graph.organization",
            List.of("id", "displayName", "tenantType", "verifiedDomains"), Set.of("id", "displayName"));
    static final ODataQuery.Shape APPLICATIONS = shape("applications", "microsoft.graph.application",
            List.of("id", "appId", "displayName", "signInAudience", "identifierUris", "appRoles", "api",
                    "requiredResourceAccess", "web", "spa", "publicClient", "isFallbackPublicClient", "passwordCredentials",
                    "keyCredentials"),
            Set.of("id", "appId", "displayName", "signInAudience"));
    static final ODataQuery.Shape SERVICE_PRINCIPALS = shape("servicePrincipals", "microsoft.graph.servicePrincipal",
            List.of("id", "appId", "displayName", "accountEnabled", "servicePrincipalType", "appOwnerOrganizationId",
                    "appRoleAssignmentRequired", "servicePrincipalNames", "appRoles", "oauth2PermissionScopes", "keyCredentials"),
            Set.of("id", "appId", "displayName", "accountEnabled", "servicePrincipalType"));
    static final ODataQuery.Shape SUBSCRIBED_SKUS = shape("subscribedSkus", "microsoft.graph.subscribedSku",
            List.of("id", "skuId", "skuPartNumber", "appliesTo", "capabilityStatus", "consumedUnits", "prepaidUnits",
                    "servicePlans"), Set.of());
    static final ODataQuery.Shape GROUPS = shape("groups", "microsoft.graph.group",
            List.of("id", "displayName", "description", "mail", "mailEnabled", "mailNickname", "securityEnabled",
                    "groupTypes"), Set.of("id", "displayName", "mail", "mailEnabled", "mailNickname", "securityEnabled"));
    static final ODataQuery.Shape DIRECTORY_ROLES = shape("directoryRoles", "microsoft.graph.directoryRole",
            List.of("id", "displayName", "description", "roleTemplateId"), Set.of("id", "displayName", "roleTemplateId"));
    static final ODataQuery.Shape ROLE_ASSIGNMENTS = shape("roleManagement/directory/roleAssignments",
            "microsoft.graph.unifiedRoleAssignment", List.of("id", "principalId", "roleDefinitionId", "directoryScopeId"),
            Set.of("principalId", "roleDefinitionId"));
    /** Members and memberships mix types; each row names its own with {@code @odata.type}. */
    static final ODataQuery.Shape DIRECTORY_OBJECTS = shape("directoryObjects", "microsoft.graph.directoryObject",
            List.of("@odata.type", "id", "displayName", "userPrincipalName", "description", "roleTemplateId"),
            Set.of("id", "displayName"));
    private final Store store;

    DirectoryRows(Store store) {
        this.store = store;
    }

    static ODataQuery.Shape shape(String set, String type, List<String> defaults, Set<String> filterable) {
        return new ODataQuery.Shape(set, type, defaults, Set.copyOf(defaults), filterable, 100);
    }

    /**
     * {@code shape} answered under a contained path of one object ({@code users('id')/appRoleAssignments}): Graph's
     * {@code @odata.context} names the path to a contained collection, key included, not an entity set.
     */
    static ODataQuery.Shape under(ODataQuery.Shape shape, String path) {
        return new ODataQuery.Shape(path, shape.typeName(), shape.defaultProperties(), shape.properties(), shape.filterable(),
                shape.pageSize(), shape.ranged());
    }

    static Map<String, Object> organization(Tenant t) {
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

    static Map<String, Object> application(Application a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", a.id().toString());
        row.put("appId", a.appId().toString());
        row.put("displayName", a.displayName());
        row.put("signInAudience", a.signInAudience() == null ? "AzureADMyOrg" : a.signInAudience());
        row.put("identifierUris", a.identifierUris());
        row.put("appRoles", a.appRoles().stream().map(DirectoryRows::appRole).toList());
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("requestedAccessTokenVersion", a.api().requestedAccessTokenVersion());
        api.put("oauth2PermissionScopes", a.api().oauth2PermissionScopes().stream().map(DirectoryRows::scope).toList());
        row.put("api", api);
        row.put("requiredResourceAccess", a.requiredResourceAccess().stream().map(r -> Map.of("resourceAppId", r.resourceAppId(),
                "resourceAccess", r.resourceAccess().stream().map(x -> Map.of("id", x.id().toString(), "type", x.type())).toList()))
                .toList());
        row.put("web", Map.of("redirectUris", a.web().redirectUris(), "implicitGrantSettings", implicitGrantSettings(a.web())));
        row.put("spa", Map.of("redirectUris", a.spa() == null ? List.of() : a.spa().redirectUris()));
        row.put("publicClient", Map.of("redirectUris", a.publicClient() == null ? List.of() : a.publicClient().redirectUris()));
        row.put("isFallbackPublicClient", Boolean.TRUE.equals(a.isFallbackPublicClient()));
        row.put("passwordCredentials", a.passwordCredentials().stream().map(DirectoryRows::passwordCredential).toList());
        row.put("keyCredentials", a.keyCredentials().stream().map(DirectoryRows::keyCredential).toList());
        return row;
    }

    /**
     * The web platform's {@code implicitGrantSettings} as Graph reads it back: both flags, false unless the
     * registration set them true (https://learn.microsoft.com/graph/api/resources/implicitgrantsettings).
     */
    private static Map<String, Object> implicitGrantSettings(RedirectUris web) {
        Map<?, ?> kept = web.additionalProperties().get("implicitGrantSettings") instanceof Map<?, ?> m ? m : Map.of();
        return Map.of("enableAccessTokenIssuance", Boolean.TRUE.equals(kept.get("enableAccessTokenIssuance")),
                "enableIdTokenIssuance", Boolean.TRUE.equals(kept.get("enableIdTokenIssuance")));
    }

    /**
     * A certificate as Graph lists it (https://learn.microsoft.com/graph/api/resources/keycredential): its thumbprint,
     * dates, type and usage; {@code key} is always null, as Graph answers a read and {@code addKey}.
     */
    static Map<String, Object> keyCredential(KeyCredential c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customKeyIdentifier", c.customKeyIdentifier());
        m.put("displayName", c.displayName());
        m.put("endDateTime", c.endDateTime() == null ? null : c.endDateTime().toString());
        m.put("key", null);
        m.put("keyId", c.keyId().toString());
        m.put("startDateTime", c.startDateTime() == null ? null : c.startDateTime().toString());
        m.put("type", c.type());
        m.put("usage", c.usage());
        return m;
    }

    /** A client secret as Graph lists it: its hint and dates, never the secret ({@code secretText} is always null). */
    static Map<String, Object> passwordCredential(PasswordCredential c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customKeyIdentifier", null);
        m.put("displayName", c.displayName());
        m.put("endDateTime", c.endDateTime() == null ? null : c.endDateTime().toString());
        m.put("hint", c.hint());
        m.put("keyId", c.keyId().toString());
        m.put("secretText", null);
        m.put("startDateTime", c.startDateTime() == null ? null : c.startDateTime().toString());
        return m;
    }

    static Map<String, Object> servicePrincipal(ServicePrincipal sp) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", sp.id().toString());
        row.put("appId", sp.appId().toString());
        row.put("displayName", sp.displayName());
        row.put("accountEnabled", !Boolean.FALSE.equals(sp.accountEnabled()));
        row.put("servicePrincipalType", sp.servicePrincipalType() == null ? "Application" : sp.servicePrincipalType());
        row.put("appOwnerOrganizationId", sp.appOwnerOrganizationId() == null ? null : sp.appOwnerOrganizationId().toString());
        row.put("appRoleAssignmentRequired", Boolean.TRUE.equals(sp.appRoleAssignmentRequired()));
        row.put("servicePrincipalNames", sp.servicePrincipalNames());
        row.put("appRoles", sp.appRoles().stream().map(DirectoryRows::appRole).toList());
        row.put("oauth2PermissionScopes", sp.oauth2PermissionScopes().stream().map(DirectoryRows::scope).toList());
        row.put("keyCredentials", sp.keyCredentials().stream().map(DirectoryRows::keyCredential).toList());
        return row;
    }

    static Map<String, Object> appRole(AppRole r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowedMemberTypes", r.allowedMemberTypes());
        m.put("description", r.description());
        m.put("displayName", r.displayName());
        m.put("id", r.id().toString());
        m.put("isEnabled", !Boolean.FALSE.equals(r.isEnabled()));
        m.put("value", r.value());
        return m;
    }

    static Map<String, Object> scope(PermissionScope s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("adminConsentDisplayName", s.adminConsentDisplayName());
        m.put("id", s.id().toString());
        m.put("isEnabled", !Boolean.FALSE.equals(s.isEnabled()));
        m.put("type", s.type() == null ? "User" : s.type());
        m.put("userConsentDisplayName", s.userConsentDisplayName());
        m.put("value", s.value());
        return m;
    }

    static Map<String, Object> group(Group g) {
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

    static Map<String, Object> directoryRole(DirectoryRoleCatalogue.DirectoryRole r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.templateId());
        row.put("displayName", r.displayName());
        row.put("description", null);
        row.put("roleTemplateId", r.templateId());
        return row;
    }

    static Map<String, Object> typed(String type, Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.type", type);
        out.putAll(row);
        return out;
    }

    /** A member as Graph lists it: a user, group or service principal, with its {@code @odata.type}. */
    Optional<Map<String, Object>> directoryObject(GraphCall call, ObjectId id) {
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

    /** {@code action} on the user the call is about ({@link GraphPaths#subject}), or 404 naming the missing one. */
    GraphAnswer withUser(GraphCall call, Function<User, GraphAnswer> action) {
        return subject(call).map(action).orElseGet(() -> GraphAnswer.notFound(subjectName(call)));
    }

    Optional<User> subject(GraphCall call) {
        return GraphPaths.subject(store, call.tenant(), call.caller(), call.path());
    }

    /** How the call names its user: {@code me}, or the id or user principal name in the path. */
    static String subjectName(GraphCall call) {
        return GraphPaths.isMe(call.path()) ? "me" : GraphPaths.namedUser(call.path()).orElse("");
    }

    List<DirectoryRoleCatalogue.DirectoryRole> activeRoles(GraphCall call) {
        return store.roleAssignments().list(call.tenant()).stream().filter(r -> "/".equals(r.directoryScopeId()))
                .map(r -> r.roleDefinitionId().toLowerCase(Locale.ROOT)).distinct().sorted()
                .map(id -> ROLES.byId(id).orElse(new DirectoryRoleCatalogue.DirectoryRole(id, id, false))).toList();
    }

    /** A role by template id: any role Microsoft defines may be addressed (Graph activates it on first use). */
    Optional<DirectoryRoleCatalogue.DirectoryRole> role(GraphCall call, String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return ROLES.byId(wanted).or(() -> activeRoles(call).stream().filter(r -> r.templateId().equals(wanted)).findFirst());
    }

    List<ObjectId> holders(GraphCall call, String templateId) {
        return store.roleAssignments().list(call.tenant()).stream()
                .filter(r -> "/".equals(r.directoryScopeId()) && r.roleDefinitionId().equalsIgnoreCase(templateId))
                .map(RoleAssignment::principalId).distinct().toList();
    }

    static <T> GraphAnswer byId(GraphCall call, Function<ObjectId, Optional<T>> find, Function<T, Map<String, Object>> row,
                                        ODataQuery.Shape shape) {
        String id = segment(call, 1);
        return ObjectId.tryParse(id).flatMap(find).map(t -> ODataQuery.single(call, shape, row.apply(t)))
                .orElseGet(() -> GraphAnswer.notFound(id));
    }

    static <T> List<Map<String, Object>> sorted(List<T> values, Function<T, String> key, Function<T, Map<String, Object>> row) {
        return values.stream().sorted(Comparator.comparing(key)).map(row).toList();
    }

    /** The {@code n}th segment after the version ({@code /v1.0/groups/{id}}: 0 is groups, 1 the id). */
    static String segment(GraphCall call, int n) {
        return GraphPath.parse(call.path()).segment(n).orElse("");
    }

    /** The path's last segment, URL-decoded: the id at the end of {@code /.../{id}}. */
    static String lastSegment(GraphCall call) {
        String p = call.path();
        return java.net.URLDecoder.decode(p.substring(p.lastIndexOf('/') + 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    static boolean isRef(GraphCall call) {
        return GraphPath.parse(call.path()).ref();
    }

    static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
