package dev.consentry.server.testing;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.KeyCredential;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RedirectUris;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.identity.key.Certificates;
import dev.consentry.testkit.TenantBuilder;
import dev.consentry.testkit.TestTenants;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant the server tests run against: "Fabrikam", with a daemon app (secret), a certificate app,
 * a custom API (v2 tokens, an app role) and the Microsoft Graph service principal, plus a second tenant
 * for cross-tenant cases. Everything is fixed so that tests can name it.
 */
public final class TestTenant {
    public static final TenantId TENANT = TenantId.of("5f0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f");
    public static final String DOMAIN = "fabrikam.onmicrosoft.com";
    public static final TenantId OTHER_TENANT = TenantId.of("6a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d");

    public static final AppId DAEMON = AppId.of("11111111-2222-4333-8444-555555555555");
    public static final ObjectId DAEMON_SP = ObjectId.of("11111111-2222-4333-8444-000000000001");
    public static final String DAEMON_SECRET = "daemon~secret.value_123";
    public static final String EXPIRED_SECRET = "old~secret.value_456";

    public static final AppId CERT_APP = AppId.of("22222222-3333-4444-8555-666666666666");
    public static final ObjectId CERT_APP_SP = ObjectId.of("22222222-3333-4444-8555-000000000001");

    public static final AppId API = AppId.of("33333333-4444-4555-8666-777777777777");
    public static final ObjectId API_SP = ObjectId.of("33333333-4444-4555-8666-000000000001");
    public static final UUID ORDERS_READ_ALL = UUID.fromString("33333333-0000-4000-8000-000000000001");
    /** The API's own secret: it exchanges user tokens on-behalf-of for Microsoft Graph. */
    public static final String API_SECRET = "api~secret.value_789";

    public static final AppId DISABLED_APP = AppId.of("44444444-5555-4666-8777-888888888888");
    public static final AppId FOREIGN_APP = AppId.of("55555555-6666-4777-8888-999999999999");

    public static final ObjectId GRAPH_SP = ObjectId.of("99999999-0000-4000-8000-000000000003");
    /** Microsoft Graph's service principal in the other tenant. */
    public static final ObjectId OTHER_GRAPH_SP = ObjectId.of("99999999-0000-4000-8000-000000000013");
    /** Microsoft Graph's application permission User.Read.All. */
    public static final UUID USER_READ_ALL = UUID.fromString("df021288-bdef-4463-88db-98f22de89214");

    /** A public client (mobile or desktop app) with User.Read consented for every user. */
    public static final AppId PUBLIC_APP = AppId.of("66666666-7777-4888-8999-aaaaaaaaaaaa");
    public static final ObjectId PUBLIC_APP_SP = ObjectId.of("66666666-7777-4888-8999-000000000001");
    /** The desktop app's loopback redirect URI: any port matches it (RFC 8252). */
    public static final String LOOPBACK_REDIRECT = "http://localhost";
    public static final String NATIVE_REDIRECT = "ms-appx-web://microsoft.aad.brokerplugin/fabrikam";
    public static final String SPA_REDIRECT = "https://spa.fabrikam.example/";
    /** A confidential web app, multi-tenant, whose grant covers Adele only. */
    public static final AppId WEB_APP = AppId.of("88888888-9999-4aaa-8bbb-cccccccccccc");
    public static final ObjectId WEB_APP_SP = ObjectId.of("88888888-9999-4aaa-8bbb-000000000001");
    public static final String WEB_SECRET = "web~secret.value_012";
    public static final String WEB_REDIRECT = "https://app.fabrikam.example:8443/signin-oidc";
    public static final String WEB_REDIRECT_WITH_QUERY = "https://app.fabrikam.example/cb?tenant=fabrikam";
    /** A multi-tenant app that also accepts personal Microsoft accounts, and one for personal accounts only. */
    public static final AppId PERSONAL_APP = AppId.of("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
    public static final ObjectId PERSONAL_APP_SP = ObjectId.of("aaaaaaaa-bbbb-4ccc-8ddd-000000000001");
    public static final AppId MSA_ONLY_APP = AppId.of("bbbbbbbb-cccc-4ddd-8eee-ffffffffffff");
    /** A personal Microsoft account (a user of the consumers tenant). */
    public static final ObjectId ALEX = ObjectId.of("77777777-8888-4999-8aaa-0000000000a1");
    public static final String ALEX_UPN = "alex@outlook.com";
    public static final ObjectId ADELE = ObjectId.of("77777777-8888-4999-8aaa-000000000001");
    public static final String ADELE_UPN = "adele@" + "fabrikam.onmicrosoft.com";
    public static final String ADELE_PASSWORD = "Adele-Passw0rd!";
    public static final ObjectId GONE = ObjectId.of("77777777-8888-4999-8aaa-000000000002");
    /** A user with no grant for the web app, and one who must change her password. */
    public static final ObjectId MEGAN = ObjectId.of("77777777-8888-4999-8aaa-000000000003");
    public static final String MEGAN_UPN = "megan@fabrikam.onmicrosoft.com";
    public static final ObjectId NEWHIRE = ObjectId.of("77777777-8888-4999-8aaa-000000000004");
    public static final String NEWHIRE_UPN = "newhire@fabrikam.onmicrosoft.com";
    /** A user of the other tenant. */
    public static final ObjectId OLGA = ObjectId.of("77777777-8888-4999-8aaa-000000000005");
    public static final String OLGA_UPN = "olga@other.onmicrosoft.com";
    public static final String GONE_UPN = "gone@fabrikam.onmicrosoft.com";
    public static final String GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";

    /** The certificate app's key pair and certificate (made once per test JVM). */
    public static final KeyPair CERT_KEYS = Certificates.rsaKeyPair(2048);
    public static final X509Certificate CERT = CertificateIssuer.selfSigned(CERT_KEYS, "fabrikam-cert-app",
            Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));

    /** A second certificate of the certificate app whose registration ended yesterday. */
    public static final KeyPair EXPIRED_CERT_KEYS = Certificates.rsaKeyPair(2048);
    public static final X509Certificate EXPIRED_CERT = CertificateIssuer.selfSigned(EXPIRED_CERT_KEYS, "fabrikam-old-cert",
            Instant.now().minus(Duration.ofDays(30)), Duration.ofDays(60));

    private static final SecretHasher FAST = new SecretHasher(1_000); // tests only: PBKDF2 cost is not under test here

    private TestTenant() {}

    public static List<TenantDirectory> tenants() {
        return List.of(fabrikam(), other(), consumers());
    }

    /**
     * The consumers tenant with one personal Microsoft account, the service principal of the app that accepts
     * personal accounts, and Alex's consent to it for Microsoft Graph's User.Read.
     */
    public static TenantDirectory consumers() {
        Instant now = Instant.now();
        ObjectId graph = ObjectId.of("99999999-0000-4000-8000-0000000000c0");
        ObjectId personalSp = ObjectId.of("aaaaaaaa-bbbb-4ccc-8ddd-0000000000c1");
        var alex = new dev.consentry.core.directory.User(ALEX, ALEX_UPN, "Alex Wilber", ALEX_UPN, "Member", true,
                new dev.consentry.core.directory.PasswordProfile(null, FAST.hash(ADELE_PASSWORD), false), now, null, null);
        List<ServicePrincipal> sps = List.of(
                new ServicePrincipal(personalSp, PERSONAL_APP, "Fabrikam Everyone", true, "Application", TENANT, false,
                        List.of(PERSONAL_APP.toString()), List.of(), List.of(), null),
                new ServicePrincipal(graph, WellKnown.GRAPH_APP_ID, "Microsoft Graph", true, "Application", null, false,
                        List.of(WellKnown.GRAPH_APP_ID.toString(), "https://graph.microsoft.com"), List.of(), List.of(), null));
        var grant = new dev.consentry.core.directory.OAuth2PermissionGrant("grant-alex-graph", personalSp, "Principal", ALEX,
                graph, "User.Read", now, null);
        TenantDirectory d = TestTenants.tenant(WellKnown.CONSUMERS_TENANT_ID, "Microsoft accounts (consumers)")
                .withUser(alex).withServicePrincipal(sps.get(0)).withServicePrincipal(sps.get(1))
                .withGrant(grant).build();
        return dev.consentry.core.tenantfile.TenantFile.normalise(d, FAST);
    }

    public static TenantDirectory fabrikam() {
        return fabrikam(List.of());
    }

    /** Fabrikam with more web redirect URIs on the web app (a test's own loopback listener, say). */
    public static TenantDirectory fabrikam(List<String> moreWebRedirects) {
        Instant now = Instant.now();
        List<String> webRedirects = new ArrayList<>(List.of(WEB_REDIRECT, WEB_REDIRECT_WITH_QUERY));
        webRedirects.addAll(moreWebRedirects);
        List<Application> apps = new ArrayList<>();
        List<ServicePrincipal> sps = new ArrayList<>();
        apps.add(app(DAEMON, "Fabrikam Daemon", List.of(
                secret(DAEMON_SECRET, null),
                secret(EXPIRED_SECRET, now.minus(Duration.ofDays(1)))), List.of(), ApiApplication.NONE, List.of(), List.of()));
        sps.add(sp(DAEMON_SP, DAEMON, "Fabrikam Daemon", true, List.of(), List.of(), List.of(DAEMON.toString())));
        KeyCredential cert = new KeyCredential(UUID.randomUUID(), "test cert", null, null, Certificates.toBase64Der(CERT),
                null, null, null, null);
        KeyCredential expired = new KeyCredential(UUID.randomUUID(), "old cert", null, null,
                Certificates.toBase64Der(EXPIRED_CERT), null, null, now.minus(Duration.ofDays(1)), null);
        apps.add(app(CERT_APP, "Fabrikam Cert App", List.of(), List.of(cert, expired), ApiApplication.NONE, List.of(), List.of()));
        sps.add(sp(CERT_APP_SP, CERT_APP, "Fabrikam Cert App", true, List.of(), List.of(), List.of(CERT_APP.toString())));
        AppRole orders = new AppRole(ORDERS_READ_ALL, "Orders.Read.All", "Read all orders", "Read all orders",
                List.of("Application"), true);
        PermissionScope access = new PermissionScope(UUID.fromString("33333333-0000-4000-8000-000000000002"),
                "access_as_user", "User", "Access the API", "Access the API", true);
        apps.add(app(API, "Fabrikam API", List.of(secret(API_SECRET, null)), List.of(), new ApiApplication(2, List.of(access)), List.of(orders),
                List.of("api://" + API)));
        sps.add(sp(API_SP, API, "Fabrikam API", true, List.of(orders), List.of(access), List.of(API.toString(), "api://" + API)));
        apps.add(app(DISABLED_APP, "Disabled App", List.of(secret("disabled~secret", null)), List.of(), ApiApplication.NONE,
                List.of(), List.of()));
        sps.add(sp(ObjectId.of("44444444-5555-4666-8777-000000000001"), DISABLED_APP, "Disabled App", false, List.of(),
                List.of(), List.of(DISABLED_APP.toString())));
        // The desktop app enables id tokens from the authorize endpoint (implicit and hybrid flows); the web app does not.
        RedirectUris idTokensEnabled = new RedirectUris(List.of(), null,
                Map.of("implicitGrantSettings", Map.of("enableIdTokenIssuance", true)));
        apps.add(new Application(ObjectId.random(), PUBLIC_APP, "Fabrikam Desktop", "AzureADMyOrg", List.of(), ApiApplication.NONE,
                List.of(), List.of(), List.of(), List.of(), idTokensEnabled, new RedirectUris(List.of(SPA_REDIRECT), null),
                new RedirectUris(List.of(LOOPBACK_REDIRECT, NATIVE_REDIRECT), null), true, null));
        apps.add(new Application(ObjectId.random(), WEB_APP, "Fabrikam Web", "AzureADMultipleOrgs", List.of(), ApiApplication.NONE,
                List.of(), List.of(secret(WEB_SECRET, null)), List.of(), List.of(),
                new RedirectUris(webRedirects, WEB_REDIRECT), null, null, null, null));
        sps.add(sp(WEB_APP_SP, WEB_APP, "Fabrikam Web", true, List.of(), List.of(), List.of(WEB_APP.toString())));
        apps.add(new Application(ObjectId.random(), PERSONAL_APP, "Fabrikam Everyone", "AzureADandPersonalMicrosoftAccount",
                List.of(), ApiApplication.NONE, List.of(), List.of(), List.of(), List.of(), null, null,
                new RedirectUris(List.of(LOOPBACK_REDIRECT), null), true, null));
        sps.add(sp(PERSONAL_APP_SP, PERSONAL_APP, "Fabrikam Everyone", true, List.of(), List.of(), List.of(PERSONAL_APP.toString())));
        apps.add(new Application(ObjectId.random(), MSA_ONLY_APP, "Fabrikam Home", "PersonalMicrosoftAccount",
                List.of(), ApiApplication.NONE, List.of(), List.of(), List.of(), List.of(), null, null,
                new RedirectUris(List.of(LOOPBACK_REDIRECT), null), true, null));
        sps.add(sp(PUBLIC_APP_SP, PUBLIC_APP, "Fabrikam Desktop", true, List.of(), List.of(), List.of(PUBLIC_APP.toString())));
        sps.add(sp(GRAPH_SP, WellKnown.GRAPH_APP_ID, "Microsoft Graph", true, List.of(), List.of(),
                List.of(WellKnown.GRAPH_APP_ID.toString(), "https://graph.microsoft.com", "https://graph.microsoft.com/")));
        List<AppRoleAssignment> assignments = List.of(
                new AppRoleAssignment(null, DAEMON_SP, "ServicePrincipal", GRAPH_SP, USER_READ_ALL, now, null),
                new AppRoleAssignment(null, DAEMON_SP, "ServicePrincipal", API_SP, ORDERS_READ_ALL, now, null),
                new AppRoleAssignment(null, CERT_APP_SP, "ServicePrincipal", GRAPH_SP, USER_READ_ALL, now, null));
        List<dev.consentry.core.directory.User> users = List.of(
                new dev.consentry.core.directory.User(ADELE, ADELE_UPN, "Adele Vance", ADELE_UPN, "Member", true,
                        new dev.consentry.core.directory.PasswordProfile(null, FAST.hash(ADELE_PASSWORD), false), now, null, null),
                new dev.consentry.core.directory.User(GONE, GONE_UPN, "Gone", null, "Member", false,
                        new dev.consentry.core.directory.PasswordProfile(null, FAST.hash(ADELE_PASSWORD), false), now, null, null),
                new dev.consentry.core.directory.User(MEGAN, MEGAN_UPN, "Megan Bowen", MEGAN_UPN, "Member", true,
                        new dev.consentry.core.directory.PasswordProfile(null, FAST.hash(ADELE_PASSWORD), false), now, null, null),
                new dev.consentry.core.directory.User(NEWHIRE, NEWHIRE_UPN, "New Hire", null, "Member", true,
                        new dev.consentry.core.directory.PasswordProfile(null, FAST.hash(ADELE_PASSWORD), true), now, null, null));
        List<dev.consentry.core.directory.OAuth2PermissionGrant> grants = List.of(
                new dev.consentry.core.directory.OAuth2PermissionGrant("grant-desktop-graph", PUBLIC_APP_SP, "AllPrincipals", null,
                        GRAPH_SP, "User.Read UserAuthenticationMethod.ReadWrite.All", now, null),
                new dev.consentry.core.directory.OAuth2PermissionGrant("grant-desktop-api", PUBLIC_APP_SP, "AllPrincipals", null,
                        API_SP, "access_as_user", now, null),
                new dev.consentry.core.directory.OAuth2PermissionGrant("grant-api-graph", API_SP, "AllPrincipals", null,
                        GRAPH_SP, "User.Read", now, null),
                new dev.consentry.core.directory.OAuth2PermissionGrant("grant-web-graph", WEB_APP_SP, "Principal", ADELE,
                        GRAPH_SP, "User.Read", now, null),
                new dev.consentry.core.directory.OAuth2PermissionGrant("grant-everyone-graph", PERSONAL_APP_SP, "AllPrincipals",
                        null, GRAPH_SP, "User.Read", now, null));
        List<dev.consentry.core.directory.RoleAssignment> roles = List.of(
                new dev.consentry.core.directory.RoleAssignment("role-adele", ADELE, GLOBAL_ADMIN, "/", null));
        TenantBuilder fabrikam = TestTenants.tenant(TENANT, "Fabrikam", DOMAIN).withUsers(users).withRoleAssignments(roles);
        apps.forEach(fabrikam::withApplication);
        sps.forEach(fabrikam::withServicePrincipal);
        assignments.forEach(fabrikam::withAppRoleAssignment);
        grants.forEach(fabrikam::withGrant);
        return fabrikam.build();
    }

    /** A second tenant that owns a single-tenant app, to try it against Fabrikam. */
    public static TenantDirectory other() {
        Application foreign = app(FOREIGN_APP, "Other Tenant App", List.of(secret("foreign~secret", null)), List.of(),
                ApiApplication.NONE, List.of(), List.of());
        ServicePrincipal sp = sp(ObjectId.of("55555555-6666-4777-8888-000000000001"), FOREIGN_APP, "Other Tenant App", true,
                List.of(), List.of(), List.of(FOREIGN_APP.toString()));
        var olga = new dev.consentry.core.directory.User(OLGA, OLGA_UPN, "Olga", null, "Member", true,
                new dev.consentry.core.directory.PasswordProfile(null, FAST.hash(ADELE_PASSWORD), false), Instant.now(), null, null);
        ServicePrincipal graph = sp(OTHER_GRAPH_SP, WellKnown.GRAPH_APP_ID, "Microsoft Graph", true, List.of(), List.of(),
                List.of(WellKnown.GRAPH_APP_ID.toString(), "https://graph.microsoft.com", "https://graph.microsoft.com/"));
        return TestTenants.tenant(OTHER_TENANT, "Other", "other.onmicrosoft.com").withUser(olga).withApplication(foreign)
                .withServicePrincipal(sp).withServicePrincipal(graph).build();
    }

    private static PasswordCredential secret(String text, Instant end) {
        return new PasswordCredential(UUID.randomUUID(), "test", SecretHasher.hintOf(text), null, FAST.hash(text), null, end,
                null);
    }

    private static Application app(AppId appId, String name, List<PasswordCredential> secrets, List<KeyCredential> certs,
                                   ApiApplication api, List<AppRole> roles, List<String> identifierUris) {
        return new Application(ObjectId.random(), appId, name, "AzureADMyOrg", identifierUris, api, roles, secrets, certs,
                List.of(), null, null, null, null, null);
    }

    private static ServicePrincipal sp(ObjectId id, AppId appId, String name, boolean enabled, List<AppRole> roles,
                                       List<PermissionScope> scopes, List<String> names) {
        return new ServicePrincipal(id, appId, name, enabled, "Application", TENANT, false, names, roles, scopes, null);
    }
}
