package dev.consentry.identity.resource;

import dev.consentry.core.builtin.BuiltinResource;
import dev.consentry.core.builtin.BuiltinResources;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Finds the resource a scope names, in one tenant: by app id GUID or by identifier URI
 * ({@code https://graph.microsoft.com}, {@code api://...}), built-in resources first.
 *
 * <p>Guaranteed: an unknown resource fails with {@link Cause#RESOURCE_NOT_FOUND} (AADSTS500011);
 * identifiers compare case-insensitively and one trailing slash is ignored.
 */
public final class ResourceResolver {
    private final Store store;

    public ResourceResolver(Store store) {
        this.store = store;
    }

    /** Resolves {@code identifier} (a scope without its {@code /.default} or permission part). */
    public ResolvedResource resolve(TenantId tenant, String identifier) {
        String trimmed = identifier.endsWith("/") ? identifier.substring(0, identifier.length() - 1) : identifier;
        Optional<AppId> byGuid = AppId.tryParse(trimmed);
        Optional<BuiltinResource> builtin = byGuid.isPresent()
                ? BuiltinResources.find(byGuid.get())
                : BuiltinResources.findByName(trimmed);
        if (builtin.isPresent()) {
            BuiltinResource b = builtin.get();
            ServicePrincipal sp = store.servicePrincipals().findByAppId(tenant, b.appId())
                    .orElseThrow(() -> notFound(tenant, identifier));
            return new ResolvedResource(sp, b.appId(), b.displayName(), identifier, trimmed, b.accessTokenVersion(),
                    merge(sp.appRoles(), b.appRoles(), AppRole::id),
                    merge(sp.oauth2PermissionScopes(), b.oauth2PermissionScopes(), PermissionScope::id), true);
        }
        Optional<ServicePrincipal> sp = byGuid.isPresent()
                ? store.servicePrincipals().findByAppId(tenant, byGuid.get())
                : store.servicePrincipals().findByName(tenant, trimmed);
        ServicePrincipal resource = sp.orElseThrow(() -> notFound(tenant, identifier));
        int version = application(tenant, resource.appId())
                .map(a -> a.api().accessTokenVersion())
                .orElse(1);
        return new ResolvedResource(resource, resource.appId(), resource.displayName(), identifier, trimmed, version,
                resource.appRoles(), resource.oauth2PermissionScopes(), false);
    }

    /** The application behind a resource: in the tenant itself, else in its home tenant. */
    private Optional<Application> application(TenantId tenant, AppId appId) {
        return store.applications().findByAppId(tenant, appId)
                .or(() -> store.applications().findByAppIdInAnyTenant(appId).map(h -> h.application()));
    }

    private static RuntimeException notFound(TenantId tenant, String identifier) {
        return Failure.of(Cause.RESOURCE_NOT_FOUND, "resource", identifier, "tenant", tenant.toString()).toException();
    }

    /** The tenant's own entries first, then the built-in ones it does not override (by id). */
    private static <T> List<T> merge(List<T> own, List<T> builtin, java.util.function.Function<T, UUID> id) {
        if (own.isEmpty()) {
            return builtin;
        }
        Set<UUID> seen = new HashSet<>();
        List<T> all = new ArrayList<>(own.size() + builtin.size());
        for (T t : own) {
            if (seen.add(id.apply(t))) {
                all.add(t);
            }
        }
        for (T t : builtin) {
            if (seen.add(id.apply(t))) {
                all.add(t);
            }
        }
        return List.copyOf(all);
    }
}
