package dev.consentry.core.tenantfile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import dev.consentry.core.tenantfile.generator.Csdl;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant file holding what Graph returns: objects carrying every property Graph's v1.0 metadata defines for their
 * types, nested ones included (app roles, scopes, credentials, platforms, licences, password profile, domains,
 * service plans), with plausible values. Such a file loads and round-trips; a wrong value of a property Consentry
 * reads is refused naming it; a property Graph does not define is refused, nested or not (see GraphPropertyNamesTest).
 */
class GraphShapedTenantFileTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String TENANT = "7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01";
    static final String APP_ID = "5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c42";
    static final String SKU = "6fd2c87f-b296-42f0-b197-1e91e994b900";
    static final String GRAPH = "00000003-0000-0000-c000-000000000000";
    static final String USER_READ_ALL = "df021288-bdef-4463-88db-98f22de89214";
    static GraphMetadata metadata;
    static String certificate;

    @BeforeAll
    static void readMetadata() throws IOException {
        metadata = GraphMetadata.v1();
        try (InputStream in = GraphShapedTenantFileTest.class.getResourceAsStream("fixture-certificate.b64")) {
            certificate = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    /** A sample value of a CSDL type; {@code path} is the JSON path inside the object, for the overrides. */
    static JsonNode sample(String type, String path, int depth) {
        if (type.startsWith("Collection(")) {
            ArrayNode a = NODES.arrayNode();
            JsonNode element = sample(type.substring("Collection(".length(), type.length() - 1), path + "[]", depth);
            if (element != null) {
                a.add(element);
            }
            return a;
        }
        JsonNode override = override(path);
        if (override != null) {
            return override;
        }
        return switch (type) {
            case "Edm.String" -> NODES.textNode("sample text");
            case "Edm.Guid" -> NODES.textNode("3b1a9c2e-5d4f-4e6a-8b7c-9d0e1f2a3b4c");
            case "Edm.Boolean" -> NODES.booleanNode(true);
            case "Edm.Int32", "Edm.Int64", "Edm.Int16", "Edm.Byte" -> NODES.numberNode(2);
            case "Edm.Double", "Edm.Single", "Edm.Decimal" -> NODES.numberNode(1.5);
            case "Edm.DateTimeOffset" -> NODES.textNode("2026-01-01T00:00:00Z");
            case "Edm.Date" -> NODES.textNode("2026-01-01");
            case "Edm.TimeOfDay" -> NODES.textNode("08:00:00");
            case "Edm.Duration" -> NODES.textNode("PT1H");
            case "Edm.Binary" -> NODES.textNode("AAECAwQ=");
            case "Edm.Stream" -> null;
            default -> {
                Csdl.Type t = metadata.type(type);
                if (t == null) {
                    yield NODES.textNode("sample text");
                }
                if (t.kind() == Csdl.Kind.ENUM_TYPE) {
                    yield NODES.textNode(t.members().get(0));
                }
                yield depth > 3 ? NODES.objectNode() : object(t.name(), path, depth + 1);
            }
        };
    }

    /** Every structural property of {@code type} with a sample value. */
    static ObjectNode object(String type, String path, int depth) {
        ObjectNode o = NODES.objectNode();
        metadata.properties(type).forEach((name, propertyType) -> {
            JsonNode v = sample(propertyType, path + "." + name, depth);
            if (v != null) {
                o.set(name, v);
            }
        });
        return o;
    }

    /** Values that Consentry reads and checks, made plausible; everything else keeps its generic sample. */
    static JsonNode override(String path) {
        return switch (path) {
            case "application.id" -> NODES.textNode("4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31");
            case "application.appId", "servicePrincipal.appId" -> NODES.textNode(APP_ID);
            case "servicePrincipal.id" -> NODES.textNode("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d");
            case "application.signInAudience" -> NODES.textNode("AzureADMyOrg");
            case "application.identifierUris[]" -> NODES.textNode("api://orders.contoso.com");
            case "application.appRoles[].value", "servicePrincipal.appRoles[].value" -> NODES.textNode("Orders.Read.All");
            case "application.appRoles[].allowedMemberTypes[]", "servicePrincipal.appRoles[].allowedMemberTypes[]" ->
                    NODES.textNode("Application");
            case "application.appRoles[].id", "servicePrincipal.appRoles[].id" -> NODES.textNode("0566419e-bb95-4d9d-a4f8-ed9a0f147fa6");
            case "application.api.oauth2PermissionScopes[].type", "servicePrincipal.oauth2PermissionScopes[].type" ->
                    NODES.textNode("User");
            case "application.api.oauth2PermissionScopes[].value", "servicePrincipal.oauth2PermissionScopes[].value" ->
                    NODES.textNode("Orders.Read");
            case "application.api.requestedAccessTokenVersion" -> NODES.numberNode(2);
            case "application.requiredResourceAccess[].resourceAppId" -> NODES.textNode(GRAPH);
            case "application.requiredResourceAccess[].resourceAccess[].id" -> NODES.textNode(USER_READ_ALL);
            case "application.requiredResourceAccess[].resourceAccess[].type" -> NODES.textNode("Role");
            case "application.passwordCredentials[].secretText" -> NODES.textNode("orders~secret~value~1");
            case "application.passwordCredentials[].hint" -> NODES.textNode("ord");
            case "application.keyCredentials[].key", "servicePrincipal.keyCredentials[].key" -> NODES.textNode(certificate);
            case "application.keyCredentials[].type", "servicePrincipal.keyCredentials[].type" ->
                    NODES.textNode("AsymmetricX509Cert");
            case "application.keyCredentials[].usage", "servicePrincipal.keyCredentials[].usage" -> NODES.textNode("Verify");
            case "application.web.redirectUris[]", "application.spa.redirectUris[]" -> NODES.textNode("https://localhost:5001/signin-oidc");
            case "application.publicClient.redirectUris[]" -> NODES.textNode("http://localhost");
            case "application.isFallbackPublicClient" -> NODES.booleanNode(false);
            case "user.id" -> NODES.textNode("2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11");
            case "user.userPrincipalName" -> NODES.textNode("adele@contoso.com");
            case "user.passwordProfile.password" -> NODES.textNode("Adele-Passw0rd!");
            case "user.assignedLicenses[].skuId", "subscribedSku.skuId" -> NODES.textNode(SKU);
            case "verifiedDomain.name" -> NODES.textNode("contoso.com");
            default -> null;
        };
    }

    static ObjectNode tenant() {
        ObjectNode t = NODES.objectNode();
        t.put("id", TENANT);
        t.put("displayName", "Contoso");
        t.putArray("verifiedDomains").add(object("verifiedDomain", "verifiedDomain", 0));
        t.putArray("subscribedSkus").add(object("subscribedSku", "subscribedSku", 0));
        t.putArray("users").add(object("user", "user", 0));
        t.putArray("applications").add(object("application", "application", 0));
        t.putArray("servicePrincipals").add(object("servicePrincipal", "servicePrincipal", 0));
        return t;
    }

    static List<TenantDirectory> load(ObjectNode tenant) throws IOException {
        ObjectNode root = NODES.objectNode();
        root.putArray("tenants").add(tenant);
        return TenantFile.read(new ByteArrayInputStream(JSON.writeValueAsBytes(root)), "test.json", TenantFileTest.FAST);
    }

    static TenantFileException refused(Consumer<ObjectNode> change) {
        ObjectNode t = tenant();
        change.accept(t);
        try {
            load(t);
        } catch (TenantFileException e) {
            assertThat(e.getMessage()).doesNotContain("java.").doesNotContain("Exception");
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the file was accepted");
    }

    static ObjectNode app(ObjectNode tenant) {
        return (ObjectNode) tenant.path("applications").path(0);
    }

    @Test
    void theFixtureHasEveryPropertyTheMetadataDefinesForTheNestedTypes() {
        ObjectNode app = app(tenant());
        for (Map.Entry<String, JsonNode> nested : Map.of(
                "appRole", app.path("appRoles").path(0),
                "permissionScope", app.path("api").path("oauth2PermissionScopes").path(0),
                "apiApplication", app.path("api"),
                "passwordCredential", app.path("passwordCredentials").path(0),
                "keyCredential", app.path("keyCredentials").path(0),
                "requiredResourceAccess", app.path("requiredResourceAccess").path(0),
                "resourceAccess", app.path("requiredResourceAccess").path(0).path("resourceAccess").path(0),
                "webApplication", app.path("web"),
                "spaApplication", app.path("spa"),
                "publicClientApplication", app.path("publicClient")).entrySet()) {
            assertThat(iterable(nested.getValue().fieldNames())).as(nested.getKey())
                    .containsExactlyInAnyOrderElementsOf(metadata.properties(nested.getKey()).keySet());
        }
        assertThat(app.path("appRoles").path(0).has("origin")).isTrue();
    }

    static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void aTenantWithEveryGraphPropertyLoadsAndRoundTrips() throws IOException {
        TenantDirectory t = load(tenant()).get(0);

        Application app = t.applications().get(0);
        assertThat(app.appRoles().get(0).value()).isEqualTo("Orders.Read.All");
        assertThat(app.appRoles().get(0).additionalProperties()).containsEntry("origin", "sample text");
        assertThat(app.api().oauth2PermissionScopes().get(0).additionalProperties())
                .containsKeys("origin", "adminConsentDescription", "userConsentDescription");
        assertThat(app.api().additionalProperties()).containsKeys("acceptMappedClaims", "knownClientApplications",
                "preAuthorizedApplications");
        assertThat(app.web().additionalProperties()).containsKeys("homePageUrl", "implicitGrantSettings", "redirectUriSettings");
        assertThat(app.passwordCredentials().get(0).hint()).as("hashed as usual").isEqualTo("ord");
        assertThat(app.keyCredentials().get(0).key()).isEqualTo(certificate);
        User user = t.users().get(0);
        assertThat(user.passwordProfile().additionalProperties()).containsKey("forceChangePasswordNextSignInWithMfa");
        assertThat(user.assignedLicenses().get(0).skuId().toString()).isEqualTo(SKU);
        assertThat(t.verifiedDomains().get(0).additionalProperties()).containsKey("capabilities");
        assertThat(t.subscribedSkus().get(0).servicePlans().get(0).servicePlanName()).isEqualTo("sample text");
        ServicePrincipal sp = t.servicePrincipals().stream().filter(s -> s.appId().toString().equals(APP_ID)).findFirst()
                .orElseThrow();
        assertThat(sp.appRoles().get(0).additionalProperties()).containsKey("origin");

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        TenantFile.write(List.of(t), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"origin\"").contains("\"implicitGrantSettings\"");
        List<TenantDirectory> again = TenantFile.read(new ByteArrayInputStream(out.toByteArray()), "again", TenantFileTest.FAST);
        assertThat(again).containsExactly(t);
    }

    @Test
    void nullsAsGraphWritesThemLoadAndRoundTrip() throws IOException {
        ObjectNode t = tenant();
        ((ObjectNode) app(t).path("web")).putNull("homePageUrl");
        ((ObjectNode) app(t).path("appRoles").path(0)).putNull("origin");
        ((ObjectNode) app(t).path("appRoles").path(0)).putNull("description");
        TenantDirectory loaded = load(t).get(0);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        TenantFile.write(List.of(loaded), out);
        assertThat(TenantFile.read(new ByteArrayInputStream(out.toByteArray()), "again", TenantFileTest.FAST))
                .containsExactly(loaded);
    }

    @Test
    void aWrongValueOfAPropertyConsentryReadsIsRefusedNamingIt() {
        String app = "$.tenants[0].applications[0]";
        TenantFileException enabled = refused(t -> ((ObjectNode) app(t).path("appRoles").path(0)).put("isEnabled", "yes"));
        assertThat(enabled.path()).isEqualTo(app + ".appRoles[0].isEnabled");
        assertThat(enabled.getMessage()).contains("expected true or false, found the string \"yes\"");

        TenantFileException members = refused(t -> ((ObjectNode) app(t).path("appRoles").path(0))
                .put("allowedMemberTypes", "Application"));
        assertThat(members.path()).isEqualTo(app + ".appRoles[0].allowedMemberTypes");
        assertThat(members.getMessage()).contains("expected an array");

        TenantFileException scopeId = refused(t -> ((ObjectNode) app(t).path("api").path("oauth2PermissionScopes").path(0))
                .put("id", "42"));
        assertThat(scopeId.path()).isEqualTo(app + ".api.oauth2PermissionScopes[0].id");
        assertThat(scopeId.getMessage()).contains("expected a GUID");

        TenantFileException version = refused(t -> ((ObjectNode) app(t).path("api")).put("requestedAccessTokenVersion", "two"));
        assertThat(version.path()).isEqualTo(app + ".api.requestedAccessTokenVersion");
        assertThat(version.getMessage()).contains("expected a whole number");

        TenantFileException access = refused(t -> ((ObjectNode) app(t).path("requiredResourceAccess").path(0)
                .path("resourceAccess").path(0)).put("id", 7));
        assertThat(access.path()).isEqualTo(app + ".requiredResourceAccess[0].resourceAccess[0].id");

        TenantFileException redirect = refused(t -> ((ObjectNode) app(t).path("web")).put("redirectUris", "https://x"));
        assertThat(redirect.path()).isEqualTo(app + ".web.redirectUris");
        assertThat(redirect.getMessage()).contains("expected an array");

        TenantFileException force = refused(t -> ((ObjectNode) t.path("users").path(0).path("passwordProfile"))
                .put("forceChangePasswordNextSignIn", "no"));
        assertThat(force.path()).isEqualTo("$.tenants[0].users[0].passwordProfile.forceChangePasswordNextSignIn");
        assertThat(force.getMessage()).contains("expected true or false");

        TenantFileException domain = refused(t -> ((ObjectNode) t.path("verifiedDomains").path(0)).put("isDefault", "yes"));
        assertThat(domain.path()).isEqualTo("$.tenants[0].verifiedDomains[0].isDefault");
    }

    @Test
    void aNestedPropertyGraphDoesNotDefineIsRefusedAsAtTheTopLevel() {
        TenantFileException nested = refused(t -> ((ObjectNode) app(t).path("appRoles").path(0)).put("contosoNote", "mine"));
        assertThat(nested.path()).isEqualTo("$.tenants[0].applications[0].appRoles[0].contosoNote");
        assertThat(nested.getMessage()).contains("unknown property 'contosoNote'");
        TenantFileException top = refused(t -> app(t).put("contosoTopLevelNote", "mine"));
        assertThat(top.path()).isEqualTo("$.tenants[0].applications[0].contosoTopLevelNote");
    }

    @Test
    void propertiesConsentryDoesNotModelAreWrittenBackByExport() throws IOException {
        ObjectNode t = tenant();
        ((ObjectNode) app(t).path("appRoles").path(0)).put("origin", "Application");
        ((ObjectNode) t.path("users").path(0).path("passwordProfile")).put("forceChangePasswordNextSignInWithMfa", false);
        t.put("street", "1 Microsoft Way");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        TenantFile.write(load(t), out);
        JsonNode written = new ObjectMapper().readTree(out.toByteArray()).path("tenants").path(0);
        assertThat(written.path("street").asText()).isEqualTo("1 Microsoft Way");
        assertThat(written.path("applications").path(0).path("appRoles").path(0).path("origin").asText())
                .isEqualTo("Application");
        assertThat(written.path("users").path(0).path("passwordProfile").path("forceChangePasswordNextSignInWithMfa")
                .isBoolean()).isTrue();
        assertThat(written.path("applications").path(0).has("additionalProperties")).isFalse();
    }

    @Test
    void anUnknownPropertyOutsideGraphObjectsIsNamed() {
        TenantFileException e = TenantFileTest.refused("{\"tenants\": [], \"tenant\": {}}");
        assertThat(e.path()).isEqualTo("$.tenant");
        assertThat(e.getMessage()).contains("unknown property 'tenant'").contains("tenants");
    }
}
