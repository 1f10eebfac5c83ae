package dev.consentry.core.tenantfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.id.Guid;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.tenantfile.TenantResources.Kind;
import dev.consentry.core.tenantfile.TenantResources.Permission;
import dev.consentry.core.tenantfile.TenantResources.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Permission names where people write them, and beside the ids an export writes.
 *
 * <p>Where Graph stores a permission's id, a tenant file may give its name instead:
 * {@code requiredResourceAccess[].resourceAccess[].id} ({@code "User.Read.All"} with {@code "type": "Role"}) and
 * {@code appRoleAssignments[].appRoleId}; a grant's {@code scope}, which Graph stores as names, may hold ids. A name
 * is looked up, case-insensitively, among what the resource defines ({@link TenantResources}: its service principal,
 * listed or added for an application of the tenant, and the built-in permissions of Microsoft Graph and the other
 * built-in resources), and the {@code type} decides which list: {@code Scope} the delegated permissions,
 * {@code Role} (and every app role assignment) the app roles, so {@code User.Read.All} becomes the id of the right
 * one of its two.
 *
 * <p>Design: names are replaced by ids on the JSON tree, before it is mapped to the directory records, because the
 * records hold ids ({@code UUID}) and everything after the file (tokens, consent, Graph) works with ids, as Entra
 * does. A name is a convenience of the file alone, so it is resolved once, here, with the path of the value, and
 * nothing else changes. The resource's definitions are read from the same tree first (each application and service
 * principal mapped on its own; one that does not map is skipped here and refused, with its path, by the mapping).
 *
 * <p>An export writes the ids, as Graph does, and the name in an OData property annotation just before each
 * ({@code "id@consentry.name": "User.Read.All", "id": "df021288-..."}; {@code appRoleId@consentry.name}): an
 * annotation is not a property of the Graph type, so the object keeps Graph's shape and a client that reads Graph
 * JSON skips it. On read the annotation is checked against the id and removed; one that names another permission
 * than the id is refused with its path. Where the resource's permissions are unknown (an API of another tenant),
 * neither a name nor an annotation can be checked: a name is refused, an annotation dropped.
 */
final class PermissionNames {
    /** The OData annotation term an export writes the permission's name under, after the annotated property's name. */
    static final String ANNOTATION = "@consentry.name";

    private PermissionNames() {}

    /**
     * Replaces permission names by ids (and grant scope ids by names) in every tenant under {@code root}, checks and
     * removes the name annotations. Throws {@link TenantFileException} with the value's path when a name is unknown
     * or disagrees with its id.
     */
    static void resolve(String source, JsonNode root) {
        JsonNode tenants = JsonTrees.array(root, "tenants");
        for (int t = 0; t < tenants.size(); t++) {
            JsonNode tenant = tenants.get(t);
            String at = "$.tenants[" + t + "]";
            Optional<TenantResources> resources = resourcesOf(tenant);
            if (resources.isEmpty()) {
                continue; // the tenant does not map; the mapping names why
            }
            JsonNode apps = JsonTrees.array(tenant, "applications");
            for (int a = 0; a < apps.size(); a++) {
                JsonNode requests = JsonTrees.array(apps.get(a), "requiredResourceAccess");
                for (int r = 0; r < requests.size(); r++) {
                    String resourceAppId = JsonTrees.text(requests.get(r).get("resourceAppId")).orElse(null);
                    Optional<Resource> resource = resources.get().find(resourceAppId);
                    JsonNode access = JsonTrees.array(requests.get(r), "resourceAccess");
                    for (int k = 0; k < access.size(); k++) {
                        if (access.get(k) instanceof ObjectNode o) {
                            String p = at + ".applications[" + a + "].requiredResourceAccess[" + r + "].resourceAccess[" + k + "]";
                            Optional<Kind> kind = JsonTrees.text(o.get("type")).flatMap(Kind::ofType);
                            resolve(source, p, o, "id", kind, resource, resourceAppId);
                        }
                    }
                }
            }
            JsonNode assignments = JsonTrees.array(tenant, "appRoleAssignments");
            for (int i = 0; i < assignments.size(); i++) {
                if (assignments.get(i) instanceof ObjectNode o) {
                    String resourceId = JsonTrees.text(o.get("resourceId")).orElse(null);
                    resolve(source, at + ".appRoleAssignments[" + i + "]", o, "appRoleId", Optional.of(Kind.ROLE),
                            resources.get().find(resourceId), resourceId);
                }
            }
            JsonNode grants = JsonTrees.array(tenant, "oauth2PermissionGrants");
            for (int i = 0; i < grants.size(); i++) {
                if (grants.get(i) instanceof ObjectNode o && o.path("scope").isTextual()) {
                    Optional<Resource> resource = resources.get().find(JsonTrees.text(o.get("resourceId")).orElse(null));
                    if (resource.isPresent()) {
                        scopeIdsToNames(source, at + ".oauth2PermissionGrants[" + i + "].scope", o, resource.get());
                    }
                }
            }
        }
    }

    /** Resolves a name in {@code field}, then checks and removes {@code field@consentry.name}. */
    private static void resolve(String source, String path, ObjectNode o, String field, Optional<Kind> kind,
                                Optional<Resource> resource, String resourceRef) {
        String annotationPath = path + "." + field + ANNOTATION;
        JsonNode annotation = o.remove(field + ANNOTATION);
        if (annotation != null && !annotation.isNull() && !annotation.isTextual()) {
            throw new TenantFileException(source, annotationPath, "expected the permission's name, a string");
        }
        Optional<String> value = JsonTrees.text(o.get(field));
        if (value.isEmpty()) {
            return; // absent or not a string: the mapping says what was expected
        }
        String name = value.get();
        if (TenantResources.isName(name)) {
            if (kind.isEmpty()) {
                throw new TenantFileException(source, path + ".type", "expected \"Scope\" (a delegated permission) or "
                        + "\"Role\" (an app role): the type decides which permission the name " + name + " is");
            }
            if (resource.isEmpty()) {
                throw new TenantFileException(source, path + "." + field, "the permission is given by its name, " + name
                        + ", but " + (resourceRef == null ? "its resource is not named" : resourceRef
                        + " is no service principal of the tenant nor a built-in resource") + ", so the name cannot be "
                        + "looked up; give the permission's id");
            }
            Permission p = resource.get().byName(kind.get(), name).orElseThrow(() -> new TenantFileException(source,
                    path + "." + field, resource.get().noSuchName(kind.get(), name)));
            o.put(field, p.id().toString());
        }
        if (annotation != null && annotation.isTextual() && kind.isPresent() && resource.isPresent()) {
            Optional<UUID> id = Guid.parse(o.get(field).asText());
            Optional<Permission> p = id.flatMap(i -> resource.get().byId(kind.get(), i));
            // An id the resource does not define is refused by the rules, with the id's own path.
            if (p.isPresent() && !p.get().name().equalsIgnoreCase(annotation.asText())) {
                throw new TenantFileException(source, annotationPath, "the name " + annotation.asText()
                        + " does not match the id " + id.get() + ", which is the " + kind.get().words + " " + p.get().name()
                        + " of " + resource.get().label() + "; correct the name or the id");
            }
        }
    }

    /** A grant's scope holds names, as in Graph; an id among them becomes the name of that delegated permission. */
    private static void scopeIdsToNames(String source, String path, ObjectNode grant, Resource resource) {
        String scope = grant.get("scope").asText();
        List<String> out = new ArrayList<>();
        boolean changed = false;
        for (String s : scope.trim().split("\\s+")) {
            Optional<UUID> id = Guid.parse(s);
            if (id.isPresent()) {
                out.add(resource.byId(Kind.SCOPE, id.get()).map(Permission::name).orElseThrow(() ->
                        new TenantFileException(source, path, resource.noSuchId(Kind.SCOPE, id.get()))));
                changed = true;
            } else if (!s.isEmpty()) {
                out.add(s);
            }
        }
        if (changed) {
            grant.put("scope", String.join(" ", out));
        }
    }

    /** The tenant's resources, from its applications and service principals as the tree has them; empty if no tenant id. */
    private static Optional<TenantResources> resourcesOf(JsonNode tenant) {
        Optional<TenantId> id = JsonTrees.text(tenant.get("id")).flatMap(TenantId::tryParse);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        List<Application> apps = new ArrayList<>();
        for (JsonNode a : JsonTrees.array(tenant, "applications")) {
            if (a instanceof ObjectNode o) {
                // Without its requests, which may hold the names being resolved: only what it defines matters here.
                ObjectNode definitions = o.deepCopy();
                definitions.remove("requiredResourceAccess");
                mapped(definitions, Application.class).ifPresent(apps::add);
            }
        }
        List<ServicePrincipal> listed = new ArrayList<>();
        for (JsonNode s : JsonTrees.array(tenant, "servicePrincipals")) {
            mapped(s, ServicePrincipal.class).ifPresent(listed::add);
        }
        return Optional.of(TenantResources.of(TenantRules.servicePrincipals(id.get(), apps, listed)));
    }

    private static <T> Optional<T> mapped(JsonNode node, Class<T> type) {
        try {
            return Optional.ofNullable(DirectoryJson.mapper().treeToValue(node, type));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes the name annotations into {@code root}, the tree of {@code tenants} as an export writes it: before each
     * {@code resourceAccess} id and each {@code appRoleId} whose resource defines it.
     */
    static void annotate(JsonNode root, List<TenantDirectory> tenants) {
        for (int t = 0; t < tenants.size(); t++) {
            TenantDirectory d = tenants.get(t);
            JsonNode tree = root.path("tenants").path(t);
            TenantResources resources = TenantResources.of(TenantRules.servicePrincipals(d.id(), d.applications(),
                    d.servicePrincipals()));
            for (int a = 0; a < d.applications().size(); a++) {
                List<RequiredResourceAccess> requests = d.applications().get(a).requiredResourceAccess();
                for (int r = 0; r < requests.size(); r++) {
                    Optional<Resource> resource = resources.find(requests.get(r).resourceAppId());
                    List<RequiredResourceAccess.ResourceAccess> access = requests.get(r).resourceAccess();
                    for (int k = 0; k < access.size(); k++) {
                        RequiredResourceAccess.ResourceAccess x = access.get(k);
                        JsonNode node = tree.path("applications").path(a).path("requiredResourceAccess").path(r)
                                .path("resourceAccess").path(k);
                        Kind.ofType(x.type()).flatMap(kind -> resource.flatMap(res -> res.byId(kind, x.id())))
                                .ifPresent(p -> nameBefore(node, "id", p.name()));
                    }
                }
            }
            for (int i = 0; i < d.appRoleAssignments().size(); i++) {
                AppRoleAssignment x = d.appRoleAssignments().get(i);
                JsonNode node = tree.path("appRoleAssignments").path(i);
                resources.find(x.resourceId().toString()).flatMap(res -> res.byId(Kind.ROLE, x.appRoleId()))
                        .ifPresent(p -> nameBefore(node, "appRoleId", p.name()));
            }
        }
    }

    /** Puts {@code field@consentry.name} just before {@code field}, where OData places a property's annotation. */
    private static void nameBefore(JsonNode node, String field, String name) {
        if (!(node instanceof ObjectNode o) || name == null) {
            return;
        }
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        o.properties().forEach(e -> properties.put(e.getKey(), e.getValue()));
        o.removeAll();
        properties.forEach((key, value) -> {
            if (key.equals(field)) {
                o.put(field + ANNOTATION, name);
            }
            o.set(key, value);
        });
    }
}
