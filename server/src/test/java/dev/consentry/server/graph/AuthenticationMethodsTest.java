package dev.consentry.server.graph;

import static dev.consentry.server.testing.GraphReplies.json;
import static dev.consentry.server.testing.GraphReplies.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.models.SoftwareOathAuthenticationMethod;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graph's authentication methods of users, over HTTPS with tokens from MSAL4J: {@code /authentication/methods} and
 * {@code /authentication/softwareOathMethods} (list, get, delete) for {@code /me} and {@code /users/{id or upn}}.
 * Every answer leaves {@code secretKey} null; the permissions are Graph's (delegated {@code .Read}/{@code .ReadWrite}
 * for oneself, {@code .All} for others, application {@code .Read.All}/{@code .ReadWrite.All}); a delegated caller acting
 * on another user needs Global Reader (reads), Authentication Administrator (users the password-reset table lets it
 * reach), Privileged Authentication Administrator or Global Administrator; User Administrator is not enough.
 */
class AuthenticationMethodsTest {
    static final Store STORE = new InMemoryStore();
    static final Instant REGISTERED = Instant.parse("2026-01-05T08:30:00Z");
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    static final UUID READ_ALL = UUID.fromString("38d9df27-64da-44fd-b7c5-a6fbac20248f");
    static final UUID READ_WRITE_ALL = UUID.fromString("50483e42-d915-4231-9639-7fdb7fd190e5");
    static final String GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
    static final String USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    static final String AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
    static final String PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
    static final String MEGANS_APP = "0f0f0f0f-0000-4000-8000-00000000000a";
    static final String ADELES_APP = "0f0f0f0f-0000-4000-8000-00000000000b";
    static final String NEWHIRES_APP = "0f0f0f0f-0000-4000-8000-00000000000c";
    static final String OLGAS_APP = "0f0f0f0f-0000-4000-8000-00000000000d";
    /** A user of Fabrikam who signs in elsewhere: no password, one authenticator app. */
    static final ObjectId NO_PASSWORD = ObjectId.of("77777777-8888-4999-8aaa-0000000000f1");

    @BeforeAll
    static void methodsPermissionsAndApps() {
        // The desktop app may ask for every UserAuthenticationMethod permission; each test's token asks for one.
        OAuth2PermissionGrant g = STORE.permissionGrants().list(TestTenant.TENANT).stream()
                .filter(x -> x.id().equals("grant-desktop-graph")).findFirst().orElseThrow();
        STORE.permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant(g.id(), g.clientId(), g.consentType(),
                g.principalId(), g.resourceId(), "User.Read UserAuthenticationMethod.Read UserAuthenticationMethod.Read.All "
                        + "UserAuthenticationMethod.ReadWrite UserAuthenticationMethod.ReadWrite.All", g.createdDateTime(), null));
        // The app for everyone holds only UserAuthenticationMethod.Read besides User.Read, and requests nothing more.
        OAuth2PermissionGrant e = STORE.permissionGrants().list(TestTenant.TENANT).stream()
                .filter(x -> x.id().equals("grant-everyone-graph")).findFirst().orElseThrow();
        STORE.permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant(e.id(), e.clientId(), e.consentType(),
                e.principalId(), e.resourceId(), "User.Read UserAuthenticationMethod.Read", e.createdDateTime(), null));
        // The daemon may read every user's methods; the web app may also delete them.
        STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.DAEMON_SP,
                "ServicePrincipal", TestTenant.GRAPH_SP, READ_ALL, Instant.now(), null));
        STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.WEB_APP_SP,
                "ServicePrincipal", TestTenant.GRAPH_SP, READ_WRITE_ALL, Instant.now(), null));
        STORE.users().save(TestTenant.TENANT, new User(NO_PASSWORD, "nopassword@" + TestTenant.DOMAIN, "No Password", null,
                "Member", true, null, null, List.of(), null));
    }

    /** Every test starts from the same apps: Megan's, Adele's, New Hire's and, in the other tenant, Olga's. */
    @BeforeEach
    void theSeededAppsAndNoRoleForMegan() {
        for (var m : STORE.softwareOathMethods().list(TestTenant.TENANT)) {
            STORE.softwareOathMethods().delete(TestTenant.TENANT, m.id());
        }
        STORE.roleAssignments().delete(TestTenant.TENANT, "megan-role");
        save(MEGANS_APP, TestTenant.MEGAN);
        save(ADELES_APP, TestTenant.ADELE);
        save(NEWHIRES_APP, TestTenant.NEWHIRE);
        save("0f0f0f0f-0000-4000-8000-0000000000f1", NO_PASSWORD);
        STORE.softwareOathMethods().save(TestTenant.OTHER_TENANT, new SoftwareOathMethod(OLGAS_APP, TestTenant.OLGA,
                "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", REGISTERED));
    }

    static void save(String id, ObjectId user) {
        STORE.softwareOathMethods().save(TestTenant.TENANT, new SoftwareOathMethod(id, user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
                REGISTERED));
    }

    static void megansRole(String role) {
        STORE.roleAssignments().save(TestTenant.TENANT, new RoleAssignment("megan-role", TestTenant.MEGAN, role, "/", null));
    }

    /** Megan's delegated token through the desktop app, holding exactly {@code scope}. */
    static String megan(String scope) throws Exception {
        return megan(TestTenant.PUBLIC_APP.toString(), scope);
    }

    /** Megan's delegated token through the public client {@code clientId}, holding exactly {@code scope}. */
    static String megan(String clientId, String scope) throws Exception {
        String token = server.userToken(TestTenant.TENANT.toString(), clientId, TestTenant.MEGAN_UPN,
                TestTenant.ADELE_PASSWORD, Set.of(scope));
        JsonNode claims = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().toString());
        assertThat(claims.path("scp").asText().split(" ")).as("the token holds what was asked for").containsExactly(scope);
        return token;
    }

    static String daemon() {
        return server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    static String webApp() {
        return server.appToken(TestTenant.TENANT.toString(), TestTenant.WEB_APP.toString(), TestTenant.WEB_SECRET);
    }

    static String apps(Object user) {
        return "/v1.0/users/" + user + "/authentication/softwareOathMethods";
    }

    /** Asserts the refusal's status and Graph code, and the cause Consentry recorded for it. */
    static void refusedFor(HttpResponse<String> r, Cause cause) throws Exception {
        refused(r, cause.status(), cause.error());
        JsonNode d = json(server.get("/consentry/diagnostics/" + r.headers().firstValue("request-id").orElseThrow()));
        assertThat(d.path("cause").asText()).as(d.toString()).isEqualTo(cause.slug());
    }

    static boolean stored(String id) {
        return STORE.softwareOathMethods().find(TestTenant.TENANT, id).isPresent();
    }

    @Test
    void aUserListsReadsAndDeletesTheirOwnAuthenticatorAppWithoutEverSeeingItsSecret() throws Exception {
        String token = megan("UserAuthenticationMethod.ReadWrite");
        HttpResponse<String> list = server.graph("GET", "/v1.0/me/authentication/softwareOathMethods", token, null);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        JsonNode body = json(list);
        assertThat(body.path("@odata.context").asText()).isEqualTo("https://graph.microsoft.com/v1.0/$metadata#users('"
                + TestTenant.MEGAN + "')/authentication/softwareOathMethods");
        assertThat(body.path("value")).hasSize(1);
        JsonNode app = body.path("value").get(0);
        assertThat(app.path("@odata.type").asText()).isEqualTo("#microsoft.graph.softwareOathAuthenticationMethod");
        assertThat(app.path("id").asText()).isEqualTo(MEGANS_APP);
        assertThat(app.has("secretKey")).isTrue();
        assertThat(app.path("secretKey").isNull()).as("Graph never returns the secret").isTrue();
        assertThat(app.path("createdDateTime").asText()).isEqualTo(REGISTERED.toString());
        assertThat(list.body()).doesNotContain("JBSWY3DP");

        HttpResponse<String> one = server.graph("GET", "/v1.0/me/authentication/softwareOathMethods/" + MEGANS_APP, token, null);
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        assertThat(json(one).path("id").asText()).isEqualTo(MEGANS_APP);
        assertThat(json(one).path("secretKey").isNull()).isTrue();
        assertThat(json(one).path("@odata.context").asText()).endsWith("/authentication/softwareOathMethods/$entity");

        HttpResponse<String> byOwnId = server.graph("GET", apps(TestTenant.MEGAN), token, null);
        assertThat(byOwnId.statusCode()).as("oneself by id needs no .All permission").isEqualTo(200);

        HttpResponse<String> deleted = server.graph("DELETE", "/v1.0/me/authentication/softwareOathMethods/" + MEGANS_APP,
                token, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(stored(MEGANS_APP)).isFalse();
        assertThat(stored(ADELES_APP)).as("only that one").isTrue();
        refused(server.graph("GET", "/v1.0/me/authentication/softwareOathMethods/" + MEGANS_APP, token, null), 404,
                "Request_ResourceNotFound");
        assertThat(json(server.graph("GET", "/v1.0/me/authentication/softwareOathMethods", token, null)).path("value")).isEmpty();
    }

    @Test
    void theMethodsListHasThePasswordForAUserWithOneAndTheAuthenticatorApps() throws Exception {
        JsonNode mine = json(server.graph("GET", "/v1.0/me/authentication/methods", megan("UserAuthenticationMethod.Read"), null));
        assertThat(mine.path("@odata.context").asText()).endsWith("$metadata#users('" + TestTenant.MEGAN + "')/authentication/methods");
        assertThat(mine.path("value")).extracting(m -> m.path("@odata.type").asText()).containsExactly(
                "#microsoft.graph.passwordAuthenticationMethod", "#microsoft.graph.softwareOathAuthenticationMethod");
        JsonNode password = mine.path("value").get(0);
        assertThat(password.path("id").asText()).isEqualTo("28c10230-6103-485e-b985-444c60001490");
        assertThat(password.path("password").isNull()).isTrue();
        assertThat(mine.path("value").get(1).path("id").asText()).isEqualTo(MEGANS_APP);
        assertThat(mine.path("value").get(1).path("secretKey").isNull()).isTrue();

        HttpResponse<String> noPassword = server.graph("GET", "/v1.0/users/" + NO_PASSWORD + "/authentication/methods", daemon(),
                null);
        assertThat(noPassword.statusCode()).as(noPassword.body()).isEqualTo(200);
        assertThat(json(noPassword).path("value")).as("no password, so no password method")
                .extracting(m -> m.path("@odata.type").asText()).containsExactly("#microsoft.graph.softwareOathAuthenticationMethod");
    }

    @Test
    void anAppReadsWithReadAllDeletesWithReadWriteAllAndNeedsOneOfThem() throws Exception {
        String daemon = daemon();
        HttpResponse<String> byName = server.graph("GET", apps(TestTenant.MEGAN_UPN), daemon, null);
        assertThat(byName.statusCode()).as(byName.body()).isEqualTo(200);
        assertThat(json(byName).path("value")).extracting(m -> m.path("id").asText()).containsExactly(MEGANS_APP);
        assertThat(server.graph("GET", apps(TestTenant.ADELE) + "/" + ADELES_APP, daemon, null).statusCode()).isEqualTo(200);
        refusedFor(server.graph("DELETE", apps(TestTenant.ADELE) + "/" + ADELES_APP, daemon, null),
                Cause.PERMISSION_NOT_REQUESTED);
        assertThat(stored(ADELES_APP)).as("a refused delete changes nothing").isTrue();
        refusedFor(server.graph("GET", "/v1.0/me/authentication/softwareOathMethods", daemon, null), Cause.DELEGATED_ONLY_API);

        HttpResponse<String> deleted = server.graph("DELETE", apps(TestTenant.ADELE) + "/" + ADELES_APP, webApp(), null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(stored(ADELES_APP)).isFalse();

        String noPermission = server.appToken(TestTenant.TENANT.toString(), TestTenant.API.toString(), TestTenant.API_SECRET);
        refusedFor(server.graph("GET", apps(TestTenant.MEGAN), noPermission, null), Cause.PERMISSION_NOT_REQUESTED);
        refusedFor(server.graph("GET", "/v1.0/users/" + TestTenant.MEGAN + "/authentication/methods", noPermission, null),
                Cause.PERMISSION_NOT_REQUESTED);
    }

    @Test
    void unknownUsersUnknownMethodsAndOtherPeoplesMethodsAre404() throws Exception {
        String daemon = daemon();
        refused(server.graph("GET", apps("0a0a0a0a-0000-4000-8000-00000000dead"), daemon, null), 404, "Request_ResourceNotFound");
        refused(server.graph("GET", apps("nobody@" + TestTenant.DOMAIN), daemon, null), 404, "Request_ResourceNotFound");
        refused(server.graph("GET", "/v1.0/users/nobody@" + TestTenant.DOMAIN + "/authentication/methods", daemon, null), 404,
                "Request_ResourceNotFound");
        refused(server.graph("GET", apps(TestTenant.MEGAN) + "/0a0a0a0a-0000-4000-8000-00000000dead", daemon, null), 404,
                "Request_ResourceNotFound");
        JsonNode body = refused(server.graph("GET", apps(TestTenant.MEGAN) + "/" + ADELES_APP, daemon, null), 404,
                "Request_ResourceNotFound");
        assertThat(body.path("error").path("message").asText()).as("another user's app under Megan").contains(ADELES_APP);
        String web = webApp();
        refused(server.graph("DELETE", apps(TestTenant.MEGAN) + "/" + ADELES_APP, web, null), 404, "Request_ResourceNotFound");
        refused(server.graph("DELETE", apps(TestTenant.MEGAN) + "/nope", web, null), 404, "Request_ResourceNotFound");
        assertThat(stored(ADELES_APP)).isTrue();

        // Olga and her app are the other tenant's: a Fabrikam token sees neither.
        refused(server.graph("GET", apps(TestTenant.OLGA), daemon, null), 404, "Request_ResourceNotFound");
        refused(server.graph("GET", apps(TestTenant.OLGA_UPN), daemon, null), 404, "Request_ResourceNotFound");
        refused(server.graph("GET", apps(TestTenant.MEGAN) + "/" + OLGAS_APP, daemon, null), 404, "Request_ResourceNotFound");
        refused(server.graph("DELETE", apps(TestTenant.OLGA) + "/" + OLGAS_APP, web, null), 404, "Request_ResourceNotFound");
        assertThat(STORE.softwareOathMethods().find(TestTenant.OTHER_TENANT, OLGAS_APP)).isPresent();
    }

    @Test
    void aDelegatedCallerNeedsAnAllPermissionForSomeoneElseAndAWritePermissionToDelete() throws Exception {
        String read = megan(TestTenant.PERSONAL_APP.toString(), "UserAuthenticationMethod.Read");
        assertThat(server.graph("GET", "/v1.0/me/authentication/softwareOathMethods", read, null).statusCode()).isEqualTo(200);
        // Even a Privileged Authentication Administrator's UserAuthenticationMethod.Read reaches only her own methods.
        megansRole(PRIVILEGED_AUTHENTICATION_ADMINISTRATOR);
        refusedFor(server.graph("GET", apps(TestTenant.NEWHIRE), read, null), Cause.PERMISSION_NOT_REQUESTED);
        refusedFor(server.graph("GET", "/v1.0/users/" + TestTenant.NEWHIRE + "/authentication/methods", read, null),
                Cause.PERMISSION_NOT_REQUESTED);
        refusedFor(server.graph("DELETE", "/v1.0/me/authentication/softwareOathMethods/" + MEGANS_APP, read, null),
                Cause.PERMISSION_NOT_REQUESTED);
        refusedFor(server.graph("DELETE", apps(TestTenant.NEWHIRE) + "/" + NEWHIRES_APP, read, null),
                Cause.PERMISSION_NOT_REQUESTED);
        assertThat(stored(NEWHIRES_APP)).isTrue();
        assertThat(stored(MEGANS_APP)).isTrue();
    }

    @Test
    void withoutARoleOrAsUserAdministratorNoOneElsesMethodsAreReachable() throws Exception {
        String readAll = megan("UserAuthenticationMethod.Read.All");
        String writeAll = megan("UserAuthenticationMethod.ReadWrite.All");
        refusedFor(server.graph("GET", apps(TestTenant.NEWHIRE), readAll, null), Cause.USER_ROLE_MISSING);
        refusedFor(server.graph("GET", "/v1.0/users/" + TestTenant.NEWHIRE + "/authentication/methods", readAll, null),
                Cause.USER_ROLE_MISSING);
        refusedFor(server.graph("DELETE", apps(TestTenant.NEWHIRE) + "/" + NEWHIRES_APP, writeAll, null), Cause.USER_ROLE_MISSING);

        // User Administrator may reset New Hire's password, but does not manage authentication methods.
        megansRole(USER_ADMINISTRATOR);
        HttpResponse<String> r = server.graph("GET", apps(TestTenant.NEWHIRE), readAll, null);
        refusedFor(r, Cause.USER_ROLE_MISSING);
        JsonNode d = json(server.get("/consentry/diagnostics/" + r.headers().firstValue("request-id").orElseThrow()));
        assertThat(d.path("explanation").asText()).contains("User Administrator").contains("Authentication Administrator")
                .contains("Global Reader");
        refusedFor(server.graph("DELETE", apps(TestTenant.NEWHIRE) + "/" + NEWHIRES_APP, writeAll, null), Cause.USER_ROLE_MISSING);
        assertThat(stored(NEWHIRES_APP)).isTrue();
    }

    @Test
    void aGlobalReaderReadsAnyonesMethodsAndChangesNone() throws Exception {
        megansRole(GLOBAL_READER);
        String readAll = megan("UserAuthenticationMethod.Read.All");
        assertThat(server.graph("GET", apps(TestTenant.ADELE), readAll, null).statusCode()).as("a Global Administrator's")
                .isEqualTo(200);
        assertThat(server.graph("GET", "/v1.0/users/" + TestTenant.ADELE_UPN + "/authentication/methods", readAll, null)
                .statusCode()).isEqualTo(200);
        refusedFor(server.graph("DELETE", apps(TestTenant.NEWHIRE) + "/" + NEWHIRES_APP,
                megan("UserAuthenticationMethod.ReadWrite.All"), null), Cause.USER_ROLE_MISSING);
        assertThat(stored(NEWHIRES_APP)).isTrue();
    }

    @Test
    void anAuthenticationAdministratorReachesNonAdminsAndOnlyAPrivilegedOneReachesAGlobalAdministrator() throws Exception {
        megansRole(AUTHENTICATION_ADMINISTRATOR);
        String readAll = megan("UserAuthenticationMethod.Read.All");
        String writeAll = megan("UserAuthenticationMethod.ReadWrite.All");
        assertThat(server.graph("GET", apps(TestTenant.NEWHIRE_UPN), readAll, null).statusCode()).isEqualTo(200);
        assertThat(server.graph("DELETE", apps(TestTenant.NEWHIRE) + "/" + NEWHIRES_APP, writeAll, null).statusCode())
                .isEqualTo(204);
        assertThat(stored(NEWHIRES_APP)).isFalse();
        refusedFor(server.graph("GET", apps(TestTenant.ADELE), readAll, null), Cause.USER_ROLE_MISSING);
        refusedFor(server.graph("DELETE", apps(TestTenant.ADELE) + "/" + ADELES_APP, writeAll, null), Cause.USER_ROLE_MISSING);
        assertThat(stored(ADELES_APP)).isTrue();

        megansRole(PRIVILEGED_AUTHENTICATION_ADMINISTRATOR);
        assertThat(server.graph("DELETE", apps(TestTenant.ADELE) + "/" + ADELES_APP, writeAll, null).statusCode()).isEqualTo(204);
        assertThat(stored(ADELES_APP)).isFalse();
    }

    @Test
    void theGraphSdkListsAndDeletesAuthenticatorApps() throws Exception {
        var reader = GraphSdk.client(server, AuthenticationMethodsTest::daemon);
        List<SoftwareOathAuthenticationMethod> listed = reader.users().byUserId(TestTenant.MEGAN.toString()).authentication()
                .softwareOathMethods().get().getValue();
        assertThat(listed).extracting(SoftwareOathAuthenticationMethod::getId).containsExactly(MEGANS_APP);
        assertThat(listed.get(0).getSecretKey()).isNull();
        assertThat(listed.get(0).getCreatedDateTime()).isEqualTo(REGISTERED.atOffset(ZoneOffset.UTC));
        assertThat(reader.users().byUserId(TestTenant.MEGAN_UPN).authentication().methods().get().getValue())
                .extracting(m -> m.getOdataType()).containsExactly("#microsoft.graph.passwordAuthenticationMethod",
                        "#microsoft.graph.softwareOathAuthenticationMethod");
        GraphSdk.refused(() -> reader.users().byUserId(TestTenant.MEGAN.toString()).authentication().softwareOathMethods()
                .bySoftwareOathAuthenticationMethodId(MEGANS_APP).delete(), 403, "Authorization_RequestDenied");

        var writer = GraphSdk.client(server, AuthenticationMethodsTest::webApp);
        writer.users().byUserId(TestTenant.MEGAN.toString()).authentication().softwareOathMethods()
                .bySoftwareOathAuthenticationMethodId(MEGANS_APP).delete();
        assertThat(stored(MEGANS_APP)).isFalse();
        GraphSdk.refused(() -> writer.users().byUserId(TestTenant.MEGAN.toString()).authentication().softwareOathMethods()
                .bySoftwareOathAuthenticationMethodId(MEGANS_APP).get(), 404, "Request_ResourceNotFound");
    }
}
