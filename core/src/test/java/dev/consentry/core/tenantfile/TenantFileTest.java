package dev.consentry.core.tenantfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AuthorizationPolicy;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.id.AppId;
import dev.consentry.core.secret.SecretHasher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tenant file: reading, normalising, refusing with a JSON path, and the round trip. */
class TenantFileTest {
    static final SecretHasher FAST = new SecretHasher(1_000);
    static final Path EXAMPLE = Path.of("../examples/contoso.tenant.json");

    static List<TenantDirectory> read(String json) throws IOException {
        return TenantFile.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json", FAST);
    }

    static byte[] write(List<TenantDirectory> tenants) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TenantFile.write(tenants, out);
        return out.toByteArray();
    }

    static TenantFileException refused(String json) {
        TenantFileException e = catchThrowableOfType(TenantFileException.class, () -> read(json));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).startsWith("test.json: ").doesNotContain("java.").doesNotContain("Exception");
        return e;
    }

    static String tenant(String body) {
        return "{\"tenants\":[{\"id\":\"7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01\",\"displayName\":\"T\"" + (body.isEmpty() ? "" : "," + body) + "}]}";
    }

    @Test
    void readsTheExampleAndNormalisesIt() throws IOException {
        TenantDirectory t = TenantFile.read(EXAMPLE, FAST).get(0);

        Application daemon = t.applications().get(0);
        assertThat(daemon.passwordCredentials().get(0).secretText()).as("clear text is dropped").isNull();
        assertThat(daemon.passwordCredentials().get(0).hint()).isEqualTo("rep");
        assertThat(SecretHasher.verify("reporting~secret~value~1", daemon.passwordCredentials().get(0).secretHash())).isTrue();
        assertThat(t.users().get(0).passwordProfile().password()).isNull();
        assertThat(SecretHasher.verify("Adele-Passw0rd!", t.users().get(0).passwordProfile().passwordHash())).isTrue();
        assertThat(t.users().get(0).additionalProperties()).containsEntry("jobTitle", "Retail Manager");
        assertThat(t.verifiedDomains()).extracting(v -> v.name()).containsExactly("contoso.onmicrosoft.com", "contoso.com");

        ServicePrincipal daemonSp = t.servicePrincipals().stream().filter(s -> s.appId().equals(daemon.appId())).findFirst().orElseThrow();
        ServicePrincipal api = t.servicePrincipals().stream()
                .filter(s -> s.appId().equals(AppId.of("5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c42"))).findFirst().orElseThrow();
        assertThat(api.servicePrincipalNames()).contains("api://orders.contoso.com");
        assertThat(api.appRoles()).extracting(r -> r.value()).containsExactly("Orders.Read.All");
        assertThat(t.applications().get(1).owners()).extracting(Object::toString).as("Megan owns the Orders API")
                .containsExactly("2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f12");
        assertThat(t.appRoleAssignments()).allSatisfy(a -> assertThat(a.principalId()).as("app id resolved").isEqualTo(daemonSp.id()));
        assertThat(t.appRoleAssignments().get(1).resourceId()).isEqualTo(api.id());
        assertThat(t.servicePrincipals()).extracting(ServicePrincipal::appId).contains(WellKnown.GRAPH_APP_ID, WellKnown.AAD_GRAPH_APP_ID,
                WellKnown.EXCHANGE_APP_ID, WellKnown.SHAREPOINT_APP_ID);
        assertThat(t.servicePrincipals().stream().filter(s -> s.appId().equals(WellKnown.GRAPH_APP_ID)).findFirst().orElseThrow()
                .id().toString()).as("the file's own id for Graph is kept").isEqualTo("8b3c5e76-0d9a-4f2b-8487-1a5c6d3e9f71");
    }

    @Test
    void roundTripsAsValuesAndAsBytes() throws IOException {
        List<TenantDirectory> once = TenantFile.read(EXAMPLE, FAST);
        byte[] written = write(once);
        assertThat(new String(written, StandardCharsets.UTF_8)).doesNotContain("secretText").doesNotContain("Adele-Passw0rd!")
                .contains("\"hint\" : \"rep\"").contains("secretHash");
        List<TenantDirectory> twice = TenantFile.read(new ByteArrayInputStream(written), "again", FAST);
        assertThat(twice).isEqualTo(once);
        assertThat(write(twice)).isEqualTo(written);
    }

    @Test
    void readingIsStableSoReimportAddsNothingNew() throws IOException {
        List<TenantDirectory> a = TenantFile.read(EXAMPLE, FAST);
        List<TenantDirectory> b = TenantFile.read(EXAMPLE, FAST);
        assertThat(b.get(0).servicePrincipals()).extracting(ServicePrincipal::id)
                .isEqualTo(a.get(0).servicePrincipals().stream().map(ServicePrincipal::id).toList());
    }

    @Test
    void demoTenantIsAValidTenantFile() throws IOException {
        DemoTenant demo = DemoTenant.create(Instant.parse("2026-01-01T00:00:00Z"), new Random(42), FAST);
        byte[] written = write(List.of(demo.directory()));
        assertThat(TenantFile.read(new ByteArrayInputStream(written), "demo", FAST)).containsExactly(demo.directory());
        assertThat(demo.credentials()).hasSize(4).allSatisfy(c -> assertThat(new String(written, StandardCharsets.UTF_8))
                .doesNotContain(c.secret()));
        assertThat(DemoTenant.create(Instant.parse("2026-01-01T00:00:00Z"), new Random(42), FAST).credentials())
                .as("seeded randomness gives the same secrets").isEqualTo(demo.credentials());
    }

    // ---- refusals ----------------------------------------------------------------------------------

    @Test
    void invalidJsonNamesLineAndColumn() {
        TenantFileException e = refused("{\"tenants\": [ {\"id\": } ]}");
        assertThat(e.path()).isEqualTo("$.tenants[0]");
        assertThat(e.getMessage()).contains("not valid JSON at line 1, column");
    }

    @Test
    void aUsersMailCalendarAndFilesMustBeArraysOfObjectsWithIsoTimes() {
        String user = "\"users\":[{\"id\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\",\"userPrincipalName\":\"a@b.c\",";
        TenantFileException notArray = refused(tenant(user + "\"messages\":{\"subject\":\"x\"}}]"));
        assertThat(notArray.path()).isEqualTo("$.tenants[0].users[0].messages");
        assertThat(notArray.getMessage()).contains("expected an array of message objects");
        TenantFileException notObject = refused(tenant(user + "\"events\":[{\"subject\":\"a\"},42]}]"));
        assertThat(notObject.path()).isEqualTo("$.tenants[0].users[0].events[1]");
        TenantFileException badTime = refused(tenant(user + "\"messages\":[{\"receivedDateTime\":\"yesterday\"}]}]"));
        assertThat(badTime.path()).isEqualTo("$.tenants[0].users[0].messages[0].receivedDateTime");
        assertThat(badTime.getMessage()).contains("ISO 8601");
    }

    @Test
    void wrongTypeNamesThePathAndTheExpectation() {
        TenantFileException e = refused(tenant("\"users\":[{\"id\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\","
                + "\"userPrincipalName\":\"a@b.c\",\"accountEnabled\":\"yes\"}]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].users[0].accountEnabled");
        assertThat(e.getMessage()).contains("expected true or false, found the string \"yes\"");
    }

    @Test
    void theAuthorizationPolicyIsReadInGraphsShapeKeptWholeAndItsTyposRefused() throws IOException {
        TenantDirectory t = read(tenant("\"authorizationPolicy\":{\"allowInvitesFrom\":\"none\",\"defaultUserRolePermissions\":"
                + "{\"allowedToCreateApps\":false,\"permissionGrantPoliciesAssigned\":[]}}")).get(0);
        assertThat(t.authorizationPolicy().userConsentPolicies()).isEmpty();
        assertThat(t.authorizationPolicy().additionalProperties()).containsEntry("allowInvitesFrom", "none");
        assertThat(new String(write(List.of(t)), StandardCharsets.UTF_8)).contains("\"allowedToCreateApps\" : false");
        assertThat(read(new String(write(List.of(t)), StandardCharsets.UTF_8))).containsExactly(t);
        assertThat(read(tenant("")).get(0).authorizationPolicy().userConsentPolicies())
                .as("left out: users may consent").containsExactly(AuthorizationPolicy.USER_CONSENT_LEGACY);

        TenantFileException typo = refused(tenant("\"authorizationPolicy\":{\"defaultUserRolePermissions\":"
                + "{\"permissionGrantPolicyAssigned\":[]}}"));
        assertThat(typo.path()).isEqualTo("$.tenants[0].authorizationPolicy.defaultUserRolePermissions.permissionGrantPolicyAssigned");
        assertThat(typo.getMessage()).contains("did you mean permissionGrantPoliciesAssigned?");
        TenantFileException old = refused(tenant("\"settings\":{\"usersCanConsent\":false}"));
        assertThat(old.path()).isEqualTo("$.tenants[0].settings.usersCanConsent");
    }

    @Test
    void conditionalAccessPoliciesFollowEntrasRulesAndNameOnlyUsersAndGroupsOfTheTenant() {
        String user = "\"users\":[{\"id\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\",\"userPrincipalName\":\"a@b.c\"}],";
        String ok = "{\"id\":\"p1\",\"displayName\":\"MFA\",\"state\":\"enabled\",\"conditions\":{\"users\":{\"includeUsers\":"
                + "[\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\"]},\"applications\":{\"includeApplications\":[\"All\"]}},"
                + "\"grantControls\":{\"operator\":\"OR\",\"builtInControls\":[\"mfa\"]}}";
        assertThat(catchThrowableOfType(TenantFileException.class,
                () -> read(tenant(user + "\"conditionalAccessPolicies\":[" + ok + "]")))).isNull();
        TenantFileException unknown = refused(tenant(user + "\"conditionalAccessPolicies\":["
                + ok.replace("2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11", "2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f12") + "]"));
        assertThat(unknown.path()).isEqualTo("$.tenants[0].conditionalAccessPolicies[0].conditions.users.includeUsers[0]");
        assertThat(unknown.getMessage()).contains("no user of the tenant has the id");
        TenantFileException block = refused(tenant(user + "\"conditionalAccessPolicies\":["
                + ok.replace("[\"mfa\"]", "[\"block\",\"mfa\"]") + "]"));
        assertThat(block.path()).isEqualTo("$.tenants[0].conditionalAccessPolicies[0].grantControls.builtInControls");
        String hourly = ok.replace("\"grantControls\"", "\"sessionControls\":{\"signInFrequency\":{\"value\":4,"
                + "\"type\":\"hours\",\"isEnabled\":true}},\"grantControls\"");
        assertThat(catchThrowableOfType(TenantFileException.class,
                () -> read(tenant(user + "\"conditionalAccessPolicies\":[" + hourly + "]")))).isNull();
        TenantFileException weekly = refused(tenant(user + "\"conditionalAccessPolicies\":["
                + hourly.replace("\"hours\"", "\"weeks\"") + "]"));
        assertThat(weekly.path()).isEqualTo("$.tenants[0].conditionalAccessPolicies[0].sessionControls.signInFrequency.type");
        TenantFileException tooMany = refused(tenant(user + "\"conditionalAccessPolicies\":["
                + hourly.replace("\"value\":4", "\"value\":24") + "]"));
        assertThat(tooMany.path()).isEqualTo("$.tenants[0].conditionalAccessPolicies[0].sessionControls.signInFrequency.value");
    }

    @Test
    void authenticatorAppsBelongToAUserOfTheTenantAndHoldABase32SecretOfAtLeast80Bits() throws IOException {
        String user = "\"users\":[{\"id\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\",\"userPrincipalName\":\"a@b.c\"}],";
        String ok = "{\"id\":\"m1\",\"userId\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\",\"secretKey\":\"JBSWY3DPEHPK3PXP\"}";
        TenantDirectory read = read(tenant(user + "\"softwareOathMethods\":[" + ok + "]")).get(0);
        assertThat(read.softwareOathMethods()).singleElement().satisfies(m -> assertThat(m.secretKey()).isEqualTo("JBSWY3DPEHPK3PXP"));
        assertThat(new String(write(List.of(read)), StandardCharsets.UTF_8)).as("export keeps the secret")
                .contains("\"secretKey\" : \"JBSWY3DPEHPK3PXP\"");

        TenantFileException stranger = refused(tenant(user + "\"softwareOathMethods\":["
                + ok.replace("3f11\",\"secretKey", "3f12\",\"secretKey") + "]"));
        assertThat(stranger.path()).isEqualTo("$.tenants[0].softwareOathMethods[0].userId");
        TenantFileException notBase32 = refused(tenant(user + "\"softwareOathMethods\":[" + ok.replace("JBSWY3DPEHPK3PXP",
                "JBSWY3DPEHPK3PX1") + "]"));
        assertThat(notBase32.path()).isEqualTo("$.tenants[0].softwareOathMethods[0].secretKey");
        assertThat(notBase32.getMessage()).contains("not Base32");
        assertThat(refused(tenant(user + "\"softwareOathMethods\":[" + ok.replace("JBSWY3DPEHPK3PXP", "JBSWY3DP") + "]"))
                .getMessage()).contains("fewer than 80 bits");
        assertThat(refused(tenant(user + "\"softwareOathMethods\":[" + ok.replace("secretKey", "secretKy") + "]")).getMessage())
                .contains("secretKy");
    }

    @Test
    void authenticationContextsNameAContextIdAndOperationsGraphHas() throws IOException {
        String ok = "\"settings\":{\"authenticationContexts\":[{\"id\":\"c1\",\"operations\":["
                + "\"POST /users/{id}/authentication/methods/{id}/resetPassword\"]}]}";
        TenantDirectory read = read(tenant(ok)).get(0);
        assertThat(read.settings().contextFor("post", List.of("/users/{id}/authentication/methods/{id}/resetpassword")))
                .contains("c1");
        assertThat(read.settings().contextFor("GET", List.of("/users/{id}/authentication/methods/{id}/resetpassword")))
                .isEmpty();
        TenantFileException id = refused(tenant(ok.replace("\"c1\"", "\"c100\"")));
        assertThat(id.path()).isEqualTo("$.tenants[0].settings.authenticationContexts[0].id");
        TenantFileException shape = refused(tenant(ok.replace("POST /users", "/users")));
        assertThat(shape.path()).isEqualTo("$.tenants[0].settings.authenticationContexts[0].operations[0]");
        assertThat(refused(tenant(ok.replace("resetPassword", "resetPasword"))).getMessage())
                .contains("not a path template of Microsoft Graph");
    }

    @Test
    void theLogRetentionIsTheTenantsToSetWithinBoundsAndRoundTrips() throws IOException {
        TenantDirectory read = read(tenant("\"settings\":{\"logRetentionDays\":7,\"logRetentionEntries\":5000}")).get(0);
        assertThat(read.settings().logRetention()).isEqualTo(new TenantSettings.LogRetention(7, 5000));
        assertThat(new String(write(List.of(read)), StandardCharsets.UTF_8)).contains("\"logRetentionDays\" : 7")
                .contains("\"logRetentionEntries\" : 5000");
        assertThat(read(tenant("")).get(0).settings().logRetention()).isEqualTo(TenantSettings.LogRetention.DEFAULT);
        TenantFileException days = refused(tenant("\"settings\":{\"logRetentionDays\":0}"));
        assertThat(days.path()).isEqualTo("$.tenants[0].settings.logRetentionDays");
        assertThat(days.getMessage()).contains("the logs keep 1 to 365 days, not 0");
        TenantFileException entries = refused(tenant("\"settings\":{\"logRetentionEntries\":2000000}"));
        assertThat(entries.path()).isEqualTo("$.tenants[0].settings.logRetentionEntries");
        TenantFileException type = refused(tenant("\"settings\":{\"logRetentionDays\":\"a week\"}"));
        assertThat(type.getMessage()).contains("logRetentionDays");
    }

    @Test
    void notAGuid() {
        TenantFileException e = refused(tenant("\"users\":[{\"id\":\"42\",\"userPrincipalName\":\"a@b.c\"}]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].users[0].id");
        assertThat(e.getMessage()).contains("expected a GUID");
    }

    @Test
    void missingRequiredProperty() {
        TenantFileException e = refused(tenant("\"applications\":[{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31\"}]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].applications[0]");
        assertThat(e.getMessage()).contains("required property 'appId' is missing");
    }

    @Test
    void aRedirectUriEntraWouldRefuseIsRefusedWithItsPath() {
        String app = "\"applications\":[{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31\",\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c49\","
                + "\"displayName\":\"A\",";
        TenantFileException script = refused(tenant(app + "\"web\":{\"redirectUris\":[\"https://ok.contoso.com\","
                + "\"javascript:alert(1)\"]}}]"));
        assertThat(script.path()).isEqualTo("$.tenants[0].applications[0].web.redirectUris[1]");
        assertThat(script.getMessage()).contains("'javascript:' is never a redirect URI's");
        TenantFileException cleartext = refused(tenant(app + "\"spa\":{\"redirectUris\":[\"http://spa.contoso.com\"]}}]"));
        assertThat(cleartext.path()).isEqualTo("$.tenants[0].applications[0].spa.redirectUris[0]");
        TenantFileException custom = refused(tenant(app + "\"web\":{\"redirectUris\":[\"myapp://cb\"]}}]"));
        assertThat(custom.getMessage()).contains("only for public client");
    }

    @Test
    void notAnArray() {
        TenantFileException e = refused(tenant("\"users\":{}"));
        assertThat(e.path()).isEqualTo("$.tenants[0].users");
        assertThat(e.getMessage()).contains("expected an array");
    }

    @Test
    void licenceForAnUnknownSku() {
        TenantFileException e = refused(tenant("\"users\":[{\"id\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\",\"userPrincipalName\":\"a@b.c\","
                + "\"assignedLicenses\":[{\"skuId\":\"6fd2c87f-b296-42f0-b197-1e91e994b900\"}]}]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].users[0].assignedLicenses[0].skuId");
        assertThat(e.getMessage()).contains("not among the tenant's subscribedSkus");
    }

    @Test
    void assignmentToAnUnknownPrincipal() {
        TenantFileException e = refused(tenant("\"appRoleAssignments\":[{\"principalId\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f99\","
                + "\"resourceId\":\"00000003-0000-0000-c000-000000000000\",\"appRoleId\":\"df021288-bdef-4463-88db-98f22de89214\"}]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].appRoleAssignments[0].principalId");
    }

    @Test
    void assignmentOfARoleTheResourceDoesNotDefine() {
        TenantFileException e = refused(tenant("\"applications\":[{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31\","
                + "\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\"}],"
                + "\"appRoleAssignments\":[{\"principalId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\","
                + "\"resourceId\":\"00000003-0000-0000-c000-000000000000\",\"appRoleId\":\"11111111-2222-3333-4444-555555555555\"}]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].appRoleAssignments[0].appRoleId");
        assertThat(e.getMessage()).contains("defines no app role");
    }

    /** An API exposing one role for users only and one for applications, a client app, and {@code assignments}. */
    static String apiWithUserAndAppRoles(String assignments) {
        return tenant("\"applications\":[{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31\","
                + "\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\",\"displayName\":\"Orders API\",\"appRoles\":["
                + "{\"id\":\"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d41\",\"value\":\"Orders.Approve\",\"allowedMemberTypes\":[\"User\"]},"
                + "{\"id\":\"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d42\",\"value\":\"Orders.Read.All\",\"allowedMemberTypes\":[\"Application\"]}]},"
                + "{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b32\",\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c43\","
                + "\"displayName\":\"Orders Daemon\"}],"
                + "\"users\":[{\"id\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\",\"userPrincipalName\":\"a@b.c\"}],"
                + "\"appRoleAssignments\":[" + assignments + "]");
    }

    @Test
    void aRoleForUsersOnlyIsNotAssignedToAServicePrincipal() throws IOException {
        TenantFileException e = refused(apiWithUserAndAppRoles("{\"principalId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c43\","
                + "\"resourceId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\",\"appRoleId\":\"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d41\"}"));
        assertThat(e.path()).isEqualTo("$.tenants[0].appRoleAssignments[0].appRoleId");
        assertThat(e.getMessage()).contains("Orders.Approve").contains("Orders Daemon").contains("allowedMemberTypes")
                .contains("Application");

        // The same role for a user, and the application role for the service principal, are fine.
        assertThat(read(apiWithUserAndAppRoles("{\"principalId\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\","
                + "\"resourceId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\",\"appRoleId\":\"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d41\"},"
                + "{\"principalId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c43\","
                + "\"resourceId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\",\"appRoleId\":\"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d42\"}"))
                .get(0).appRoleAssignments()).hasSize(2);
    }

    /** The API and daemon of {@link #apiWithUserAndAppRoles} with {@code owners} on the API's application and principal. */
    static String ownedApi(String appOwners, String spOwners) {
        return tenant("\"applications\":[{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31\","
                + "\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\",\"displayName\":\"Orders API\",\"owners\":[" + appOwners
                + "]},{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b32\",\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c43\","
                + "\"displayName\":\"Orders Daemon\"}],"
                + "\"servicePrincipals\":[{\"id\":\"9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c61\","
                + "\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\",\"owners\":[" + spOwners + "]}],"
                + "\"users\":[{\"id\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\",\"userPrincipalName\":\"a@b.c\"}],"
                + "\"groups\":[{\"id\":\"3c7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\",\"displayName\":\"G\"}]");
    }

    @Test
    void ownersAreUsersOrServicePrincipalsOfTheTenantAndAPrincipalMayBeNamedByAppId() throws IOException {
        TenantDirectory t = read(ownedApi("\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\", \"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c43\"",
                "\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\"")).get(0);
        ServicePrincipal daemon = t.servicePrincipals().stream()
                .filter(s -> s.appId().equals(AppId.of("5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c43"))).findFirst().orElseThrow();
        assertThat(t.applications().get(0).owners()).extracting(Object::toString)
                .as("the daemon's app id becomes its service principal's object id")
                .containsExactly("2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11", daemon.id().toString());
        assertThat(t.servicePrincipals().get(0).owners()).extracting(Object::toString)
                .containsExactly("2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11");
        assertThat(read(new String(write(List.of(t)), StandardCharsets.UTF_8))).as("export writes them back")
                .isEqualTo(List.of(t));

        TenantFileException unknown = refused(ownedApi("\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f99\"", ""));
        assertThat(unknown.path()).isEqualTo("$.tenants[0].applications[0].owners[0]");
        assertThat(unknown.getMessage()).contains("no user or service principal");
        TenantFileException group = refused(ownedApi("", "\"3c7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\""));
        assertThat(group.path()).as("a group owns no app").isEqualTo("$.tenants[0].servicePrincipals[0].owners[0]");
        assertThat(refused(ownedApi("\"someone\"", "")).path()).isEqualTo("$.tenants[0].applications[0].owners[0]");
    }

    @Test
    void duplicateTenantIdsAndDomains() {
        String t = "{\"id\":\"7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01\",\"verifiedDomains\":[\"a.com\"]}";
        assertThat(refused("{\"tenants\":[" + t + "," + t + "]}").path()).isEqualTo("$.tenants[1].id");
        String other = "{\"id\":\"7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a02\",\"verifiedDomains\":[\"A.com\"]}";
        assertThat(refused("{\"tenants\":[" + t + "," + other + "]}").path()).isEqualTo("$.tenants[1].verifiedDomains[0]");
    }

    @Test
    void consumersTenantTakesPersonalAccountsButNoAppsOrDomains() throws Exception {
        String consumers = "{\"tenants\":[{\"id\":\"9188040d-6c67-4c5b-b112-36a304b66dad\",";
        TenantFileException apps = refused(consumers + "\"applications\":[{\"id\":\"0b0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f\","
                + "\"appId\":\"1b0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f\"}]}]}");
        assertThat(apps.path()).isEqualTo("$.tenants[0].applications");
        assertThat(apps.getMessage()).contains("registers no applications");
        assertThat(refused(consumers + "\"verifiedDomains\":[\"outlook.com\"]}]}").path())
                .isEqualTo("$.tenants[0].verifiedDomains");
        TenantDirectory personal = read(consumers + "\"users\":[{\"id\":\"2b0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f\","
                + "\"userPrincipalName\":\"alex@outlook.com\",\"passwordProfile\":{\"password\":\"x-Passw0rd\"}}]}]}").get(0);
        assertThat(personal.users()).extracting(u -> u.userPrincipalName()).containsExactly("alex@outlook.com");
        assertThat(personal.users().get(0).passwordProfile().password()).as("stored hashed").isNull();
    }

    @Test
    void duplicateObjectIds() {
        String u = "{\"id\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11\",\"userPrincipalName\":\"a@b.c\"}";
        assertThat(refused(tenant("\"users\":[" + u + "," + u + "]")).path()).isEqualTo("$.tenants[0].users[1].id");
    }

    @Test
    void undecodableCertificate() {
        TenantFileException e = refused(tenant("\"applications\":[{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31\","
                + "\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\",\"keyCredentials\":[{\"keyId\":\"6f1a3c54-8b7e-4d0f-a265-9e3a4b1c7d51\","
                + "\"key\":\"bm90IGEgY2VydA==\"}]}]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].applications[0].keyCredentials[0].key");
        assertThat(e.getMessage()).contains("X.509 certificate");
    }

    @Test
    void secretWithoutTextOrHash() {
        TenantFileException e = refused(tenant("\"applications\":[{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31\","
                + "\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\",\"passwordCredentials\":[{\"keyId\":\"6f1a3c54-8b7e-4d0f-a265-9e3a4b1c7d51\"}]}]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].applications[0].passwordCredentials[0]");
    }

    @Test
    void badErrorProfile() {
        TenantFileException e = refused(tenant("\"settings\":{\"errorProfile\":\"strict\"}"));
        assertThat(e.path()).isEqualTo("$.tenants[0].settings.errorProfile");
        assertThat(e.getMessage()).contains("troubleshooting-guide");
    }

    @Test
    void missingFileAndMissingTenants() throws IOException {
        TenantFileException e = catchThrowableOfType(TenantFileException.class, () -> TenantFile.read(Path.of("no-such.json"), FAST));
        assertThat(e.getMessage()).contains("does not exist");
        assertThat(refused("{}").getMessage()).contains("\"tenants\" array");
        Path empty = Files.createTempFile("empty", ".json");
        assertThat(catchThrowableOfType(TenantFileException.class, () -> TenantFile.read(empty, FAST))).isNotNull();
        Files.delete(empty);
    }
}
