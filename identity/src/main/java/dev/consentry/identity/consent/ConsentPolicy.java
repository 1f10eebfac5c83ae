package dev.consentry.identity.consent;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AuthorizationPolicy;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.User;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.resource.ResolvedResource;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may consent to what, as Entra decides it.
 *
 * <p><b>For oneself</b> (the consent page): a user holding a role that may grant consent for everyone may consent to
 * anything; any other user may consent only to delegated permissions that do not require admin consent, and only as
 * far as the permission grant policies of the tenant's {@link AuthorizationPolicy} allow
 * (Microsoft Learn, "Configure how users consent to applications"):
 * <ul>
 *   <li>{@code microsoft-user-default-legacy}: any such permission, for any app;
 *   <li>{@code microsoft-user-default-low}: apps of a verified publisher or registered in the user's own tenant, and
 *       only the permissions the resource classifies as {@code low} ({@code delegatedPermissionClassifications} of
 *       its service principal);
 *   <li>{@code microsoft-user-default-recommended} (Microsoft-managed, the default of new tenants): any such permission
 *       except those Microsoft lists ({@link MicrosoftManagedConsent}); {@code microsoft-user-default-allow-consent-apps}
 *       adds the mail permissions for the popular mail clients;
 *   <li>none assigned: no user consent.
 * </ul>
 *
 * <p><b>For the organization</b> (the admin consent endpoint and the consent page's "Consent on behalf of your
 * organization"), by role (Microsoft Learn, "Grant tenant-wide admin consent to an application", and the role
 * permissions {@code managePermissionGrantsForAll.microsoft-company-admin} and
 * {@code ...microsoft-application-admin} in "Microsoft Entra built-in roles"): Global Administrator and Privileged
 * Role Administrator, any permission of any API; Cloud Application Administrator and Application Administrator, any
 * permission except Microsoft Graph's application permissions. The consent page shows its organization box only to
 * the first two ("The check box only shows for at least the Privileged Role Administrator role", Microsoft Learn,
 * "Application consent experience").
 */
public final class ConsentPolicy {
    /** Global Administrator and Privileged Role Administrator (role template ids). */
    static final Set<String> COMPANY_ADMIN_ROLES = Set.of("62e90394-69f5-4237-9190-012177145e10",
            "e8611ab8-c189-46e8-94e1-60213ab1f814");
    /** Cloud Application Administrator and Application Administrator (role template ids). */
    static final Set<String> APPLICATION_ADMIN_ROLES = Set.of("158c047a-c907-4556-b7ef-446551a6b5f7",
            "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3");
    private static final String LEGACY = "microsoft-user-default-legacy";
    private static final String LOW = "microsoft-user-default-low";
    private static final String RECOMMENDED = "microsoft-user-default-recommended";
    private static final String MAIL_CLIENTS = "microsoft-user-default-allow-consent-apps";

    private final Store store;

    public ConsentPolicy(Store store) {
        this.store = store;
    }

    /** How far a user's directory roles reach in granting consent for everyone. */
    public enum AdminReach {
        /** No role that grants consent for others. */
        NONE,
        /** Cloud Application or Application Administrator: all but Microsoft Graph's application permissions. */
        APPLICATION_ADMIN,
        /** Global or Privileged Role Administrator: every permission of every API. */
        COMPANY_ADMIN
    }

    /** What the consent page may offer a user. */
    public sealed interface Verdict {
        /** The user may consent; {@code forOrganization} when the page also offers consent for the organization. */
        record MayConsent(boolean forOrganization) implements Verdict {}

        /** The user may not consent: the "Need admin approval" page, with why. */
        record NeedsApproval(Failure failure) implements Verdict {}
    }

    /** The reach of {@code user}'s tenant-wide directory roles. */
    public AdminReach reach(Tenant tenant, User user) {
        AdminReach reach = AdminReach.NONE;
        for (RoleAssignment r : store.roleAssignments().listByPrincipal(tenant.id(), user.id())) {
            if (!"/".equals(r.directoryScopeId() == null ? "/" : r.directoryScopeId())) {
                continue;
            }
            String role = r.roleDefinitionId().toLowerCase(Locale.ROOT);
            if (COMPANY_ADMIN_ROLES.contains(role)) {
                return AdminReach.COMPANY_ADMIN;
            }
            if (APPLICATION_ADMIN_ROLES.contains(role)) {
                reach = AdminReach.APPLICATION_ADMIN;
            }
        }
        return reach;
    }

    /**
     * Whether {@code user} may consent for themselves to {@code permissions} of {@code resource} for {@code client}, and
     * whether the page offers consent for the organization.
     *
     * @param command the command that grants a named permission on this Consentry, for the refusal's fix
     */
    public Verdict forSelf(Tenant tenant, User user, AuthenticatedClient client, ResolvedResource resource,
                           List<PermissionScope> permissions, java.util.function.UnaryOperator<String> command) {
        AdminReach reach = reach(tenant, user);
        if (reach != AdminReach.NONE) {
            return new Verdict.MayConsent(reach == AdminReach.COMPANY_ADMIN);
        }
        List<String> adminOnly = permissions.stream().filter(PermissionScope::requiresAdminConsent)
                .map(PermissionScope::value).toList();
        if (!adminOnly.isEmpty()) {
            return new Verdict.NeedsApproval(Failure.of(Cause.ADMIN_CONSENT_REQUIRED,
                    facts(client, resource, user, adminOnly, command.apply(adminOnly.get(0)))));
        }
        List<String> policies = tenant.authorizationPolicy().userConsentPolicies();
        List<String> all = permissions.stream().map(PermissionScope::value).toList();
        if (policies.isEmpty()) {
            return new Verdict.NeedsApproval(Failure.of(Cause.USER_CONSENT_DISABLED,
                    with(facts(client, resource, user, all, command.apply(all.get(0))), "tenant", tenant.id().toString())));
        }
        List<String> uncovered = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (PermissionScope p : permissions) {
            // A permission is covered when one of the assigned policies lets the user consent to it.
            List<String> reasons = new ArrayList<>();
            for (String policy : policies) {
                Optional<String> reason = refusedBy(policy.substring(AuthorizationPolicy.FOR_SELF.length())
                        .toLowerCase(Locale.ROOT), tenant, client, resource, p);
                if (reason.isEmpty()) {
                    reasons.clear();
                    break;
                }
                reasons.add(reason.get());
            }
            if (!reasons.isEmpty()) {
                uncovered.add(p.value());
                why.add(p.value() + ": " + String.join("; ", reasons));
            }
        }
        if (uncovered.isEmpty()) {
            return new Verdict.MayConsent(false);
        }
        return new Verdict.NeedsApproval(Failure.of(Cause.USER_CONSENT_NOT_COVERED,
                with(facts(client, resource, user, uncovered, command.apply(uncovered.get(0))), "tenant", tenant.id().toString(), "policies",
                        String.join(", ", policies), "reasons", String.join(". ", why))));
    }

    /**
     * Why {@code user} may not grant {@code delegated} and {@code roles} of {@code resource} for the whole organization;
     * empty when they may. A Cloud Application or Application Administrator may grant all but Microsoft Graph's
     * application permissions.
     */
    public Optional<Failure> forOrganization(Tenant tenant, User user, AuthenticatedClient client,
                                             ResolvedResource resource, List<PermissionScope> delegated,
                                             List<AppRole> roles, String command) {
        AdminReach reach = reach(tenant, user);
        boolean graphRoles = !roles.isEmpty() && resource.appId().equals(WellKnown.GRAPH_APP_ID);
        if (reach == AdminReach.COMPANY_ADMIN || (reach == AdminReach.APPLICATION_ADMIN && !graphRoles)) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        delegated.forEach(p -> names.add(p.value()));
        roles.forEach(r -> names.add(r.value()));
        String held = reach == AdminReach.NONE ? "holds none of the roles that may grant consent for the organization"
                : "is a Cloud Application or Application Administrator, which may not grant Microsoft Graph's application permissions";
        return Optional.of(Failure.of(Cause.ORGANIZATION_CONSENT_NOT_ALLOWED, with(facts(client, resource, user,
                names.isEmpty() ? List.of("no permission") : names, command), "held", held)));
    }

    /** Why {@code policy} (its id without the prefix) does not let a user consent to {@code p}; empty when it does. */
    private Optional<String> refusedBy(String policy, Tenant tenant, AuthenticatedClient client,
                                       ResolvedResource resource, PermissionScope p) {
        return switch (policy) {
            case LEGACY -> Optional.empty();
            case LOW -> {
                boolean trusted = client.homeTenant().equals(tenant.id()) || verifiedPublisher(client);
                if (!trusted) {
                    yield Optional.of(LOW + " lets users consent only to apps of a verified publisher or of their own tenant");
                }
                yield lowImpact(resource, p) ? Optional.empty() : Optional.of(LOW + " lets users consent only to "
                        + "permissions that " + resource.displayName() + " classifies as low (delegatedPermissionClassifications)");
            }
            case RECOMMENDED -> MicrosoftManagedConsent.excluded(resource.appId(), p.value())
                    ? Optional.of(RECOMMENDED + " excludes it (Microsoft's list of permissions users may not consent to)")
                    : Optional.empty();
            case MAIL_CLIENTS -> MicrosoftManagedConsent.mailClient(client.application().appId())
                    && MicrosoftManagedConsent.excluded(resource.appId(), p.value()) ? Optional.empty()
                    : Optional.of(MAIL_CLIENTS + " covers only the mail permissions of the popular mail clients");
            default -> Optional.of("Consentry does not evaluate the custom permission grant policy " + policy);
        };
    }

    private static boolean verifiedPublisher(AuthenticatedClient client) {
        return client.application().additionalProperties().get("verifiedPublisher") instanceof Map<?, ?> vp
                && vp.get("verifiedPublisherId") instanceof String id && !id.isBlank();
    }

    /** True when the resource's service principal classifies {@code p} as {@code low} (by id, or by name). */
    private static boolean lowImpact(ResolvedResource resource, PermissionScope p) {
        if (!(resource.servicePrincipal().additionalProperties().get("delegatedPermissionClassifications")
                instanceof List<?> list)) {
            return false;
        }
        for (Object o : list) {
            if (o instanceof Map<?, ?> c && "low".equalsIgnoreCase(String.valueOf(c.get("classification")))
                    && (p.id().toString().equalsIgnoreCase(String.valueOf(c.get("permissionId")))
                        || p.value().equalsIgnoreCase(String.valueOf(c.get("permissionName"))))) {
                return true;
            }
        }
        return false;
    }

    private static String[] facts(AuthenticatedClient client, ResolvedResource resource, User user, List<String> permissions,
                                  String command) {
        return new String[] {"appName", DelegatedScopes.appName(client), "clientId",
            client.application().appId().toString(), "permissions", String.join(", ", permissions), "resource",
            resource.displayName(), "username", user.userPrincipalName(), "command", command};
    }

    private static String[] with(String[] facts, String... more) {
        String[] out = java.util.Arrays.copyOf(facts, facts.length + more.length);
        System.arraycopy(more, 0, out, facts.length, more.length);
        return out;
    }
}
