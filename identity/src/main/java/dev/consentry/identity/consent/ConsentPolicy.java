package dev.consentry.identity.consent;

import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.User;
import dev.consentry.store.Store;
import java.util.Set;

/**
 * Who may consent to an app's delegated permissions for themselves: every user, unless the tenant's
 * {@code settings.usersCanConsent} is false; then only the holders of the directory roles Entra lets grant consent
 * (Microsoft Learn, "Grant tenant-wide admin consent to an application": Global Administrator, Privileged Role
 * Administrator, Cloud Application Administrator, Application Administrator). Permissions that require admin consent
 * are a separate rule (the approval page).
 */
public final class ConsentPolicy {
    /** Role template ids: Global, Privileged Role, Cloud Application and Application Administrator. */
    static final Set<String> CONSENTING_ROLES = Set.of("62e90394-69f5-4237-9190-012177145e10",
            "e8611ab8-c189-46e8-94e1-60213ab1f814", "158c047a-c907-4556-b7ef-446551a6b5f7",
            "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3");
    private final Store store;

    public ConsentPolicy(Store store) {
        this.store = store;
    }

    /** True when {@code user} of {@code tenant} may consent for themselves. */
    public boolean userMayConsent(Tenant tenant, User user) {
        if (!Boolean.FALSE.equals(tenant.settings().usersCanConsent())) {
            return true;
        }
        return store.roleAssignments().listByPrincipal(tenant.id(), user.id()).stream()
                .map(RoleAssignment::roleDefinitionId).anyMatch(CONSENTING_ROLES::contains);
    }
}
