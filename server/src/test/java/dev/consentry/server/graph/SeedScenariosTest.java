package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.OnBehalfOfParameters;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.UserAssertion;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.authentication.methods.item.resetpassword.ResetPasswordPostRequestBody;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.ErrorProfile;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.RedirectUris;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.Scheme;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.server.browser.Chromium;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.testkit.TenantBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed scenarios of the product brief (section 2, S1 to S7), end to end as a developer meets them: the token
 * comes from MSAL4J, the call goes through the Microsoft Graph Java SDK v6, and the test asserts what the SDK
 * sees (status and Graph code in its {@link ODataError}) and the cause Consentry recorded for the request id.
 * Each refusal has its success twin: the smallest change that makes Graph say yes (grant the permission, use
 * the other flow, add the role, assign the licence, ask for the right resource) does.
 *
 * <p>The scenarios change the directory (grants, roles, licences), so this class has a server of its own.
 */
class SeedScenariosTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static final GraphPermissionCatalogue CATALOGUE = GraphPermissionCatalogue.builtin();
    /** Causes the scenarios below met (checked at the end against the Graph channel's refusals). */
    static final Set<Cause> MET = EnumSet.noneOf(Cause.class);

    /** A public client whose registration requests User.ReadBasic.All, consented for User.Read only. */
    static final AppId REPORTS = AppId.of("cccccccc-dddd-4eee-8fff-000000000001");
    static final ObjectId REPORTS_SP = ObjectId.of("cccccccc-dddd-4eee-8fff-0000000000a1");
    /** A daemon granted every application permission of Microsoft Graph. */
    static final AppId EVERYTHING = AppId.of("cccccccc-dddd-4eee-8fff-000000000002");
    static final ObjectId EVERYTHING_SP = ObjectId.of("cccccccc-dddd-4eee-8fff-0000000000a2");
    static final String EVERYTHING_SECRET = "everything~secret.value_345";
    static final String AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
    static final String PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
    /** Office 365 E3 and its Exchange Online (Plan 2) service plan, as Microsoft's licensing reference lists them. */
    static final UUID ENTERPRISEPACK = UUID.fromString("6fd2c87f-b296-42f0-b197-1e91e994b900");
    static final UUID EXCHANGE_S_ENTERPRISE = UUID.fromString("efb87545-963c-4e0d-99df-69c6916d9eb0");
    static final String GRAPH = "https://graph.microsoft.com/";
    /** Two users with no role, for the directory-role scenario alone. */
    static final ObjectId LEE = ObjectId.of("cccccccc-dddd-4eee-8fff-0000000000b1");
    static final String LEE_UPN = "lee@" + TestTenant.DOMAIN;
    static final ObjectId DIEGO = ObjectId.of("cccccccc-dddd-4eee-8fff-0000000000b2");

    static Store store() {
        return server.consentry().store();
    }

    @BeforeAll
    static void registerTheScenarioApps() {
        Store store = store();
        SecretHasher fast = new SecretHasher(1_000);
        Instant now = Instant.now();
        UUID userRead = delegatedId("User.Read");
        UUID readBasicAll = delegatedId("User.ReadBasic.All");
        store.applications().save(TestTenant.TENANT, new Application(ObjectId.random(), REPORTS, "Fabrikam Reports",
                "AzureADMyOrg", List.of(), ApiApplication.NONE, List.of(), List.of(), List.of(),
                List.of(new RequiredResourceAccess(WellKnown.GRAPH_APP_ID.toString(), List.of(
                        new RequiredResourceAccess.ResourceAccess(userRead, "Scope"),
                        new RequiredResourceAccess.ResourceAccess(readBasicAll, "Scope")))),
                null, null, new RedirectUris(List.of(TestTenant.LOOPBACK_REDIRECT), null), true, null));
        store.servicePrincipals().save(TestTenant.TENANT, sp(REPORTS_SP, REPORTS, "Fabrikam Reports"));
        store.permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant("grant-reports-graph", REPORTS_SP,
                "AllPrincipals", null, TestTenant.GRAPH_SP, "User.Read", now, null));

        store.applications().save(TestTenant.TENANT, new Application(ObjectId.random(), EVERYTHING, "Fabrikam Everything",
                "AzureADMyOrg", List.of(), ApiApplication.NONE, List.of(),
                List.of(new PasswordCredential(UUID.randomUUID(), "test", SecretHasher.hintOf(EVERYTHING_SECRET), null,
                        fast.hash(EVERYTHING_SECRET), null, null, null)), List.of(), List.of(), null, null, null, null, null));
        store.servicePrincipals().save(TestTenant.TENANT, sp(EVERYTHING_SP, EVERYTHING, "Fabrikam Everything"));
        for (var role : CATALOGUE.appRoles()) {
            store.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, EVERYTHING_SP, "ServicePrincipal",
                    TestTenant.GRAPH_SP, role.id(), now, null));
        }
        // Azure AD Graph, a resource every tenant from a tenant file has (the test tenant is built without the file).
        store.servicePrincipals().save(TestTenant.TENANT, new ServicePrincipal(ObjectId.random(), WellKnown.AAD_GRAPH_APP_ID,
                "Windows Azure Active Directory", true, "Application", TestTenant.TENANT, false,
                List.of(WellKnown.AAD_GRAPH_APP_ID.toString(), "https://graph.windows.net", "https://graph.windows.net/"),
                List.of(), List.of(), null));
        for (ObjectId id : List.of(LEE, DIEGO)) {
            String upn = (id.equals(LEE) ? "lee@" : "diego@") + TestTenant.DOMAIN;
            store.users().save(TestTenant.TENANT, new User(id, upn, upn.substring(0, upn.indexOf('@')), upn, "Member", true,
                    new dev.consentry.core.directory.PasswordProfile(null, fast.hash(TestTenant.ADELE_PASSWORD), false), now,
                    List.of(), null));
        }
        // The desktop app may also read mail, so that only the licence stands between Adele and her messages.
        OAuth2PermissionGrant desktop = store.permissionGrants().list(TestTenant.TENANT).stream()
                .filter(g -> g.id().equals("grant-desktop-graph")).findFirst().orElseThrow();
        store.permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant(desktop.id(), desktop.clientId(),
                desktop.consentType(), desktop.principalId(), desktop.resourceId(), desktop.scope() + " Mail.Read",
                desktop.createdDateTime(), null));
    }

    @AfterAll
    static void everyGraphRefusalOfTheSeedPageWasMet() {
        assertThat(MET).containsAll(EnumSet.of(Cause.TOKEN_MISSING, Cause.TOKEN_EXPIRED,
                Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED, Cause.PERMISSION_NOT_REQUESTED, Cause.PERMISSION_NOT_CONSENTED,
                Cause.TOKEN_PREDATES_CONSENT, Cause.PERMISSION_TYPE_MISMATCH, Cause.DELEGATED_ONLY_API,
                Cause.NO_APPLICATION_PERMISSION, Cause.USER_ROLE_MISSING, Cause.MAILBOX_NOT_LICENSED, Cause.WRONG_AUDIENCE));
    }

    // ---- S1: no token, expired token --------------------------------------------------------------------------

    @Test
    void s1WithoutATokenGraphAsksForOneAndWithOneItAnswers() throws Exception {
        ODataError e = refused(() -> graph("").me().get(), 401, "InvalidAuthenticationToken", Cause.TOKEN_MISSING);
        assertThat(e.getResponseHeaders().get("WWW-Authenticate").iterator().next()).startsWith("Bearer ");

        String token = userToken(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "User.Read");
        assertThat(graph(token).me().get().getId()).isEqualTo(TestTenant.ADELE.toString());
    }

    @Test
    void s1AnExpiredTokenIsRefusedAndAFreshOneIsNot() throws Exception {
        String token = userToken(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "User.Read");
        String expired = server.resignedInThePast(token, Duration.ofHours(3));
        refused(() -> graph(expired).me().get(), 401, "InvalidAuthenticationToken", Cause.TOKEN_EXPIRED);

        assertThat(graph(token).me().get().getUserPrincipalName()).isEqualTo(TestTenant.ADELE_UPN);
    }

    // ---- S2: a personal Microsoft account on a work-only API ---------------------------------------------------

    @Test
    void s2APersonalAccountReadsItselfButNotTheDirectory() throws Exception {
        String token;
        try (Chromium chromium = Chromium.trusting(server)) {
            PublicClientApplication app = PublicClientApplication.builder(TestTenant.PERSONAL_APP.toString())
                    .authority(server.authority("common")).instanceDiscovery(false)
                    .sslSocketFactory(server.sslContext().getSocketFactory()).build();
            token = chromium.signIn(app, Set.of("User.Read"), TestTenant.ALEX_UPN, TestTenant.ADELE_PASSWORD).accessToken();
        }
        GraphServiceClient alex = graph(token);
        refused(() -> alex.users().get(), 401, "InvalidAuthenticationToken", Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED);

        // The twin: the same token on an API with a DelegatedPersonal permission (User.Read on /me).
        assertThat(alex.me().get().getUserPrincipalName()).isEqualTo(TestTenant.ALEX_UPN);
    }

    // ---- S3: not requested, not consented, consented after the token ------------------------------------------

    @Test
    void s3APermissionTheAppNeverRequestedIsRefusedUntilItIsGranted() throws Exception {
        // The desktop app's registration requests nothing beyond what it was granted; listing users is not among it.
        String token = userToken(TestTenant.PUBLIC_APP, TestTenant.MEGAN_UPN, "User.Read");
        JsonNode d = diagnosis(refused(() -> graph(token).users().get(), 403, "Authorization_RequestDenied",
                Cause.PERMISSION_NOT_REQUESTED));
        assertThat(d.path("leastPrivileged").path("delegated").toString()).contains("User.ReadBasic.All");
    }

    @Test
    void s3ARequestedPermissionWithoutConsentThenConsentedAfterTheTokenThenWithANewToken() throws Exception {
        String before = userToken(REPORTS, TestTenant.MEGAN_UPN, "User.Read");
        refused(() -> graph(before).users().get(), 403, "Authorization_RequestDenied", Cause.PERMISSION_NOT_CONSENTED);

        // An administrator consents to User.ReadBasic.All; the token in hand still predates it.
        OAuth2PermissionGrant grant = store().permissionGrants().list(TestTenant.TENANT).stream()
                .filter(g -> g.id().equals("grant-reports-graph")).findFirst().orElseThrow();
        Thread.sleep(1_100); // token times have whole seconds: the consent comes in a later second than the token
        store().permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant(grant.id(), grant.clientId(),
                grant.consentType(), grant.principalId(), grant.resourceId(), "User.Read User.ReadBasic.All",
                Instant.now(), null));
        refused(() -> graph(before).users().get(), 403, "Authorization_RequestDenied", Cause.TOKEN_PREDATES_CONSENT);

        String after = userToken(REPORTS, TestTenant.MEGAN_UPN, "User.ReadBasic.All");
        var users = graph(after).users().get();
        assertThat(users.getValue()).extracting(com.microsoft.graph.models.User::getUserPrincipalName)
                .contains(TestTenant.ADELE_UPN, TestTenant.MEGAN_UPN);
    }

    // ---- S4: the token type the app's permissions do not fit, and app-only on /me ----------------------------

    @Test
    void s4ADelegatedTokenOfAnAppHoldingOnlyTheApplicationPermissionIsRefusedAndItsAppOnlyTokenIsNot() throws Exception {
        store().appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.API_SP, "ServicePrincipal",
                TestTenant.GRAPH_SP, TestTenant.USER_READ_ALL, Instant.now(), null));
        // The Fabrikam API calls Graph on behalf of Megan (OBO): a delegated token, with the delegated User.Read only.
        String forApi = userToken(TestTenant.PUBLIC_APP, TestTenant.MEGAN_UPN, "api://" + TestTenant.API + "/access_as_user");
        ConfidentialClientApplication api = ConfidentialClientApplication.builder(TestTenant.API.toString(),
                        ClientCredentialFactory.createFromSecret(TestTenant.API_SECRET))
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        String obo = api.acquireToken(OnBehalfOfParameters.builder(Set.of(GRAPH + "User.Read"), new UserAssertion(forApi))
                .build()).get().accessToken();
        JsonNode d = diagnosis(refused(() -> graph(obo).users().get(), 403, "Authorization_RequestDenied",
                Cause.PERMISSION_TYPE_MISMATCH));
        assertThat(d.path("explanation").asText()).as("names the application permission the app holds").contains("User.Read.All");

        // The twin: the same app with the flow its permission is for.
        String appOnly = api.acquireToken(ClientCredentialParameters.builder(Set.of(GRAPH + ".default")).skipCache(true)
                .build()).get().accessToken();
        assertThat(graph(appOnly).users().get().getValue()).isNotEmpty();
    }

    @Test
    void s4AnAppOnlyTokenOnMeIsABadRequestAndADelegatedOneReadsTheUser() throws Exception {
        String appOnly = appToken(TestTenant.DAEMON, TestTenant.DAEMON_SECRET, GRAPH + ".default");
        refused(() -> graph(appOnly).me().get(), 400, "BadRequest", Cause.DELEGATED_ONLY_API);

        String delegated = userToken(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "User.Read");
        assertThat(graph(delegated).me().get().getDisplayName()).isEqualTo("Adele Vance");
    }

    // ---- S5 and S6: password reset, directory roles --------------------------------------------------------------

    @Test
    void s5NoApplicationPermissionResetsAPasswordButAnAuthenticationAdministratorDoes() throws Exception {
        String everything = appToken(EVERYTHING, EVERYTHING_SECRET, GRAPH + ".default");
        List<String> roles = new java.util.ArrayList<>();
        JSON.readTree(java.util.Base64.getUrlDecoder().decode(everything.split("\\.")[1])).path("roles")
                .forEach(r -> roles.add(r.asText()));
        // Microsoft's data spells one role two ways under one id (Calls.JoinGroupCallAsGuest.All): one claim per id.
        assertThat(roles).as("the token carries every application permission").doesNotHaveDuplicates()
                .hasSize((int) CATALOGUE.appRoles().stream().map(r -> r.id()).distinct().count())
                .isSubsetOf(CATALOGUE.appRoles().stream().map(r -> r.value()).toList());
        refused(() -> resetPassword(graph(everything), TestTenant.NEWHIRE, "Brand-New-Passw0rd!"), 403,
                "Authorization_RequestDenied", Cause.NO_APPLICATION_PERMISSION);

        // Delegated, by a signed-in user without a role: the app may, the user may not.
        String megan = userToken(TestTenant.PUBLIC_APP, TestTenant.MEGAN_UPN, "UserAuthenticationMethod.ReadWrite.All");
        refused(() -> resetPassword(graph(megan), TestTenant.NEWHIRE, "Brand-New-Passw0rd!"), 403,
                "Authorization_RequestDenied", Cause.USER_ROLE_MISSING);

        // The twin: Megan becomes Authentication Administrator; the reset works and the new password signs in.
        assignRole("megan-auth-admin", TestTenant.MEGAN, AUTHENTICATION_ADMINISTRATOR);
        resetPassword(graph(megan), TestTenant.NEWHIRE, "Brand-New-Passw0rd!");
        assertThat(userToken(TestTenant.PUBLIC_APP, TestTenant.NEWHIRE_UPN, "User.Read", "Brand-New-Passw0rd!")).isNotBlank();

        // A Global Administrator's password is beyond an Authentication Administrator ...
        refused(() -> resetPassword(graph(megan), TestTenant.ADELE, "Another-Passw0rd!"), 403,
                "Authorization_RequestDenied", Cause.USER_ROLE_MISSING);
        // ... and within a Privileged Authentication Administrator's reach.
        assignRole("megan-priv-auth-admin", TestTenant.MEGAN, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR);
        resetPassword(graph(megan), TestTenant.ADELE, TestTenant.ADELE_PASSWORD);
        assertThat(userToken(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "User.Read")).isNotBlank();
    }

    @Test
    void s6ReadingAnotherUsersMethodsNeedsARoleAndTheRoleIsEnough() throws Exception {
        // Lee, without a role, through an app granted UserAuthenticationMethod.ReadWrite.All: the app may, Lee may not.
        String lee = userToken(TestTenant.PUBLIC_APP, LEE_UPN, "UserAuthenticationMethod.ReadWrite.All");
        refused(() -> graph(lee).users().byUserId(DIEGO.toString()).authentication().methods().get(), 403,
                "Authorization_RequestDenied", Cause.USER_ROLE_MISSING);
        assertThat(graph(lee).me().authentication().methods().get().getValue()).as("their own methods need no role")
                .extracting(m -> m.getOdataType()).containsExactly("#microsoft.graph.passwordAuthenticationMethod");

        // The twin: Lee becomes Authentication Administrator, which may act on Diego (no admin role).
        assignRole("lee-auth-admin", LEE, AUTHENTICATION_ADMINISTRATOR);
        assertThat(graph(lee).users().byUserId(DIEGO.toString()).authentication().methods().get().getValue())
                .extracting(m -> m.getOdataType()).containsExactly("#microsoft.graph.passwordAuthenticationMethod");
    }

    @Test
    void s6MailNeedsAnExchangeLicenceAndTheLicenceIsEnough() throws Exception {
        String token = userToken(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "Mail.Read");
        refused(() -> graph(token).me().messages().get(), 404, "MailboxNotEnabledForRESTAPI", Cause.MAILBOX_NOT_LICENSED);

        // The twin: the tenant buys Office 365 E3 and assigns it to Adele.
        store().subscribedSkus().save(TestTenant.TENANT, new SubscribedSku("sku-e3", ENTERPRISEPACK, "ENTERPRISEPACK",
                List.of(new SubscribedSku.ServicePlan(EXCHANGE_S_ENTERPRISE, "EXCHANGE_S_ENTERPRISE", "Success", "User")), null));
        User adele = store().users().find(TestTenant.TENANT, TestTenant.ADELE).orElseThrow();
        store().users().save(TestTenant.TENANT, new User(adele.id(), adele.userPrincipalName(), adele.displayName(), adele.mail(),
                adele.userType(), adele.accountEnabled(), adele.passwordProfile(), adele.lastPasswordChangeDateTime(),
                List.of(new AssignedLicense(ENTERPRISEPACK, List.of())), adele.additionalProperties()));
        assertThat(graph(token).me().messages().get().getValue()).as("an empty mailbox, now reachable").isEmpty();
    }

    // ---- S7: a token for another resource ---------------------------------------------------------------------------

    @Test
    void s7ATokenForAnotherResourceIsRefusedAsTheTenantsProfileSaysAndAGraphTokenIsNot() throws Exception {
        String forApi = userToken(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "api://" + TestTenant.API + "/access_as_user");
        refused(() -> graph(forApi).me().get(), 403, "Authorization_RequestDenied", Cause.WRONG_AUDIENCE);
        String aadGraph = appToken(TestTenant.DAEMON, TestTenant.DAEMON_SECRET, "https://graph.windows.net/.default");
        JsonNode d = diagnosis(refused(() -> graph(aadGraph).users().get(), 403, "Authorization_RequestDenied",
                Cause.WRONG_AUDIENCE));
        assertThat(d.path("fix").asText()).contains("https://graph.microsoft.com");

        setErrorProfile(ErrorProfile.GRAPH_TODAY);
        try {
            ODataError today = refused(() -> graph(forApi).me().get(), 401, "InvalidAuthenticationToken", Cause.WRONG_AUDIENCE);
            assertThat(today.getError().getMessage()).isEqualTo("Access token validation failure. Invalid audience.");
            assertThat(today.getResponseHeaders().get("WWW-Authenticate").iterator().next()).startsWith("Bearer ");
        } finally {
            setErrorProfile(ErrorProfile.TROUBLESHOOTING_GUIDE);
        }

        String forGraph = userToken(TestTenant.PUBLIC_APP, TestTenant.ADELE_UPN, "User.Read");
        assertThat(graph(forGraph).me().get().getId()).isEqualTo(TestTenant.ADELE.toString());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /** Runs {@code call}, which must fail in the SDK with {@code status} and {@code code}, recorded as {@code cause}. */
    static ODataError refused(Runnable call, int status, String code, Cause cause) throws Exception {
        ODataError e = GraphSdk.refused(call, status, code);
        JsonNode d = diagnosis(e);
        assertThat(d.path("decision").asText()).isEqualTo("deny");
        assertThat(d.path("cause").asText()).isEqualTo(cause.slug());
        assertThat(d.path("status").asInt()).isEqualTo(status);
        MET.add(cause);
        return e;
    }

    static JsonNode diagnosis(ODataError e) throws Exception {
        var r = server.get("/consentry/diagnostics/" + GraphSdk.requestId(e));
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static GraphServiceClient graph(String token) {
        return GraphSdk.client(server, () -> token);
    }

    static void resetPassword(GraphServiceClient client, ObjectId user, String password) {
        ResetPasswordPostRequestBody body = new ResetPasswordPostRequestBody();
        body.setNewPassword(password);
        client.users().byUserId(user.toString()).authentication().methods()
                .byAuthenticationMethodId("28c10230-6103-485e-b985-444c60001490").resetPassword().post(body);
    }

    static String userToken(AppId app, String upn, String scope) throws Exception {
        return userToken(app, upn, scope, TestTenant.ADELE_PASSWORD);
    }

    @SuppressWarnings("deprecation") // ROPC stands in for an interactive sign-in where the browser is not the subject
    static String userToken(AppId app, String upn, String scope, String password) throws Exception {
        PublicClientApplication pca = PublicClientApplication.builder(app.toString())
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        IAuthenticationResult r = pca.acquireToken(UserNamePasswordParameters.builder(Set.of(scope), upn,
                password.toCharArray()).build()).get();
        return r.accessToken();
    }

    static String appToken(AppId app, String secret, String scope) throws Exception {
        ConfidentialClientApplication cca = ConfidentialClientApplication.builder(app.toString(),
                        ClientCredentialFactory.createFromSecret(secret))
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        return cca.acquireToken(ClientCredentialParameters.builder(Set.of(scope)).skipCache(true).build()).get().accessToken();
    }

    static void assignRole(String id, ObjectId user, String roleDefinitionId) {
        store().roleAssignments().save(TestTenant.TENANT, new RoleAssignment(id, user, roleDefinitionId, "/", null));
    }

    static void setErrorProfile(ErrorProfile profile) {
        TenantDirectory t = store().tenants().export(TestTenant.TENANT).orElseThrow();
        store().tenants().replace(TenantBuilder.from(t)
                .withSettings(new TenantSettings(profile, t.settings().additionalProperties()))
                .build());
    }

    static UUID delegatedId(String name) {
        return CATALOGUE.permission(name).flatMap(p -> p.in(Scheme.DELEGATED_WORK)).orElseThrow().id();
    }

    static ServicePrincipal sp(ObjectId id, AppId appId, String name) {
        return new ServicePrincipal(id, appId, name, true, "Application", TestTenant.TENANT, false, List.of(appId.toString()),
                List.of(), List.of(), null);
    }
}
