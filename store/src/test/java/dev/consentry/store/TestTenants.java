package dev.consentry.store;

import dev.consentry.core.directory.AdminConsentRequestPolicy;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppConsentRequest;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.AuthenticationContextClassReference;
import dev.consentry.core.directory.AuthorizationPolicy;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Device;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.NamedLocation;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.PasswordProfile;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.directory.User;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Fixture tenants for the store contract: every kind of object, unknown properties included. */
public final class TestTenants {
    public static final TenantId CONTOSO = TenantId.of("aaaaaaaa-0000-4000-8000-000000000001");
    public static final TenantId FABRIKAM = TenantId.of("bbbbbbbb-0000-4000-8000-000000000001");
    public static final ObjectId ADELE = ObjectId.of("aaaaaaaa-0000-4000-8000-0000000000a1");
    public static final ObjectId ALEX = ObjectId.of("aaaaaaaa-0000-4000-8000-0000000000a2");
    public static final ObjectId GROUP = ObjectId.of("aaaaaaaa-0000-4000-8000-0000000000b1");
    public static final ObjectId APP = ObjectId.of("aaaaaaaa-0000-4000-8000-0000000000c1");
    public static final AppId APP_ID = AppId.of("aaaaaaaa-0000-4000-8000-0000000000c2");
    public static final ObjectId APP_SP = ObjectId.of("aaaaaaaa-0000-4000-8000-0000000000c3");
    public static final ObjectId API_SP = ObjectId.of("aaaaaaaa-0000-4000-8000-0000000000d1");
    public static final AppId API_ID = AppId.of("aaaaaaaa-0000-4000-8000-0000000000d2");
    public static final UUID ROLE = UUID.fromString("aaaaaaaa-0000-4000-8000-0000000000e1");
    public static final UUID SKU = UUID.fromString("6fd2c87f-b296-42f0-b197-1e91e994b900");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private TestTenants() {}

    public static TenantDirectory contoso() {
        AppRole role = new AppRole(ROLE, "Orders.Read.All", "Read orders", null, List.of("Application"), true);
        return new TenantDirectory(CONTOSO, "Contoso",
                List.of(new VerifiedDomain("contoso.onmicrosoft.com", true, true, "Managed"), VerifiedDomain.named("Contoso.com")),
                List.of(new User(ADELE, "Adele@contoso.com", "Adele Vance", "adele@contoso.com", "Member", true,
                                new PasswordProfile(null, "pbkdf2-sha256$1$AA$AA", false), T0,
                                List.of(new AssignedLicense(SKU, List.of())), Map.of("jobTitle", "Lawyer")),
                        new User(ALEX, "alex@contoso.com", "Alex", null, null, false, null, null, null, null)),
                List.of(new Group(GROUP, "Sales", true, false, List.of(), List.of(ADELE, ALEX), Map.of("mail", "sales@contoso.com"))),
                List.of(new Application(APP, APP_ID, "Daemon", "AzureADMyOrg", List.of(), ApiApplication.NONE, List.of(),
                        List.of(new PasswordCredential(UUID.fromString("aaaaaaaa-0000-4000-8000-0000000000f1"), "s", "abc", null,
                                "pbkdf2-sha256$1$AA$AA", T0, T0.plusSeconds(86400), null)),
                        List.of(), List.of(), null, null, null, null, Map.of("tags", List.of("x")))),
                List.of(new ServicePrincipal(APP_SP, APP_ID, "Daemon", true, "Application", CONTOSO, false,
                                List.of(APP_ID.toString()), List.of(), List.of(), null),
                        new ServicePrincipal(API_SP, API_ID, "Orders API", true, "Application", CONTOSO, false,
                                List.of(API_ID.toString(), "api://orders/", "https://orders.contoso.com"), List.of(role), List.of(), null)),
                List.of(new AppRoleAssignment("assignment-1", APP_SP, "ServicePrincipal", API_SP, ROLE, T0, null)),
                List.of(new OAuth2PermissionGrant("grant-1", APP_SP, "AllPrincipals", null, API_SP, "access_as_user", T0, null)),
                List.of(new RoleAssignment("role-1", ADELE, "62e90394-69f5-4237-9190-012177145e10", "/", null)),
                List.of(new SubscribedSku("sku-1", SKU, "ENTERPRISEPACK", List.of(new SubscribedSku.ServicePlan(
                        UUID.fromString("efb87545-963c-4e0d-99df-69c6916d9eb0"), "EXCHANGE_S_ENTERPRISE", "Success", "User")), null)),
                List.of(new ConditionalAccessPolicy("policy-1", "Require MFA", "enabled",
                        Map.of("users", Map.of("includeUsers", List.of("All"))), Map.of("builtInControls", List.of("mfa")), Map.of(), null)),
                List.of(new AppConsentRequest("request-1", APP_ID.toString(), "Contoso App", List.of(
                        new AppConsentRequest.Scope("User.Read.All")), List.of(new AppConsentRequest.UserConsentRequest("u-1",
                        "InProgress", "for the weekly report", T0, null, new AppConsentRequest.IdentitySet(
                                new AppConsentRequest.Identity(ADELE.toString(), "Adele")), null, null)), null)),
                List.of(new SoftwareOathMethod("oath-1", ADELE, "JBSWY3DPEHPK3PXP", T0)),
                List.of(new NamedLocation("loc-1", null, "Office", true, List.of(new NamedLocation.IpRange(
                        "#microsoft.graph.iPv4CidrRange", "203.0.113.0/24")), null)),
                List.of(new Device(ObjectId.of("d0d0d0d0-0000-4000-8000-000000000001"), "d1d1d1d1-0000-4000-8000-000000000001",
                        "Adele's laptop", "Windows", true, true, true, "AzureAd", T0, ADELE, null)),
                List.of(new AuthenticationContextClassReference("c1", "Sensitive actions", "Step-up", true)),
                new AuthorizationPolicy(new AuthorizationPolicy.DefaultUserRolePermissions(List.of(), Map.of("allowedToCreateApps", false)),
                        Map.of("guestUserRoleId", "10dae51f-b6af-4016-8d66-8c2a99b929b3")),
                new AdminConsentRequestPolicy(true, true, false, 14, List.of(new AdminConsentRequestPolicy.Reviewer(
                        "/users/" + ADELE, "MicrosoftGraph", null)), 2, null),
                new TenantSettings(null, Map.of("custom", 1)), Map.of("note", "kept"));
    }

    /** A second tenant that reuses Contoso's object ids, to prove tenants are isolated. */
    public static TenantDirectory fabrikamWithSameIds() {
        return new TenantDirectory(FABRIKAM, "Fabrikam", List.of(VerifiedDomain.named("fabrikam.com")),
                List.of(new User(ADELE, "adele@fabrikam.com", "Other Adele", null, null, null, null, null, null, null)),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null, null,
                null);
    }
}
