package dev.consentry.graph.authz;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * The directory roles that manage every application and service principal of a tenant without owning them:
 * Application Administrator, Cloud Application Administrator and Global Administrator (Microsoft Entra built-in roles,
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). A user holding none of
 * them manages only what they own, and becomes the owner of an application they register; an administrator who
 * registers one does not (Practical 365, "Seeking Ownerless Apps", https://practical365.com/ownerless-apps).
 */
public final class ApplicationAdministrators {
    public static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
    public static final String APPLICATION_ADMINISTRATOR = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
    public static final String CLOUD_APPLICATION_ADMINISTRATOR = "158c047a-c907-4556-b7ef-446551a6b5f7";
    /** The role template ids, lower case. */
    public static final Set<String> ROLES = Set.of(APPLICATION_ADMINISTRATOR, CLOUD_APPLICATION_ADMINISTRATOR,
            GLOBAL_ADMINISTRATOR);

    private ApplicationAdministrators() {}

    /** True when {@code roleIds} (template ids, any case) hold one of {@link #ROLES}. */
    public static boolean anyOf(Collection<String> roleIds) {
        return roleIds.stream().anyMatch(r -> ROLES.contains(r.toLowerCase(Locale.ROOT)));
    }
}
