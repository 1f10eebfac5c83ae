package dev.consentry.server.testing;

import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import dev.consentry.testkit.TenantBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The test tenant Fabrikam with mail, calendar and files: Adele's mailbox, events and drive hold the given items (as a
 * tenant file seeds them), Adele and Megan hold an E5 licence with its Exchange and SharePoint plans, and the desktop
 * app's delegated grant holds {@code desktopScopes}. For the tests of Graph's workload routes.
 */
public final class WorkloadTenant {
    /** Microsoft 365 E5's SKU id. */
    public static final UUID E5 = UUID.fromString("c7df2760-2c81-4ef7-b578-5b5392b571df");

    private WorkloadTenant() {}

    public static TenantBuilder fabrikam(List<Map<String, Object>> messages, List<Map<String, Object>> events,
                                         List<Map<String, Object>> driveItems, String desktopScopes) {
        TenantDirectory f = TestTenant.fabrikam();
        List<User> users = new ArrayList<>();
        for (User u : f.users()) {
            Map<String, Object> extra = new LinkedHashMap<>(u.additionalProperties());
            List<AssignedLicense> licences = u.assignedLicenses();
            if (u.id().equals(TestTenant.ADELE)) {
                extra.put("messages", messages);
                extra.put("events", events);
                extra.put("driveItems", driveItems);
            }
            if (u.id().equals(TestTenant.ADELE) || u.id().equals(TestTenant.MEGAN)) {
                licences = List.of(new AssignedLicense(E5, List.of()));
            }
            users.add(new User(u.id(), u.userPrincipalName(), u.displayName(), u.mail(), u.userType(), u.accountEnabled(),
                    u.passwordProfile(), u.lastPasswordChangeDateTime(), licences, extra));
        }
        List<OAuth2PermissionGrant> grants = new ArrayList<>();
        for (OAuth2PermissionGrant g : f.oauth2PermissionGrants()) {
            grants.add(g.id().equals("grant-desktop-graph") ? new OAuth2PermissionGrant(g.id(), g.clientId(), g.consentType(),
                    g.principalId(), g.resourceId(), desktopScopes, g.createdDateTime(), null) : g);
        }
        SubscribedSku e5 = new SubscribedSku("e5", E5, "ENTERPRISEPREMIUM", List.of(
                new SubscribedSku.ServicePlan(UUID.fromString("efb87545-963c-4e0d-99df-69c6916d9eb0"), "EXCHANGE_S_ENTERPRISE",
                        "Success", "User"),
                new SubscribedSku.ServicePlan(UUID.fromString("5dbe027f-2339-4123-9542-606e4d348a72"), "SHAREPOINTENTERPRISE",
                        "Success", "User")), null);
        return TenantBuilder.from(f).withOnlyUsers(users).withOnlyGrants(grants).withSubscribedSku(e5);
    }
}
