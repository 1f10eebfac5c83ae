package dev.consentry.testkit;

import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.PasswordProfile;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.SecretHasher;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Fixture tenants as builders, in the manner of Spring Authorization Server's {@code TestRegisteredClients}: a
 * test starts from {@link #contoso()} or {@link #fabrikam()} (an id, a name and one domain, nothing else) and adds
 * exactly the objects it is about, made with the small factories below:
 *
 * <pre>{@code
 * TenantDirectory d = TestTenants.fabrikam()
 *         .withUser(TestTenants.user(ADELE, "adele@fabrikam.onmicrosoft.com", "Passw0rd!"))
 *         .withApplication(TestTenants.confidentialApp(DAEMON, "Daemon", TestTenants.secret("s3cret")))
 *         .withServicePrincipal(TestTenants.servicePrincipal(DAEMON_SP, DAEMON, "Daemon"))
 *         .build();
 * }</pre>
 *
 * <p>Secrets and passwords are hashed with {@link #FAST_HASHER}: a low PBKDF2 cost, for tests only.
 */
public final class TestTenants {
    public static final TenantId CONTOSO = TenantId.of("aaaaaaaa-0000-4000-8000-000000000001");
    public static final String CONTOSO_DOMAIN = "contoso.onmicrosoft.com";
    /** The tenant id the graph and server tests have always used for Fabrikam. */
    public static final TenantId FABRIKAM = TenantId.of("5f0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f");
    public static final String FABRIKAM_DOMAIN = "fabrikam.onmicrosoft.com";
    /** The directory role template of Global Administrator. */
    public static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
    /** PBKDF2 at 1,000 iterations: hashing cost is not what the tests are about. */
    public static final SecretHasher FAST_HASHER = new SecretHasher(1_000);

    private TestTenants() {}

    /** Contoso: its id, its name and {@value #CONTOSO_DOMAIN}. */
    public static TenantBuilder contoso() {
        return tenant(CONTOSO, "Contoso", CONTOSO_DOMAIN);
    }

    /** Fabrikam: its id, its name and {@value #FABRIKAM_DOMAIN}. */
    public static TenantBuilder fabrikam() {
        return tenant(FABRIKAM, "Fabrikam", FABRIKAM_DOMAIN);
    }

    /** Any other tenant, with these verified domains (the first is the default one; none is allowed). */
    public static TenantBuilder tenant(TenantId id, String displayName, String... domains) {
        return new TenantBuilder(id, displayName).withOnlyDomains(domains);
    }

    /** An enabled member without a password, named after the part of {@code upn} before the {@code @}. */
    public static User user(ObjectId id, String upn) {
        return new User(id, upn, upn.substring(0, Math.max(0, upn.indexOf('@'))), null, "Member", true, null, null, List.of(),
                null);
    }

    /** An enabled member who signs in with {@code password}. */
    public static User user(ObjectId id, String upn, String password) {
        return withPassword(user(id, upn), password, false);
    }

    /** {@code user} with {@code password}, which must be changed at the next sign-in when {@code mustChange}. */
    public static User withPassword(User user, String password, boolean mustChange) {
        return new User(user.id(), user.userPrincipalName(), user.displayName(), user.mail(), user.userType(),
                user.accountEnabled(), new PasswordProfile(null, FAST_HASHER.hash(password), mustChange), Instant.EPOCH,
                user.assignedLicenses(), user.additionalProperties());
    }

    /** {@code user} with {@code accountEnabled=false}. */
    public static User disabled(User user) {
        return new User(user.id(), user.userPrincipalName(), user.displayName(), user.mail(), user.userType(), false,
                user.passwordProfile(), user.lastPasswordChangeDateTime(), user.assignedLicenses(), user.additionalProperties());
    }

    /** A client secret that never expires. */
    public static PasswordCredential secret(String text) {
        return secret(text, null);
    }

    /** A client secret that expires at {@code end} (null: never). */
    public static PasswordCredential secret(String text, Instant end) {
        return new PasswordCredential(UUID.randomUUID(), "test", SecretHasher.hintOf(text), null, FAST_HASHER.hash(text), null,
                end, null);
    }

    /** A single-tenant app with no credential and no redirect URI. */
    public static Application app(AppId appId, String name) {
        return new Application(ObjectId.random(), appId, name, "AzureADMyOrg", List.of(), ApiApplication.NONE, List.of(),
                List.of(), List.of(), List.of(), null, null, null, null, null);
    }

    /** A single-tenant confidential app with these secrets. */
    public static Application confidentialApp(AppId appId, String name, PasswordCredential... secrets) {
        Application a = app(appId, name);
        return a.withCredentials(List.of(secrets), a.keyCredentials());
    }

    /** An enabled service principal of {@code appId} whose names are the app id and {@code moreNames}. */
    public static ServicePrincipal servicePrincipal(ObjectId id, AppId appId, String name, String... moreNames) {
        return servicePrincipal(id, appId, name, List.of(), List.of(), moreNames);
    }

    /** An enabled service principal that exposes app roles and delegated permissions (a resource). */
    public static ServicePrincipal servicePrincipal(ObjectId id, AppId appId, String name, List<AppRole> appRoles,
                                                    List<PermissionScope> scopes, String... moreNames) {
        List<String> names = new java.util.ArrayList<>();
        names.add(appId.toString());
        names.addAll(List.of(moreNames));
        return new ServicePrincipal(id, appId, name, true, "Application", null, false, names, appRoles, scopes, null);
    }

    /** An application role allowed to applications. */
    public static AppRole appRole(UUID id, String value) {
        return new AppRole(id, value, value, value, List.of("Application"), true);
    }

    /** A delegated permission users may consent to. */
    public static PermissionScope scope(UUID id, String value) {
        return new PermissionScope(id, value, "User", value, value, true);
    }

    /** An application permission: {@code role} of {@code resource} held by the service principal {@code client}. */
    public static AppRoleAssignment appRoleAssignment(ObjectId client, ObjectId resource, UUID role) {
        return new AppRoleAssignment(null, client, "ServicePrincipal", resource, role, Instant.EPOCH, null);
    }

    /** Admin consent: {@code client} may use {@code scope} of {@code resource} for every user. */
    public static OAuth2PermissionGrant grantForAllUsers(ObjectId client, ObjectId resource, String scope) {
        return new OAuth2PermissionGrant(null, client, "AllPrincipals", null, resource, scope, Instant.EPOCH, null);
    }

    /** One user's consent: {@code client} may use {@code scope} of {@code resource} for {@code user} only. */
    public static OAuth2PermissionGrant grantForUser(ObjectId client, ObjectId user, ObjectId resource, String scope) {
        return new OAuth2PermissionGrant(null, client, "Principal", user, resource, scope, Instant.EPOCH, null);
    }

    /** A directory role ({@code roleTemplateId}) held tenant-wide by {@code principal}. */
    public static RoleAssignment roleAssignment(ObjectId principal, String roleTemplateId) {
        return new RoleAssignment(null, principal, roleTemplateId, "/", null);
    }
}
