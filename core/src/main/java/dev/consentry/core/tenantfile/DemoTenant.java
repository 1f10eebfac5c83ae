package dev.consentry.core.tenantfile;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.PasswordProfile;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RedirectUris;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.SecretHasher;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The tenant a fresh data dir gets when no tenant file is given: "Contoso (demo)" with a few users, a
 * daemon app, a web app, a SPA, a desktop (public) app and an API, with fixed ids (so docs can name them) and generated secrets
 * and passwords, returned once in clear for {@code serve} to print.
 */
public record DemoTenant(TenantDirectory directory, List<Credential> credentials) {
    public static final TenantId TENANT = TenantId.of("c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b");
    public static final AppId DAEMON = AppId.of("d0a1b2c3-0001-4f60-8a7b-9c0d1e2f3a4b");
    public static final AppId WEB_APP = AppId.of("d0a1b2c3-0002-4f60-8a7b-9c0d1e2f3a4b");
    public static final AppId SPA = AppId.of("d0a1b2c3-0003-4f60-8a7b-9c0d1e2f3a4b");
    public static final AppId API = AppId.of("d0a1b2c3-0004-4f60-8a7b-9c0d1e2f3a4b");
    /** A public client (desktop, CLI): loopback redirect on any port, device code, no secret. */
    public static final AppId DESKTOP = AppId.of("d0a1b2c3-0005-4f60-8a7b-9c0d1e2f3a4b");
    static final UUID E3 = UUID.fromString("6fd2c87f-b296-42f0-b197-1e91e994b900");
    static final UUID EXCHANGE_ENTERPRISE = UUID.fromString("efb87545-963c-4e0d-99df-69c6916d9eb0");
    static final UUID SHAREPOINT_ENTERPRISE = UUID.fromString("5dbe027f-2339-4123-9542-606e4d348a72");
    static final UUID USER_READ_ALL = UUID.fromString("df021288-bdef-4463-88db-98f22de89214");
    static final UUID USER_READ = UUID.fromString("e1fe6dd8-ba31-4d61-89e7-88639da4683d");
    static final UUID ORDERS_READ_ALL = UUID.fromString("d0a1b2c3-00a1-4f60-8a7b-9c0d1e2f3a4b");
    static final UUID ACCESS_AS_USER = UUID.fromString("d0a1b2c3-00a2-4f60-8a7b-9c0d1e2f3a4b");
    static final String GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";

    /** A credential to print: {@code kind} "app" (id = client id) or "user" (id = UPN). */
    public record Credential(String kind, String name, String id, String secret) {}

    /**
     * Makes the demo tenant. Secrets come from {@code random}; they are random and long, so the hasher
     * may use a low cost without weakening them.
     */
    public static DemoTenant create(Instant now, Random random, SecretHasher hasher) {
        String daemonSecret = secret(random);
        String webSecret = secret(random);
        String adminPassword = password(random);
        String userPassword = password(random);
        ObjectId admin = ObjectId.of("e0a1b2c3-0001-4f60-8a7b-9c0d1e2f3a4b");
        ObjectId adele = ObjectId.of("e0a1b2c3-0002-4f60-8a7b-9c0d1e2f3a4b");
        ObjectId disabled = ObjectId.of("e0a1b2c3-0003-4f60-8a7b-9c0d1e2f3a4b");
        String domain = "contoso.onmicrosoft.com";
        List<User> users = List.of(
                new User(admin, "admin@" + domain, "Megan Bowen (admin)", "admin@" + domain, "Member", true,
                        new PasswordProfile(adminPassword, null, false), now, List.of(), null),
                new User(adele, "adele@" + domain, "Adele Vance", "adele@" + domain, "Member", true,
                        new PasswordProfile(userPassword, null, false), now, List.of(new AssignedLicense(E3, List.of())),
                        adelesMailAndFiles(domain)),
                new User(disabled, "leavers@" + domain, "Former Employee", null, "Member", false,
                        new PasswordProfile(password(random), null, false), now, List.of(), null));
        AppRole orders = new AppRole(ORDERS_READ_ALL, "Orders.Read.All", "Read all orders", "Read every order.",
                List.of("Application"), true);
        PermissionScope accessAsUser = new PermissionScope(ACCESS_AS_USER, "access_as_user", "User",
                "Access Contoso API", "Access Contoso API", true);
        List<Application> apps = List.of(
                app("f0a1b2c3-0001-4f60-8a7b-9c0d1e2f3a4b", DAEMON, "Contoso Daemon", List.of(secret(daemonSecret, now)),
                        ApiApplication.NONE, List.of(), List.of(), null, null,
                        List.of(new RequiredResourceAccess(WellKnown.GRAPH_APP_ID.toString(),
                                List.of(new RequiredResourceAccess.ResourceAccess(USER_READ_ALL, "Role"))))),
                app("f0a1b2c3-0002-4f60-8a7b-9c0d1e2f3a4b", WEB_APP, "Contoso Web", List.of(secret(webSecret, now)),
                        ApiApplication.NONE, List.of(), List.of(), new RedirectUris(List.of("https://localhost:5001/signin-oidc"), null),
                        null, List.of(new RequiredResourceAccess(WellKnown.GRAPH_APP_ID.toString(),
                                List.of(new RequiredResourceAccess.ResourceAccess(USER_READ, "Scope"))))),
                app("f0a1b2c3-0003-4f60-8a7b-9c0d1e2f3a4b", SPA, "Contoso SPA", List.of(), ApiApplication.NONE, List.of(),
                        List.of(), null, new RedirectUris(List.of("http://localhost:3000"), null), List.of()),
                app("f0a1b2c3-0004-4f60-8a7b-9c0d1e2f3a4b", API, "Contoso API", List.of(),
                        new ApiApplication(2, List.of(accessAsUser)), List.of(orders), List.of("api://" + API), null, null, List.of()),
                new Application(ObjectId.of("f0a1b2c3-0005-4f60-8a7b-9c0d1e2f3a4b"), DESKTOP, "Contoso Desktop", "AzureADMyOrg",
                        List.of(), ApiApplication.NONE, List.of(), List.of(), List.of(),
                        List.of(new RequiredResourceAccess(WellKnown.GRAPH_APP_ID.toString(),
                                List.of(new RequiredResourceAccess.ResourceAccess(USER_READ, "Scope")))),
                        null, null, new RedirectUris(List.of("http://localhost"), null), true, null));
        // Assignments and grants name resources and clients by app id; reading resolves them to service principals.
        List<AppRoleAssignment> assignments = List.of(
                new AppRoleAssignment("a0a1b2c3-0001-4f60-8a7b-9c0d1e2f3a4b", new ObjectId(DAEMON.value()), "ServicePrincipal",
                        new ObjectId(WellKnown.GRAPH_APP_ID.value()), USER_READ_ALL, now, null),
                new AppRoleAssignment("a0a1b2c3-0002-4f60-8a7b-9c0d1e2f3a4b", new ObjectId(DAEMON.value()), "ServicePrincipal",
                        new ObjectId(API.value()), ORDERS_READ_ALL, now, null));
        List<OAuth2PermissionGrant> grants = List.of(new OAuth2PermissionGrant("b0a1b2c3-0001-4f60-8a7b-9c0d1e2f3a4b",
                new ObjectId(WEB_APP.value()), "AllPrincipals", null, new ObjectId(WellKnown.GRAPH_APP_ID.value()),
                "User.Read openid profile offline_access", now, null),
                new OAuth2PermissionGrant("b0a1b2c3-0002-4f60-8a7b-9c0d1e2f3a4b",
                new ObjectId(DESKTOP.value()), "AllPrincipals", null, new ObjectId(WellKnown.GRAPH_APP_ID.value()),
                "User.Read openid profile offline_access", now, null));
        SubscribedSku e3 = new SubscribedSku("c0a1b2c3-0001-4f60-8a7b-9c0d1e2f3a4b", E3, "ENTERPRISEPACK", List.of(
                new SubscribedSku.ServicePlan(EXCHANGE_ENTERPRISE, "EXCHANGE_S_ENTERPRISE", "Success", "User"),
                new SubscribedSku.ServicePlan(SHAREPOINT_ENTERPRISE, "SHAREPOINTENTERPRISE", "Success", "User")), null);
        TenantDirectory raw = new TenantDirectory(TENANT, "Contoso (demo)",
                List.of(new VerifiedDomain(domain, true, true, "Managed"), VerifiedDomain.named("contoso.com")),
                users, List.of(), apps, List.of(), assignments, grants,
                List.of(new RoleAssignment("r0a1b2c3-0001-4f60-8a7b-9c0d1e2f3a4b", admin, GLOBAL_ADMIN, "/", null)),
                List.of(e3), List.of(), null, null, null, null, null, null, null, null, null);
        TenantDirectory directory = TenantRules.validateAndNormalise("demo tenant", List.of(raw), hasher).get(0);
        return new DemoTenant(directory, List.of(
                new Credential("app", "Contoso Daemon", DAEMON.toString(), daemonSecret),
                new Credential("app", "Contoso Web", WEB_APP.toString(), webSecret),
                new Credential("user", "Megan Bowen (admin)", "admin@" + domain, adminPassword),
                new Credential("user", "Adele Vance", "adele@" + domain, userPassword)));
    }

    private static Application app(String objectId, AppId appId, String name, List<PasswordCredential> secrets,
                                   ApiApplication api, List<AppRole> roles, List<String> identifierUris, RedirectUris web,
                                   RedirectUris spa, List<RequiredResourceAccess> required) {
        return new Application(ObjectId.of(objectId), appId, name, "AzureADMyOrg", identifierUris, api, roles, secrets,
                List.of(), required, web, spa, null, null, null);
    }

    private static PasswordCredential secret(String text, Instant now) {
        return new PasswordCredential(UUID.nameUUIDFromBytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "demo secret", null, text, null, now, now.plus(java.time.Duration.ofDays(730)), null);
    }

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** An Entra-looking client secret: 40 characters with the "8Q~" marker after the hint. */
    static String secret(Random random) {
        return chars(random, 3) + "8Q~" + chars(random, 34);
    }

    static String password(Random random) {
        return "Demo-" + chars(random, 10) + "!";
    }

    private static String chars(Random random, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** A small mailbox, calendar and drive for Adele (licensed for Exchange and SharePoint), as a tenant file gives them. */
    private static java.util.Map<String, Object> adelesMailAndFiles(String domain) {
        return java.util.Map.of(
                "messages", List.of(
                        java.util.Map.of("id", "demo-welcome", "subject", "Welcome to Contoso", "parentFolderId", "inbox",
                                "receivedDateTime", "2026-11-02T08:30:00Z", "isRead", true,
                                "body", java.util.Map.of("contentType", "text", "content", "Your account is ready."),
                                "from", java.util.Map.of("emailAddress", java.util.Map.of("name", "Megan Bowen (admin)",
                                        "address", "admin@" + domain))),
                        java.util.Map.of("id", "demo-review", "subject", "Design review on Thursday", "parentFolderId", "inbox",
                                "receivedDateTime", "2026-11-20T14:05:00Z", "isRead", false,
                                "body", java.util.Map.of("contentType", "text", "content", "Can you present the new layout?"),
                                "from", java.util.Map.of("emailAddress", java.util.Map.of("name", "Megan Bowen (admin)",
                                        "address", "admin@" + domain)))),
                "events", List.of(java.util.Map.of("id", "demo-standup", "subject", "Team stand-up",
                        "start", java.util.Map.of("dateTime", "2026-12-01T09:00:00", "timeZone", "UTC"),
                        "end", java.util.Map.of("dateTime", "2026-12-01T09:15:00", "timeZone", "UTC"))),
                "driveItems", List.of(java.util.Map.of("id", "demo-plan", "name", "Launch plan.docx", "size", 24_576,
                        "file", java.util.Map.of("mimeType",
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))));
    }
}
