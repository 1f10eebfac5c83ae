package dev.consentry.identity.consent;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Every way consent is written, one place for the consent page, the admin consent endpoint and the command line's
 * "Grant permissions": delegated permissions as Graph stores them, one {@code oauth2PermissionGrant} per client,
 * resource and principal ({@code consentType} "Principal" for one user, "AllPrincipals" for the organization) whose
 * space-separated {@code scope} is the union of every consent so far; application permissions as app role
 * assignments to the client's service principal (wire spec, section 5; Graph's oAuth2PermissionGrant and
 * appRoleAssignment resources).
 *
 * <p>Guaranteed: a permission already held is not written again and a call that changes nothing writes nothing; a
 * grant's {@code createdDateTime} becomes the time of its newest consent, which the diagnosis compares with a
 * token's issue time; each change is recorded in the tenant's audit log under Entra's activity name
 * ({@link DirectoryAudit}); what is granted for the organization leaves the app's pending admin consent requests
 * ({@link ConsentRequests#granted}).
 */
public final class ConsentGrants {
    private final Store store;
    private final ConsentRequests requests;

    public ConsentGrants(Store store) {
        this.store = store;
        this.requests = new ConsentRequests(store);
    }

    /**
     * The client's service principal in {@code tenant}, stored first when the tenant has none for its app id: what
     * Entra does on an app's first consent in a tenant (Microsoft Learn, "Grant consent on behalf of a single user":
     * "a service principal for the client application is created, if it doesn't already exist"). Recorded as
     * "Add service principal". Returns the one stored.
     */
    public ServicePrincipal ensureServicePrincipal(TenantId tenant, ServicePrincipal sp, DirectoryAudit.Initiator by,
                                                   Instant now) {
        Optional<ServicePrincipal> existing = store.servicePrincipals().findByAppId(tenant, sp.appId());
        if (existing.isPresent()) {
            return existing.get();
        }
        store.servicePrincipals().save(tenant, sp);
        audit(tenant, "Add service principal", "Add", by, now, new DirectoryAudit.Target(sp.id().toString(),
                sp.displayName(), "ServicePrincipal", List.of(new DirectoryAudit.ModifiedProperty("AppOwnerOrganizationId",
                        null, sp.appOwnerOrganizationId() == null ? null : sp.appOwnerOrganizationId().toString()))));
        return sp;
    }

    /**
     * A user's consent for themselves: adds {@code permissions} to the user's grant of {@code clientSp} on
     * {@code resourceSp}, creating it when there is none; returns the grant as stored. Recorded as Entra records it,
     * "Consent to application" by the user.
     */
    public OAuth2PermissionGrant forUser(TenantId tenant, ObjectId clientSp, ObjectId resourceSp, ObjectId user,
                                         Collection<String> permissions, Instant now) {
        OAuth2PermissionGrant existing = find(tenant, clientSp, resourceSp, user).orElse(null);
        OAuth2PermissionGrant saved = merge(tenant, existing, clientSp, resourceSp, user, permissions, now);
        if (saved != existing) {
            consentRecorded(tenant, new DirectoryAudit.Initiator("user", user.toString(), null), clientSp, false,
                    existing == null ? null : existing.scope(), saved.scope(), now);
        }
        return saved;
    }

    /**
     * Consent for the whole organization to delegated permissions: merged into the client's one "AllPrincipals"
     * grant for the resource. Recorded as "Add delegated permission grant" (or its update) by {@code by}. True when
     * something was added.
     */
    public boolean forOrganization(TenantId tenant, ServicePrincipal client, ServicePrincipal resource,
                                   Collection<String> permissions, DirectoryAudit.Initiator by, Instant now) {
        OAuth2PermissionGrant existing = find(tenant, client.id(), resource.id(), null).orElse(null);
        OAuth2PermissionGrant saved = merge(tenant, existing, client.id(), resource.id(), null, permissions, now);
        if (saved == existing) {
            return false;
        }
        audit(tenant, existing == null ? "Add delegated permission grant" : "Update delegated permission grant",
                existing == null ? "Add" : "Update", by, now, scopeTarget(client, resource,
                        existing == null ? null : existing.scope(), saved.scope()));
        requests.granted(tenant, client.appId(), permissions, now);
        return true;
    }

    /**
     * Takes {@code permission} out of the client's organization-wide grant for the resource; a grant left empty is
     * deleted. True when it was there.
     */
    public boolean revokeForOrganization(TenantId tenant, ServicePrincipal client, ServicePrincipal resource,
                                         String permission, DirectoryAudit.Initiator by, Instant now) {
        Optional<OAuth2PermissionGrant> existing = find(tenant, client.id(), resource.id(), null);
        if (existing.isEmpty() || existing.get().scopes().stream().noneMatch(s -> s.equalsIgnoreCase(permission))) {
            return false;
        }
        OAuth2PermissionGrant g = existing.get();
        List<String> kept = g.scopes().stream().filter(s -> !s.equalsIgnoreCase(permission)).toList();
        audit(tenant, kept.isEmpty() ? "Remove delegated permission grant" : "Update delegated permission grant",
                kept.isEmpty() ? "Delete" : "Update", by, now, scopeTarget(client, resource, g.scope(),
                        kept.isEmpty() ? null : String.join(" ", kept)));
        if (kept.isEmpty()) {
            store.permissionGrants().delete(tenant, g.id());
        } else {
            store.permissionGrants().save(tenant, new OAuth2PermissionGrant(g.id(), g.clientId(), g.consentType(),
                    g.principalId(), g.resourceId(), String.join(" ", kept), g.createdDateTime(), g.additionalProperties()));
        }
        return true;
    }

    /**
     * Grants an application permission: the app role {@code roleId} ({@code roleName} for the record) of
     * {@code resource}, assigned to the client's service principal. True when it was not held before.
     */
    public boolean assignRole(TenantId tenant, ServicePrincipal client, ServicePrincipal resource, UUID roleId,
                              String roleName, DirectoryAudit.Initiator by, Instant now) {
        boolean held = store.appRoleAssignments().listByPrincipal(tenant, client.id()).stream()
                .anyMatch(a -> a.resourceId().equals(resource.id()) && a.appRoleId().equals(roleId));
        if (held) {
            return false;
        }
        store.appRoleAssignments().save(tenant, new AppRoleAssignment(null, client.id(), "ServicePrincipal", resource.id(),
                roleId, now, null));
        audit(tenant, "Add app role assignment to service principal", "Assign", by, now,
                roleTarget(client, resource, roleId, null, roleName));
        requests.granted(tenant, client.appId(), List.of(roleName), now);
        return true;
    }

    /** Removes every assignment of the app role {@code roleId} of {@code resource} to the client; true when any. */
    public boolean unassignRole(TenantId tenant, ServicePrincipal client, ServicePrincipal resource, UUID roleId,
                                String roleName, DirectoryAudit.Initiator by, Instant now) {
        boolean any = false;
        for (AppRoleAssignment a : store.appRoleAssignments().listByPrincipal(tenant, client.id())) {
            if (a.resourceId().equals(resource.id()) && a.appRoleId().equals(roleId)
                    && store.appRoleAssignments().delete(tenant, a.id())) {
                any = true;
                audit(tenant, "Remove app role assignment from service principal", "Unassign", by, now,
                        roleTarget(client, resource, roleId, roleName, null));
            }
        }
        return any;
    }

    /**
     * Records an administrator's consent for the organization as Entra's audit log shows it: "Consent to application"
     * with {@code ConsentContext.IsAdminConsent} and {@code ConsentContext.OnBehalfOfAll} true, beside the grant and
     * assignment records of what it wrote.
     */
    public void adminConsentRecorded(TenantId tenant, DirectoryAudit.Initiator by, ObjectId clientSp, String permissions,
                                     Instant now) {
        consentRecorded(tenant, by, clientSp, true, null, permissions, now);
    }

    private void consentRecorded(TenantId tenant, DirectoryAudit.Initiator by, ObjectId clientSp, boolean forAll,
                                 String before, String after, Instant now) {
        // Entra's audit log records consent as "Consent to application" (DirectoryAudit cites the source).
        audit(tenant, "Consent to application", "Assign", by, now, new DirectoryAudit.Target(clientSp.toString(), null,
                "ServicePrincipal", List.of(
                        new DirectoryAudit.ModifiedProperty("ConsentContext.IsAdminConsent", null, forAll ? "True" : "False"),
                        new DirectoryAudit.ModifiedProperty("ConsentContext.OnBehalfOfAll", null, forAll ? "True" : "False"),
                        new DirectoryAudit.ModifiedProperty("ConsentAction.Permissions", before, after))));
    }

    /** The grant of the client on the resource for {@code user}, or for all principals when {@code user} is null. */
    private Optional<OAuth2PermissionGrant> find(TenantId tenant, ObjectId clientSp, ObjectId resourceSp, ObjectId user) {
        for (OAuth2PermissionGrant g : store.permissionGrants().listByClient(tenant, clientSp)) {
            boolean kind = user == null ? OAuth2PermissionGrant.ALL_PRINCIPALS.equalsIgnoreCase(g.consentType())
                    : OAuth2PermissionGrant.PRINCIPAL.equalsIgnoreCase(g.consentType()) && user.equals(g.principalId());
            if (kind && g.resourceId().equals(resourceSp)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** Stores {@code existing} with {@code permissions} added; returns {@code existing} itself when nothing is new. */
    private OAuth2PermissionGrant merge(TenantId tenant, OAuth2PermissionGrant existing, ObjectId clientSp,
                                        ObjectId resourceSp, ObjectId user, Collection<String> permissions, Instant now) {
        List<String> scopes = new ArrayList<>(existing == null ? List.of() : existing.scopes());
        List<String> lower = new ArrayList<>(scopes.stream().map(x -> x.toLowerCase(Locale.ROOT)).toList());
        for (String p : permissions) {
            if (!lower.contains(p.toLowerCase(Locale.ROOT))) {
                scopes.add(p);
                lower.add(p.toLowerCase(Locale.ROOT));
            }
        }
        if (existing != null && scopes.size() == existing.scopes().size()) {
            return existing;
        }
        String consentType = user == null ? OAuth2PermissionGrant.ALL_PRINCIPALS : OAuth2PermissionGrant.PRINCIPAL;
        OAuth2PermissionGrant saved = new OAuth2PermissionGrant(existing == null ? null : existing.id(), clientSp,
                consentType, user, resourceSp, String.join(" ", scopes), now,
                existing == null ? null : existing.additionalProperties());
        store.permissionGrants().save(tenant, saved);
        return saved;
    }

    private void audit(TenantId tenant, String activity, String operation, DirectoryAudit.Initiator by, Instant now,
                       DirectoryAudit.Target target) {
        store.audit().record(tenant, new DirectoryAudit(UUID.randomUUID().toString(), now,
                DirectoryAudit.APPLICATION_MANAGEMENT, activity, operation, "success", by, List.of(target)));
    }

    private static DirectoryAudit.Target roleTarget(ServicePrincipal client, ServicePrincipal resource, UUID roleId,
                                                    String oldValue, String newValue) {
        return new DirectoryAudit.Target(client.id().toString(), client.displayName(), "ServicePrincipal", List.of(
                new DirectoryAudit.ModifiedProperty("AppRole.Id", oldValue == null ? null : roleId.toString(),
                        newValue == null ? null : roleId.toString()),
                new DirectoryAudit.ModifiedProperty("AppRole.Value", oldValue, newValue),
                new DirectoryAudit.ModifiedProperty("ServicePrincipal.DisplayName", null, resource.displayName())));
    }

    private static DirectoryAudit.Target scopeTarget(ServicePrincipal client, ServicePrincipal resource, String oldScope,
                                                     String newScope) {
        return new DirectoryAudit.Target(client.id().toString(), client.displayName(), "ServicePrincipal", List.of(
                new DirectoryAudit.ModifiedProperty("DelegatedPermissionGrant.Scope", oldScope, newScope),
                new DirectoryAudit.ModifiedProperty("ServicePrincipal.DisplayName", null, resource.displayName())));
    }
}
