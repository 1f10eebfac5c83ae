package dev.consentry.core.tenantfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Ids for the objects a tenant file lists without one, the same on every load of the same file, so loading it
 * twice changes nothing (a tenant in the file replaces the stored one; a random id would make every load a
 * different tenant to the clients and tokens that refer to it).
 *
 * <p>An id is a name-based (version 3) UUID of {@code consentry:<kind>:<tenant id>:<natural key>}, where the key is
 * what tells the object from its siblings: a user's {@code userPrincipalName} and an application's {@code appId}
 * (any case); a group's {@code displayName}; an app role assignment's principal, resource and role; a grant's client,
 * consent type, principal and resource; a directory role assignment's principal, role and scope, each as written.
 * When two siblings share a key, the second gets {@code #1} appended, the third {@code #2}, and so on, so inserting
 * or removing an unrelated object never changes an id. A service principal gets the id Consentry gives the service
 * principal it adds for an application ({@link TenantRules#stableId}), so listing one without an id changes
 * nothing either. Works on the JSON tree before it is mapped (the directory records require their ids); a value of
 * the wrong type is left for the mapping to report.
 */
final class DerivedIds {
    private DerivedIds() {}

    /** Gives every object of every tenant under {@code root} that has no {@code id} (or a null one) its derived id. */
    static void fill(JsonNode root) {
        for (JsonNode tenant : JsonTrees.array(root, "tenants")) {
            Optional<TenantId> tenantId = JsonTrees.text(tenant.get("id")).flatMap(TenantId::tryParse);
            if (!(tenant instanceof ObjectNode) || tenantId.isEmpty()) {
                continue;
            }
            TenantId t = tenantId.get();
            fill(tenant, "users", key -> derived("user", t, key), o -> lower(o, "userPrincipalName"));
            fill(tenant, "groups", key -> derived("group", t, key), o -> JsonTrees.text(o.get("displayName")).or(() -> Optional.of("")));
            fill(tenant, "applications", key -> derived("application", t, key), o -> lower(o, "appId"));
            fill(tenant, "servicePrincipals", key -> servicePrincipal(t, key), o -> lower(o, "appId"));
            fill(tenant, "appRoleAssignments", key -> derived("appRoleAssignment", t, key),
                    o -> joined(o, "principalId", "resourceId", "appRoleId"));
            fill(tenant, "oauth2PermissionGrants", key -> derived("oauth2PermissionGrant", t, key),
                    o -> joined(o, "clientId", "consentType", "principalId", "resourceId"));
            fill(tenant, "roleAssignments", key -> derived("roleAssignment", t, key),
                    o -> joined(o, "principalId", "roleDefinitionId", "directoryScopeId"));
        }
    }

    private static void fill(JsonNode tenant, String array, Function<String, String> idOf,
                             Function<JsonNode, Optional<String>> keyOf) {
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode object : JsonTrees.array(tenant, array)) {
            if (!(object instanceof ObjectNode o)) {
                continue;
            }
            Optional<String> key = keyOf.apply(o);
            if (key.isEmpty()) {
                continue; // the mapping reports the missing natural key (or the missing id)
            }
            // Every sibling counts, with an id or without, so giving one an id of its own leaves the others' ids alone.
            int n = seen.merge(key.get(), 1, Integer::sum) - 1;
            JsonNode id = o.get("id");
            if (id == null || id.isNull()) {
                o.put("id", idOf.apply(n == 0 ? key.get() : key.get() + "#" + n));
            }
        }
    }

    private static String derived(String kind, TenantId tenant, String key) {
        return UUID.nameUUIDFromBytes(("consentry:" + kind + ":" + tenant + ":" + key).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** The id Consentry gives the service principal of an app; a second one with the same app id is refused later. */
    private static String servicePrincipal(TenantId tenant, String appIdKey) {
        Optional<AppId> appId = AppId.tryParse(appIdKey);
        return appId.isPresent() ? TenantRules.stableId(tenant, appId.get()).toString() : derived("servicePrincipal", tenant, appIdKey);
    }

    private static Optional<String> lower(JsonNode o, String property) {
        return JsonTrees.text(o.get(property)).map(s -> s.toLowerCase(Locale.ROOT));
    }

    private static Optional<String> joined(JsonNode o, String... properties) {
        StringBuilder key = new StringBuilder();
        for (String p : properties) {
            key.append(JsonTrees.text(o.get(p)).orElse("").toLowerCase(Locale.ROOT)).append(' ');
        }
        return Optional.of(key.toString().stripTrailing());
    }
}
