package dev.consentry.core.tenantfile;

import dev.consentry.core.builtin.BuiltinResource;
import dev.consentry.core.builtin.BuiltinResources;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.explain.DidYouMean;
import dev.consentry.core.id.Guid;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The permissions each resource of one tenant defines, as a token request will find them: the resource's service
 * principal's own {@code oauth2PermissionScopes} and {@code appRoles}, and for a built-in resource (Microsoft Graph,
 * Azure AD Graph, Exchange, SharePoint) the built-in ones it does not list itself (the merge the identity module's
 * resource resolver makes). Microsoft Graph also has the OpenID Connect scopes, which its service principal
 * lists but Microsoft's permission data, and so the catalogue, does not.
 *
 * <p>A resource is found by its service principal's object id or by its app id (both compared as text, any case).
 * Names compare case-insensitively, as Entra compares scopes.
 */
final class TenantResources {
    /** The OpenID Connect scopes of the Microsoft Graph service principal ({@link WellKnown#GRAPH_OIDC_SCOPES}). */
    static final List<Permission> GRAPH_OIDC_SCOPES = WellKnown.GRAPH_OIDC_SCOPES.stream()
            .map(e -> new Permission(e.getValue(), e.getKey())).toList();

    /** The two kinds of permission, by the {@code type} of a {@code resourceAccess} entry. */
    enum Kind {
        /** A delegated permission ({@code oauth2PermissionScopes}), {@code "type": "Scope"}. */
        SCOPE("Scope", "delegated permission"),
        /** An app role ({@code appRoles}; an application permission when it is for applications), {@code "type": "Role"}. */
        ROLE("Role", "app role");

        final String type;
        final String words;

        Kind(String type, String words) {
            this.type = type;
            this.words = words;
        }

        /** The kind a {@code resourceAccess} {@code type} names ("Scope" or "Role", any case), if it names one. */
        static Optional<Kind> ofType(String type) {
            for (Kind k : values()) {
                if (k.type.equalsIgnoreCase(type)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }

        Kind other() {
            return this == SCOPE ? ROLE : SCOPE;
        }
    }

    /** One permission of a resource: its id and its name ({@code value}). */
    record Permission(UUID id, String name) {}

    /**
     * One resource and everything it defines, each kind in definition order and indexed by id and by lower-case
     * name (the first of a name wins, as a token request finds it).
     */
    record Resource(String label, Map<Kind, List<Permission>> permissions, Map<Kind, Map<UUID, Permission>> ids,
                    Map<Kind, Map<String, Permission>> names) {
        static Resource of(String label, List<Permission> scopes, List<Permission> roles) {
            Map<Kind, List<Permission>> permissions = new EnumMap<>(Map.of(Kind.SCOPE, List.copyOf(scopes), Kind.ROLE, List.copyOf(roles)));
            Map<Kind, Map<UUID, Permission>> ids = new EnumMap<>(Kind.class);
            Map<Kind, Map<String, Permission>> names = new EnumMap<>(Kind.class);
            permissions.forEach((kind, list) -> {
                Map<UUID, Permission> byId = new HashMap<>();
                Map<String, Permission> byName = new HashMap<>();
                for (Permission p : list) {
                    byId.putIfAbsent(p.id(), p);
                    if (p.name() != null) {
                        byName.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
                    }
                }
                ids.put(kind, byId);
                names.put(kind, byName);
            });
            return new Resource(label, permissions, ids, names);
        }

        List<Permission> of(Kind kind) {
            return permissions.get(kind);
        }

        Optional<Permission> byId(Kind kind, UUID id) {
            return Optional.ofNullable(ids.get(kind).get(id));
        }

        Optional<Permission> byName(Kind kind, String name) {
            return Optional.ofNullable(names.get(kind).get(name.toLowerCase(Locale.ROOT)));
        }

        /**
         * Why {@code name} is not a {@code kind} of this resource, in words ending with the nearest name of that kind
         * or the other kind's id when the name is only of the other kind.
         */
        String noSuchName(Kind kind, String name) {
            Optional<Permission> other = byName(kind.other(), name);
            if (other.isPresent()) {
                return label + " has " + other.get().name() + " only as " + article(kind.other()) + " (\"type\": \""
                        + kind.other().type + "\"), not as " + article(kind);
            }
            return label + " defines no " + kind.words + " named " + name
                    + DidYouMean.suffix(name, of(kind).stream().map(Permission::name).toList());
        }

        /** Why {@code id} is not a {@code kind} of this resource, naming what it is where it is the other kind. */
        String noSuchId(Kind kind, UUID id) {
            return label + " defines no " + kind.words + " with the id " + id
                    + byId(kind.other(), id).map(p -> "; it is the id of its " + kind.other().words + " " + p.name()
                            + byName(kind, p.name()).map(same -> ", whose " + kind.words + " id is " + same.id()).orElse(""))
                    .orElse("");
        }
    }

    private final List<Resource> all = new ArrayList<>();
    private final Map<String, Resource> byReference = new HashMap<>();

    private TenantResources(List<ServicePrincipal> servicePrincipals) {
        for (ServicePrincipal sp : servicePrincipals) {
            Optional<BuiltinResource> builtin = BuiltinResources.find(sp.appId());
            List<Permission> scopes = new ArrayList<>();
            List<Permission> roles = new ArrayList<>();
            sp.oauth2PermissionScopes().forEach(s -> scopes.add(new Permission(s.id(), s.value())));
            sp.appRoles().forEach(r -> roles.add(new Permission(r.id(), r.value())));
            builtin.ifPresent(b -> {
                addMissing(scopes, b.oauth2PermissionScopes().stream().map(s -> new Permission(s.id(), s.value())).toList());
                addMissing(roles, b.appRoles().stream().map(r -> new Permission(r.id(), r.value())).toList());
            });
            if (sp.appId().equals(WellKnown.GRAPH_APP_ID)) {
                addMissing(scopes, GRAPH_OIDC_SCOPES);
            }
            String name = sp.displayName() != null ? sp.displayName() : builtin.map(BuiltinResource::displayName).orElse(null);
            Resource r = Resource.of(name == null ? "the resource " + sp.appId() : name + " (" + sp.appId() + ")",
                    scopes, roles);
            all.add(r);
            byReference.putIfAbsent(sp.id().toString(), r);
            byReference.putIfAbsent(sp.appId().toString(), r);
        }
    }

    /** The resources of a tenant whose service principals are {@code servicePrincipals} (the listed and the added). */
    static TenantResources of(List<ServicePrincipal> servicePrincipals) {
        return new TenantResources(servicePrincipals);
    }

    /** The resource whose service principal has this object id or app id. */
    Optional<Resource> find(String objectIdOrAppId) {
        return objectIdOrAppId == null ? Optional.empty()
                : Optional.ofNullable(byReference.get(objectIdOrAppId.toLowerCase(Locale.ROOT)));
    }

    /** Every resource that defines a permission with this id, with the kind it has there. */
    List<Map.Entry<Resource, Permission>> definingId(UUID id) {
        List<Map.Entry<Resource, Permission>> out = new ArrayList<>();
        for (Resource r : all) {
            for (Kind k : Kind.values()) {
                r.byId(k, id).ifPresent(p -> out.add(Map.entry(r, p)));
            }
        }
        return out;
    }

    /** True when {@code text} is a permission's name rather than its id. */
    static boolean isName(String text) {
        return !Guid.isGuid(text);
    }

    private static String article(Kind kind) {
        return kind == Kind.ROLE ? "an " + kind.words : "a " + kind.words;
    }

    private static void addMissing(List<Permission> into, List<Permission> more) {
        Set<UUID> ids = new HashSet<>();
        into.forEach(p -> ids.add(p.id()));
        for (Permission p : more) {
            if (ids.add(p.id())) {
                into.add(p);
            }
        }
    }
}
