package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.OnBehalfOfParameters;
import com.microsoft.aad.msal4j.UserAssertion;
import com.microsoft.graph.models.ReferenceCreate;
import com.microsoft.graph.models.SubscribedSku;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.authentication.methods.item.resetpassword.ResetPasswordPostRequestBody;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.RedirectUris;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.permission.DirectoryRoleCatalogue;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.Scheme;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The route, permission and user-rights causes of Microsoft Graph, each driven through MSAL4J and the Graph Java SDK:
 * the refusal, its diagnosis, the fix the diagnosis names applied as it names it (the permission granted, the owner
 * added, the role assigned, the licence assigned, the other token type used), and the same SDK call allowed.
 */
class GraphRightsCausesTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    private static final GraphPermissionCatalogue CATALOGUE = GraphPermissionCatalogue.builtin();
    private static final SecretHasher FAST = new SecretHasher(1_000);
    private static final String GRAPH = "https://graph.microsoft.com/";
    private static final String PASSWORD_METHOD = "28c10230-6103-485e-b985-444c60001490";
    private static final String SECRET = "rights~secret.value_678";
    /** A public client whose registration requests User.ReadBasic.All, consented for User.Read only. */
    private static final AppId REPORTS = AppId.of("dddddddd-eeee-4fff-8000-000000000001");
    private static final ObjectId REPORTS_SP = ObjectId.of("dddddddd-eeee-4fff-8000-0000000000a1");
    /** An administration app holding Application.ReadWrite.All and Directory.Read.All. */
    private static final AppId APP_ADMIN = AppId.of("dddddddd-eeee-4fff-8000-000000000002");
    private static final ObjectId APP_ADMIN_SP = ObjectId.of("dddddddd-eeee-4fff-8000-0000000000a2");
    /** An app holding only Application.ReadWrite.OwnedBy. */
    private static final AppId OWNED_BY = AppId.of("dddddddd-eeee-4fff-8000-000000000003");
    private static final ObjectId OWNED_BY_SP = ObjectId.of("dddddddd-eeee-4fff-8000-0000000000a3");

    @BeforeEach
    void freshTenants() {
        Diagnosed.reset(server);
    }

    // ---- clients and set-up ------------------------------------------------------------------------------------------

    private static Store store() {
        return server.consentry().store();
    }

    private static GraphServiceClient graph(String token) {
        return GraphSdk.client(server, () -> token);
    }

    private static String daemonToken() {
        return server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    private static String user(AppId app, String upn, String... scopes) {
        return server.userToken(TestTenant.TENANT.toString(), app.toString(), upn, TestTenant.ADELE_PASSWORD, Set.of(scopes));
    }

    /** The grant an administrator gives, through the administration {@code consentry grant} uses. */
    private static Administration.GrantResult grant(AppId app, String permission, String type) {
        try (Administration admin = StoreAdministration.onStore(store(), server.consentry().clock())) {
            return admin.grant(new Administration.GrantRequest(TestTenant.TENANT.toString(), app.toString(), null, permission,
                    type));
        }
    }

    /** An app registration with a secret ({@link #SECRET}), its service principal, and the Graph roles named. */
    private static void registerDaemon(AppId appId, ObjectId spId, String name, String... roles) {
        store().applications().save(TestTenant.TENANT, new Application(ObjectId.random(), appId, name, "AzureADMyOrg", List.of(),
                ApiApplication.NONE, List.of(), List.of(new PasswordCredential(UUID.randomUUID(), "secret", "rig", null,
                        FAST.hash(SECRET), null, null, null)), List.of(), List.of(), null, null, null, null, null));
        store().servicePrincipals().save(TestTenant.TENANT, sp(spId, appId, name));
        for (String role : roles) {
            UUID id = CATALOGUE.permission(role).flatMap(p -> p.in(Scheme.APPLICATION)).orElseThrow().id();
            store().appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, spId, "ServicePrincipal",
                    TestTenant.GRAPH_SP, id, Instant.now(), null));
        }
    }

    private static ServicePrincipal sp(ObjectId id, AppId appId, String name) {
        return new ServicePrincipal(id, appId, name, true, "Application", TestTenant.TENANT, false, List.of(appId.toString()),
                List.of(), List.of(), null);
    }

    /** The reports app: it requests User.Read and User.ReadBasic.All; only User.Read is consented. */
    private static void registerReports() {
        UUID userRead = CATALOGUE.permission("User.Read").flatMap(p -> p.in(Scheme.DELEGATED_WORK)).orElseThrow().id();
        UUID readBasicAll = CATALOGUE.permission("User.ReadBasic.All").flatMap(p -> p.in(Scheme.DELEGATED_WORK)).orElseThrow().id();
        store().applications().save(TestTenant.TENANT, new Application(ObjectId.random(), REPORTS, "Fabrikam Reports",
                "AzureADMyOrg", List.of(), ApiApplication.NONE, List.of(), List.of(), List.of(),
                List.of(new RequiredResourceAccess(WellKnown.GRAPH_APP_ID.toString(), List.of(
                        new RequiredResourceAccess.ResourceAccess(userRead, "Scope"),
                        new RequiredResourceAccess.ResourceAccess(readBasicAll, "Scope")))),
                null, null, new RedirectUris(List.of(TestTenant.LOOPBACK_REDIRECT), null), true, null));
        store().servicePrincipals().save(TestTenant.TENANT, sp(REPORTS_SP, REPORTS, "Fabrikam Reports"));
        store().permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant("grant-reports-graph", REPORTS_SP,
                "AllPrincipals", null, TestTenant.GRAPH_SP, "User.Read", Instant.now(), null));
    }

    private static void resetNewHiresPassword(GraphServiceClient client) {
        ResetPasswordPostRequestBody body = new ResetPasswordPostRequestBody();
        body.setNewPassword("Fresh-Passw0rd!");
        client.users().byUserId(TestTenant.NEWHIRE.toString()).authentication().methods()
                .byAuthenticationMethodId(PASSWORD_METHOD).resetPassword().post(body);
    }

    private static String newHiresPasswordHash() {
        return store().users().find(TestTenant.TENANT, TestTenant.NEWHIRE).orElseThrow().passwordProfile().toString();
    }

    // ---- the route and the token type ----------------------------------------------------------------------------------

    @Test
    @Drives(Cause.UNKNOWN_PATH)
    void aMistypedPathIsNamedAndThePathOfTheGraphReferenceIsAnswered() {
        GraphServiceClient adele = graph(user(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "User.Read"));
        ODataError refused = GraphSdk.refused(() -> adele.me().withUrl(server.baseUrl() + "/v1.0/mee").get(), 400, "BadRequest");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.UNKNOWN_PATH);
        assertThat(d.facts()).containsEntry("segment", "mee").containsEntry("path", "/v1.0/mee");
        assertThat(refused.getError().getMessage()).isEqualTo("Resource not found for the segment 'mee'.");

        // The Graph reference's path for the signed-in user, /me.
        assertThat(adele.me().get().getUserPrincipalName()).isEqualTo(TestTenant.ADELE_UPN);
    }

    @Test
    @Drives(Cause.DELEGATED_ONLY_API)
    void anAppOnlyTokenOnMeIsABadRequestAndASignedInUsersTokenIsAnswered() {
        ODataError refused = GraphSdk.refused(() -> graph(daemonToken()).me().get(), 400, "BadRequest");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.DELEGATED_ONLY_API);
        assertThat(d.facts()).containsEntry("method", "GET").containsEntry("route", "/me");
        assertThat(d.fix()).contains("use a delegated token");

        assertThat(graph(user(TestTenant.PUBLIC_APP, TestTenant.MEGAN_UPN, "User.Read")).me().get().getUserPrincipalName())
                .isEqualTo(TestTenant.MEGAN_UPN);
    }

    @Test
    @Drives(Cause.NO_APPLICATION_PERMISSION)
    void anAppCanNeverResetAPasswordAndTheDelegatedPermissionTheFixNamesDoesForAnAdministrator() {
        String before = newHiresPasswordHash();
        ODataError refused = GraphSdk.refused(() -> resetNewHiresPassword(graph(daemonToken())), 403,
                "Authorization_RequestDenied");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.NO_APPLICATION_PERMISSION);
        String delegated = d.facts().get("delegated");
        assertThat(delegated).isNotBlank();
        assertThat(newHiresPasswordHash()).isEqualTo(before);

        // Adele, a Global Administrator, signs in through the desktop app with the first delegated permission named.
        String scope = delegated.split(",\\s*")[0];
        resetNewHiresPassword(graph(user(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, scope)));
        assertThat(newHiresPasswordHash()).as("the password was reset").isNotEqualTo(before);
    }

    @Test
    @Drives(Cause.NO_DELEGATED_PERMISSION)
    void aDelegatedTokenOnAnApplicationOnlyApiIsRefusedAndTheClientCredentialsFlowWithTheNamedPermissionIsAllowed() {
        GraphServiceClient adele = graph(user(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "User.Read"));
        ODataError refused = GraphSdk.refused(() -> adele.users().byUserId(TestTenant.ADELE.toString()).chats().getAllMessages()
                .get(), 403, "Authorization_RequestDenied");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.NO_DELEGATED_PERMISSION);
        String application = d.facts().get("application");
        assertThat(application).isNotBlank();
        assertThat(d.fix()).contains("client credentials flow").contains(application);

        // The daemon is granted the first application permission named, and asks with the client credentials flow.
        assertThat(grant(TestTenant.DAEMON, application.split(",\\s*")[0], "application").newlyGranted()).isTrue();
        GraphServiceClient daemon = graph(daemonToken());
        // Consentry decides the call but keeps no chat data: the answer is its 501 for an allowed call it does not serve.
        ODataError answered = GraphSdk.refused(() -> daemon.users().byUserId(TestTenant.ADELE.toString()).chats()
                .getAllMessages().get(), 501, "notImplemented");
        Diagnosed.allowed(server, GraphSdk.requestId(answered));
    }

    // ---- the permission held -------------------------------------------------------------------------------------------

    @Test
    @Drives(Cause.PERMISSION_TYPE_MISMATCH)
    void aDelegatedTokenOfAnAppHoldingTheApplicationPermissionIsRefusedUntilTheDelegatedOneTheFixNamesIsGranted()
            throws Exception {
        UUID userReadAll = CATALOGUE.permission("User.Read.All").flatMap(p -> p.in(Scheme.APPLICATION)).orElseThrow().id();
        store().appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.API_SP, "ServicePrincipal",
                TestTenant.GRAPH_SP, userReadAll, Instant.now(), null));
        // The Fabrikam API calls Graph on behalf of Megan (OBO): a delegated token, though the API holds User.Read.All as
        // an application permission.
        String forApi = user(TestTenant.PUBLIC_APP, TestTenant.MEGAN_UPN, "api://" + TestTenant.API + "/access_as_user");
        String obo = onBehalfOf(forApi, GRAPH + "User.Read");

        ODataError refused = GraphSdk.refused(() -> graph(obo).users().get(), 403, "Authorization_RequestDenied");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.PERMISSION_TYPE_MISMATCH);
        assertThat(d.facts()).containsEntry("tokenType", "a delegated token").containsEntry("otherType", "application");
        assertThat(d.facts().get("otherHeld")).contains("User.Read.All");

        Administration.GrantResult granted = Diagnosed.applyGrant(server, d);
        assertThat(granted.type()).isEqualToIgnoringCase("delegated");
        String renewed = onBehalfOf(forApi, GRAPH + granted.permission());
        assertThat(graph(renewed).users().get().getValue()).isNotEmpty();
    }

    private static String onBehalfOf(String assertion, String scope) throws Exception {
        ConfidentialClientApplication api = ConfidentialClientApplication.builder(TestTenant.API.toString(),
                        ClientCredentialFactory.createFromSecret(TestTenant.API_SECRET))
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        return api.acquireToken(OnBehalfOfParameters.builder(Set.of(scope), new UserAssertion(assertion)).build()).get()
                .accessToken();
    }

    @Test
    @Drives(Cause.PERMISSION_NOT_CONSENTED)
    void aRequestedPermissionNobodyConsentedIsRefusedUntilTheGrantTheFixNamesAndANewToken() {
        registerReports();
        ODataError refused = GraphSdk.refused(() -> graph(user(REPORTS, TestTenant.MEGAN_UPN, "User.Read")).users().get(), 403,
                "Authorization_RequestDenied");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.PERMISSION_NOT_CONSENTED);
        assertThat(d.facts()).containsEntry("type", "delegated");
        assertThat(d.facts().get("requested")).contains("User.ReadBasic.All");

        Administration.GrantResult granted = Diagnosed.applyGrant(server, d);
        assertThat(granted.addedToRegistration()).as("the registration already requested it").isFalse();
        assertThat(granted.newlyGranted()).isTrue();
        assertThat(graph(user(REPORTS, TestTenant.MEGAN_UPN, granted.permission())).users().get().getValue())
                .extracting(com.microsoft.graph.models.User::getUserPrincipalName).contains(TestTenant.ADELE_UPN);
    }

    @Test
    @Drives(Cause.TOKEN_PREDATES_CONSENT)
    void aTokenIssuedBeforeTheConsentIsRefusedAndANewTokenIsAnswered() throws Exception {
        registerReports();
        String old = user(REPORTS, TestTenant.MEGAN_UPN, "User.Read");
        ODataError notConsented = GraphSdk.refused(() -> graph(old).users().get(), 403, "Authorization_RequestDenied");
        Diagnosis first = Diagnosed.as(server, GraphSdk.requestId(notConsented), Cause.PERMISSION_NOT_CONSENTED);
        Thread.sleep(1_100); // token times have whole seconds: the consent comes in a later second than the token
        Administration.GrantResult granted = Diagnosed.applyGrant(server, first);

        ODataError refused = GraphSdk.refused(() -> graph(old).users().get(), 403, "Authorization_RequestDenied");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.TOKEN_PREDATES_CONSENT);
        assertThat(d.facts().get("granted")).isEqualToIgnoringCase(granted.permission());
        assertThat(d.fix()).startsWith("Get a new token");

        String renewed = user(REPORTS, TestTenant.MEGAN_UPN, granted.permission());
        assertThat(graph(renewed).users().get().getValue()).isNotEmpty();
    }

    @Test
    @Drives(Cause.APP_NOT_OWNED)
    void anOwnedByAppChangingAnAppItDoesNotOwnIsRefusedUntilItsServicePrincipalIsAddedAsOwner() {
        registerDaemon(APP_ADMIN, APP_ADMIN_SP, "Rights Admin", "Application.ReadWrite.All", "Directory.Read.All");
        registerDaemon(OWNED_BY, OWNED_BY_SP, "Rights OwnedBy", "Application.ReadWrite.OwnedBy");
        String adminToken = server.appToken(TestTenant.TENANT.toString(), APP_ADMIN.toString(), SECRET);
        com.microsoft.graph.models.Application draft = new com.microsoft.graph.models.Application();
        draft.setDisplayName("Payroll");
        String target = graph(adminToken).applications().post(draft).getId();
        GraphServiceClient ownedBy = graph(server.appToken(TestTenant.TENANT.toString(), OWNED_BY.toString(), SECRET));
        ODataError refused = GraphSdk.refused(() -> ownedBy.applications().byApplicationId(target).patch(renamed()), 403,
                "Authorization_RequestDenied");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.APP_NOT_OWNED);
        assertThat(d.facts().get("reason")).contains(OWNED_BY_SP.toString());
        Matcher fix = Pattern.compile("Add the service principal (\\S+) as an owner \\(POST (\\S+) with a token holding")
                .matcher(d.fix());
        assertThat(fix.find()).as(d.fix()).isTrue();

        HttpResponse<String> added = server.graph("POST", "/v1.0" + fix.group(2), adminToken,
                "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/" + fix.group(1) + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(204);
        ownedBy.applications().byApplicationId(target).patch(renamed());
        assertThat(graph(adminToken).applications().byApplicationId(target).get().getDisplayName())
                .isEqualTo("Payroll (renamed)");
    }

    /**
     * The change the OwnedBy app makes: a new model each time, since the SDK's backing store sends only what changed
     * since a model was last sent (the same object twice would send an empty PATCH).
     */
    private static com.microsoft.graph.models.Application renamed() {
        com.microsoft.graph.models.Application rename = new com.microsoft.graph.models.Application();
        rename.setDisplayName("Payroll (renamed)");
        return rename;
    }

    // ---- the signed-in user's rights ------------------------------------------------------------------------------------

    @Test
    @Drives(Cause.USER_ROLE_MISSING)
    void aUserWithoutARoleResettingAPasswordIsRefusedUntilAnAdministratorAssignsTheRoleTheDiagnosisNames() {
        grant(TestTenant.PUBLIC_APP, "RoleManagement.ReadWrite.Directory", "delegated");
        String before = newHiresPasswordHash();
        String scope = "UserAuthenticationMethod.ReadWrite.All";
        ODataError refused = GraphSdk.refused(() -> resetNewHiresPassword(graph(user(TestTenant.PUBLIC_APP,
                TestTenant.MEGAN_UPN, scope))), 403, "Authorization_RequestDenied");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.USER_ROLE_MISSING);
        assertThat(d.facts()).containsEntry("user", TestTenant.MEGAN_UPN).containsEntry("actorRoles", "no admin role");
        String roleName = d.facts().get("needed").split(",\\s*")[0];
        assertThat(d.fix()).contains(roleName);

        // Adele (Global Administrator) adds Megan to the directory role, addressed by its template id.
        String template = DirectoryRoleCatalogue.builtin().byName(roleName).orElseThrow().templateId();
        ReferenceCreate megan = new ReferenceCreate();
        megan.setOdataId("https://graph.microsoft.com/v1.0/directoryObjects/" + TestTenant.MEGAN);
        graph(user(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "RoleManagement.ReadWrite.Directory")).directoryRoles()
                .byDirectoryRoleId(template).members().ref().post(megan);

        resetNewHiresPassword(graph(user(TestTenant.PUBLIC_APP, TestTenant.MEGAN_UPN, scope)));
        assertThat(newHiresPasswordHash()).as("the password was reset").isNotEqualTo(before);
    }

    @Test
    @Drives(Cause.MAILBOX_NOT_LICENSED)
    void readingMailWithoutAnExchangeLicenceIsRefusedUntilALicenceWithThePlanTheDiagnosisNamesIsAssigned() {
        // The tenant has bought Office 365 E3 (Exchange Online Plan 2 among its plans); nobody has it yet.
        store().subscribedSkus().save(TestTenant.TENANT, new dev.consentry.core.directory.SubscribedSku("sku-e3",
                UUID.fromString("6fd2c87f-b296-42f0-b197-1e91e994b900"), "ENTERPRISEPACK", List.of(
                        new dev.consentry.core.directory.SubscribedSku.ServicePlan(
                                UUID.fromString("efb87545-963c-4e0d-99df-69c6916d9eb0"), "EXCHANGE_S_ENTERPRISE", "Success",
                                "User")), null));
        for (String p : List.of("Mail.Read", "User.ReadWrite.All", "Organization.Read.All")) {
            grant(TestTenant.PUBLIC_APP, p, "delegated");
        }
        GraphServiceClient megan = graph(user(TestTenant.PUBLIC_APP, TestTenant.MEGAN_UPN, "Mail.Read"));
        // Exchange Online's own answer: it has no mailbox for her.
        ODataError refused = GraphSdk.refused(() -> megan.me().messages().get(), 404, "MailboxNotEnabledForRESTAPI");
        assertThat(refused.getError().getMessage()).isEqualTo(
                "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.MAILBOX_NOT_LICENSED);
        assertThat(d.facts()).containsEntry("user", TestTenant.MEGAN_UPN).containsEntry("licences", "no licence at all");
        String plan = d.facts().get("plan");
        assertThat(d.fix()).contains(plan).contains("subscribedSkus");

        // Adele (Global Administrator) finds the tenant's SKU with such a plan and assigns it to Megan.
        GraphServiceClient adele = graph(user(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "User.ReadWrite.All",
                "Organization.Read.All"));
        dev.consentry.server.testing.Licences.assignSkuWithPlan(adele, TestTenant.MEGAN.toString(), plan);

        assertThat(megan.me().messages().get().getValue()).as("an empty mailbox, now reachable").isEmpty();
    }
}
