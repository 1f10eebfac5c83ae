package dev.consentry.identity.consent;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Records a user's consent as Graph stores it: one {@code oauth2PermissionGrant} per client, resource and
 * principal, {@code consentType} "Principal", whose space-separated {@code scope} is the union of every consent
 * given so far (incremental consent keeps what was granted before). Wire spec, section 5.
 */
public final class UserConsent {
    private final Store store;

    public UserConsent(Store store) {
        this.store = store;
    }

    /**
     * Adds {@code permissions} to the user's grant of {@code clientSp} on {@code resourceSp}, creating it at {@code now}
     * when there is none; returns the grant as stored. A permission already in the grant (any case) is not repeated.
     * When the grant's scope does not change, nothing is written.
     */
    public OAuth2PermissionGrant grant(TenantId tenant, ObjectId clientSp, ObjectId resourceSp, ObjectId user,
                                       Collection<String> permissions, Instant now) {
        OAuth2PermissionGrant existing = null;
        for (OAuth2PermissionGrant g : store.permissionGrants().listByClient(tenant, clientSp)) {
            if (OAuth2PermissionGrant.PRINCIPAL.equalsIgnoreCase(g.consentType()) && user.equals(g.principalId())
                    && g.resourceId().equals(resourceSp)) {
                existing = g;
                break;
            }
        }
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
        OAuth2PermissionGrant saved = existing == null
                ? new OAuth2PermissionGrant(null, clientSp, OAuth2PermissionGrant.PRINCIPAL, user, resourceSp,
                        String.join(" ", scopes), now, null)
                // Kept: the grant's id; createdDateTime becomes the newest consent, as the admin grants do, so that the
                // diagnosis compares a token with when its missing scope was granted, not with the first consent.
                : new OAuth2PermissionGrant(existing.id(), clientSp, existing.consentType(), user, resourceSp,
                        String.join(" ", scopes), now, existing.additionalProperties());
        store.permissionGrants().save(tenant, saved);
        // Entra's audit log records a user's consent as "Consent to application" (DirectoryAudit cites the source).
        store.audit().record(tenant, new DirectoryAudit(UUID.randomUUID().toString(), now, DirectoryAudit.APPLICATION_MANAGEMENT,
                "Consent to application", "Assign", "success", new DirectoryAudit.Initiator("user", user.toString(), null),
                List.of(new DirectoryAudit.Target(clientSp.toString(), null, "ServicePrincipal", List.of(
                        new DirectoryAudit.ModifiedProperty("ConsentContext.IsAdminConsent", null, "False"),
                        new DirectoryAudit.ModifiedProperty("ConsentAction.Permissions",
                                existing == null ? null : existing.scope(), saved.scope()))))));
        return saved;
    }
}
