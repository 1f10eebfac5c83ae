package dev.consentry.server.graph;

import static dev.consentry.server.testing.GraphReplies.json;
import static dev.consentry.server.testing.GraphReplies.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.graph.applications.item.addkey.AddKeyPostRequestBody;
import com.microsoft.graph.applications.item.removekey.RemoveKeyPostRequestBody;
import com.microsoft.graph.models.Application;
import com.microsoft.graph.models.KeyCredential;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.identity.key.Certificates;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.Proofs;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graph's {@code addKey} and {@code removeKey} through real clients: the Graph Java SDK rolls an application's
 * certificate with a proof of possession, MSAL4J signs in with the new certificate at once and no longer with the
 * removed one; every refusal of the two actions (body, proof, unknown key), each with Graph's status and code and with
 * nothing stored.
 *
 * <p>The server's clock runs three minutes ahead of the machine's: the proofs are made on the server's clock, and one
 * that only the server's clock finds expired shows which clock decides.
 */
class AppManagementKeysTest {
    static final Duration SKEW = Duration.ofMinutes(3);
    static final Clock CLOCK = Clock.offset(Clock.systemUTC(), SKEW);
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, CLOCK);

    /** An administration app holding Application.ReadWrite.All. */
    static final AppId ADMIN = AppId.of("d0d0d0d0-1111-4222-8333-444444444444");
    static final ObjectId ADMIN_SP = ObjectId.of("d0d0d0d0-1111-4222-8333-000000000001");
    static final String SECRET = "keys~secret.value_345";
    static final UUID APPLICATION_READWRITE_ALL = UUID.fromString("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9");
    static final String PROOF_AUDIENCE = Proofs.AUDIENCE;
    static final KeyPair FIRST_KEYS = Certificates.rsaKeyPair(2048);
    static final X509Certificate FIRST = certificate(FIRST_KEYS, "first");
    static final KeyPair SECOND_KEYS = Certificates.rsaKeyPair(2048);
    static final X509Certificate SECOND = certificate(SECOND_KEYS, "second");
    static final KeyPair STRANGER_KEYS = Certificates.rsaKeyPair(2048);
    static final X509Certificate STRANGER_CERT = certificate(STRANGER_KEYS, "stranger");
    static final ObjectMapper JSON = new ObjectMapper();

    static X509Certificate certificate(KeyPair keys, String name) {
        return CertificateIssuer.selfSigned(keys, name, Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
    }

    @BeforeAll
    static void registerTheAdministrationApp() {
        SecretHasher fast = new SecretHasher(1_000);
        STORE.applications().save(TestTenant.TENANT, new dev.consentry.core.directory.Application(ObjectId.random(), ADMIN,
                "Keys Admin", "AzureADMyOrg", List.of(), ApiApplication.NONE, List.of(), List.of(new PasswordCredential(
                        UUID.randomUUID(), "admin", "key", null, fast.hash(SECRET), null, null, null)), List.of(), List.of(),
                null, null, null, null, null));
        STORE.servicePrincipals().save(TestTenant.TENANT, new ServicePrincipal(ADMIN_SP, ADMIN, "Keys Admin", true, "Application",
                TestTenant.TENANT, false, List.of(ADMIN.toString()), List.of(), List.of(), null));
        STORE.appRoleAssignments().save(TestTenant.TENANT, new dev.consentry.core.directory.AppRoleAssignment(null, ADMIN_SP,
                "ServicePrincipal", TestTenant.GRAPH_SP, APPLICATION_READWRITE_ALL, Instant.now(), null));
    }

    // ---- clients ---------------------------------------------------------------------------------------------------

    static String token(String clientId, IClientCredential credential) throws Exception {
        // A new client each time: MSAL would otherwise answer from its cache, and these tests need the next token.
        ConfidentialClientApplication app = ConfidentialClientApplication.builder(clientId, credential)
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        return app.acquireToken(ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build())
                .get().accessToken();
    }

    static String adminToken() {
        try {
            return token(ADMIN.toString(), ClientCredentialFactory.createFromSecret(SECRET));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token of {@code appId} signed in with a client assertion of {@code cert}'s key (MSAL4J's own assertion). */
    static String certificateToken(String appId, KeyPair keys, X509Certificate cert) throws Exception {
        return token(appId, ClientCredentialFactory.createFromCertificate(keys.getPrivate(), cert));
    }

    /** True when MSAL4J's sign-in with {@code cert} is refused with {@code invalid_client}. */
    static boolean signInRefused(String appId, KeyPair keys, X509Certificate cert) {
        Throwable t = catchThrowable(() -> certificateToken(appId, keys, cert));
        return t != null && t.getCause() instanceof MsalServiceException e && e.errorCode().equals("invalid_client");
    }

    static HttpResponse<String> call(String method, String path, String token, String body) {
        return server.graph(method, path, token, body);
    }

    // ---- proofs ----------------------------------------------------------------------------------------------------

    /** A proof made on the server's clock ({@link Proofs}). */
    static String proof(KeyPair keys, String issuer) {
        return Proofs.of(CLOCK, keys, issuer);
    }

    static String proof(KeyPair keys, String audience, String issuer, Instant nbf, Instant exp) {
        return Proofs.of(keys, audience, issuer, nbf, exp);
    }

    static String der(X509Certificate cert) {
        return Certificates.toBase64Der(cert);
    }

    static String addKeyBody(String type, String usage, String key, String password, String proof) {
        return "{\"keyCredential\": {\"type\": \"" + type + "\", \"usage\": \"" + usage + "\", \"key\": \"" + key + "\"}, "
                + "\"passwordCredential\": " + (password == null ? "null" : "{\"secretText\": \"" + password + "\"}")
                + (proof == null ? "" : ", \"proof\": \"" + proof + "\"") + "}";
    }

    /** Registers an application with a service principal, and with {@code cert} as its first certificate (PATCH). */
    static String[] registeredWithCertificate(String admin, String name, X509Certificate cert) throws Exception {
        HttpResponse<String> app = call("POST", "/v1.0/applications", admin, "{\"displayName\": \"" + name + "\"}");
        assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
        String id = json(app).path("id").asText();
        String appId = json(app).path("appId").asText();
        HttpResponse<String> sp = call("POST", "/v1.0/servicePrincipals", admin, "{\"appId\": \"" + appId + "\"}");
        assertThat(sp.statusCode()).as(sp.body()).isEqualTo(201);
        if (cert != null) {
            HttpResponse<String> patched = call("PATCH", "/v1.0/applications/" + id, admin, "{\"keyCredentials\": [{\"type\": "
                    + "\"AsymmetricX509Cert\", \"usage\": \"Verify\", \"key\": \"" + der(cert) + "\", \"displayName\": \"CN="
                    + name + "\"}]}");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        }
        return new String[] {id, appId, json(sp).path("id").asText()};
    }

    static List<dev.consentry.core.directory.KeyCredential> storedKeys(String objectId) {
        return STORE.applications().find(TestTenant.TENANT, ObjectId.of(objectId)).orElseThrow().keyCredentials();
    }

    // ---- the roll, through the SDK and MSAL4J -----------------------------------------------------------------------

    @Test
    void theSdkRollsACertificateThatSignsInAtOnceAndTheRemovedOneNoLonger() throws Exception {
        GraphServiceClient graph = GraphSdk.client(server, AppManagementKeysTest::adminToken);
        Application draft = new Application();
        draft.setDisplayName("Rolling daemon");
        KeyCredential first = new KeyCredential();
        first.setType("AsymmetricX509Cert");
        first.setUsage("Verify");
        first.setKey(FIRST.getEncoded());
        first.setDisplayName("CN=first");
        draft.setKeyCredentials(List.of(first));
        Application app = graph.applications().post(draft);
        assertThat(app.getKeyCredentials()).singleElement().satisfies(k -> {
            assertThat(k.getKey()).as("never answered").isNull();
            assertThat(k.getStartDateTime().toInstant()).as("from the certificate").isEqualTo(FIRST.getNotBefore().toInstant());
        });
        com.microsoft.graph.models.ServicePrincipal spDraft = new com.microsoft.graph.models.ServicePrincipal();
        spDraft.setAppId(app.getAppId());
        graph.servicePrincipals().post(spDraft);
        assertThat(certificateToken(app.getAppId(), FIRST_KEYS, FIRST)).as("the first certificate signs in").isNotBlank();

        AddKeyPostRequestBody add = new AddKeyPostRequestBody();
        KeyCredential second = new KeyCredential();
        second.setType("AsymmetricX509Cert");
        second.setUsage("Verify");
        second.setKey(SECOND.getEncoded());
        second.setDisplayName("CN=second");
        add.setKeyCredential(second);
        add.setProof(proof(FIRST_KEYS, app.getId()));
        KeyCredential added = graph.applications().byApplicationId(app.getId()).addKey().post(add);
        assertThat(added.getKeyId()).isNotNull();
        assertThat(added.getKey()).as("the answer has no key").isNull();
        assertThat(added.getType()).isEqualTo("AsymmetricX509Cert");
        assertThat(added.getUsage()).isEqualTo("Verify");
        assertThat(added.getDisplayName()).isEqualTo("CN=second");
        assertThat(added.getEndDateTime().toInstant()).isEqualTo(SECOND.getNotAfter().toInstant());
        assertThat(storedKeys(app.getId())).extracting(k -> k.customKeyIdentifier()).as("thumbprints, as the portal shows them")
                .containsExactly(thumbprint(FIRST), thumbprint(SECOND));

        assertThat(certificateToken(app.getAppId(), SECOND_KEYS, SECOND)).as("the new certificate signs in at once").isNotBlank();

        UUID firstKeyId = storedKeys(app.getId()).get(0).keyId();
        RemoveKeyPostRequestBody remove = new RemoveKeyPostRequestBody();
        remove.setKeyId(firstKeyId);
        remove.setProof(proof(SECOND_KEYS, app.getId()));
        graph.applications().byApplicationId(app.getId()).removeKey().post(remove);
        assertThat(graph.applications().byApplicationId(app.getId()).get().getKeyCredentials())
                .extracting(KeyCredential::getKeyId).containsExactly(added.getKeyId());
        assertThat(signInRefused(app.getAppId(), FIRST_KEYS, FIRST)).as("the removed certificate no longer signs in").isTrue();
        assertThat(certificateToken(app.getAppId(), SECOND_KEYS, SECOND)).isNotBlank();

        List<DirectoryAudit> log = STORE.audit().recent(TestTenant.TENANT, 200).stream()
                .filter(e -> e.targetResources().stream().anyMatch(t -> app.getId().equals(t.id()))).toList();
        assertThat(log).extracting(DirectoryAudit::activityDisplayName)
                .containsOnlyOnce("Add application").contains("Update application – Certificates and secrets management");
        assertThat(log).allSatisfy(e -> assertThat(e.activityDateTime()).as("the server's clock")
                .isBetween(CLOCK.instant().minusSeconds(60), CLOCK.instant().plusSeconds(1)));
    }

    static String thumbprint(X509Certificate cert) throws Exception {
        return java.util.HexFormat.of().withUpperCase().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                .digest(cert.getEncoded()));
    }

    @Test
    void anApplicationRollsItsOwnKeysWithoutAnyPermission() throws Exception {
        String admin = adminToken();
        String[] ids = registeredWithCertificate(admin, "Self roller", FIRST);
        String self = certificateToken(ids[1], FIRST_KEYS, FIRST);
        assertThat(SignedJWT.parse(self).getJWTClaimsSet().getClaim("roles")).as("no Graph permission at all").isNull();
        HttpResponse<String> added = call("POST", "/v1.0/applications(appId='" + ids[1] + "')/addKey", self,
                addKeyBody("AsymmetricX509Cert", "Verify", der(SECOND), null, proof(FIRST_KEYS, ids[0])));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(json(server.get("/consentry/diagnostics/" + added.headers().firstValue("request-id").orElseThrow()))
                .path("permission").asText()).contains("own keys");
        String[] other = registeredWithCertificate(admin, "Someone else", FIRST);
        refused(call("POST", "/v1.0/applications/" + other[0] + "/addKey", self,
                addKeyBody("AsymmetricX509Cert", "Verify", der(SECOND), null, proof(FIRST_KEYS, other[0]))), 403,
                "Authorization_RequestDenied"); // only its own
        assertThat(storedKeys(other[0])).hasSize(1);
    }

    // ---- refusals --------------------------------------------------------------------------------------------------

    @Test
    void aProofThatDoesNotHoldIsRefusedAs401AndAMissingOneAs403() throws Exception {
        String admin = adminToken();
        String[] ids = registeredWithCertificate(admin, "Proofs", FIRST);
        String addKey = "/v1.0/applications/" + ids[0] + "/addKey";
        Instant now = CLOCK.instant();
        String key = der(SECOND);

        refused(call("POST", addKey, admin, addKeyBody("AsymmetricX509Cert", "Verify", key, null, null)), 403,
                "Authorization_RequestDenied");
        refused(call("POST", addKey, admin, addKeyBody("AsymmetricX509Cert", "Verify", key, null, "")), 403,
                "Authorization_RequestDenied");
        for (String bad : List.of(
                proof(FIRST_KEYS, "00000003-0000-0000-c000-000000000000", ids[0], now, now.plusSeconds(600)), // Graph's aud
                proof(FIRST_KEYS, PROOF_AUDIENCE, ids[1], now, now.plusSeconds(600)), // the app id, not the object id
                // Expired six minutes ago on the server's clock, three on the machine's: refused only because the
                // server's clock decides (five minutes of skew).
                proof(FIRST_KEYS, PROOF_AUDIENCE, ids[0], now.minus(Duration.ofMinutes(16)), now.minus(Duration.ofMinutes(6))),
                proof(FIRST_KEYS, PROOF_AUDIENCE, ids[0], now, now.plus(Duration.ofMinutes(11))), // lives too long
                proof(STRANGER_KEYS, ids[0]), // a key the application does not have
                proof(FIRST_KEYS, ids[0]).replaceFirst("\\.", "=."), // base64 padding in the header
                "not-a-jwt")) {
            JsonNode body = refused(call("POST", addKey, admin, addKeyBody("AsymmetricX509Cert", "Verify", key, null, bad)), 401,
                    "Authentication_MissingOrMalformed");
            assertThat(body.path("error").path("message").asText()).isEqualTo("Access Token missing or malformed.");
        }
        assertThat(storedKeys(ids[0])).as("nothing added").hasSize(1);

        String removeKey = "/v1.0/applications/" + ids[0] + "/removeKey";
        UUID keyId = storedKeys(ids[0]).get(0).keyId();
        refused(call("POST", removeKey, admin, "{\"keyId\": \"" + keyId + "\"}"), 403, "Authorization_RequestDenied");
        refused(call("POST", removeKey, admin, "{\"keyId\": \"" + keyId + "\", \"proof\": \"" + proof(STRANGER_KEYS, ids[0])
                + "\"}"), 401, "Authentication_MissingOrMalformed");
        refused(call("POST", removeKey, admin, "{\"keyId\": \"" + keyId + "\", \"proof\": \"" + proof(FIRST_KEYS,
                PROOF_AUDIENCE, ids[0], now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(2)).plusSeconds(600))
                + "\"}"), 401, "Authentication_MissingOrMalformed");
        assertThat(storedKeys(ids[0])).as("nothing removed").hasSize(1);
    }

    @Test
    void anApplicationWithoutAValidCertificateCannotProveAndUsesPatchKeyCredentialsInstead() throws Exception {
        String admin = adminToken();
        String[] ids = registeredWithCertificate(admin, "No certificate yet", null);
        refused(call("POST", "/v1.0/applications/" + ids[0] + "/addKey", admin, addKeyBody("AsymmetricX509Cert", "Verify",
                der(FIRST), null, proof(FIRST_KEYS, ids[0]))), 401, "Authentication_MissingOrMalformed");
        assertThat(storedKeys(ids[0])).isEmpty();

        HttpResponse<String> patched = call("PATCH", "/v1.0/applications/" + ids[0], admin, "{\"keyCredentials\": [{\"type\": "
                + "\"AsymmetricX509Cert\", \"usage\": \"Verify\", \"key\": \"" + der(FIRST) + "\"}]}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        HttpResponse<String> added = call("POST", "/v1.0/applications/" + ids[0] + "/addKey", admin,
                addKeyBody("AsymmetricX509Cert", "Verify", der(SECOND), null, proof(FIRST_KEYS, ids[0])));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);

        // PATCH replaces the list: an entry without its key keeps the certificate of that keyId, as a read shows it.
        String keep = "{\"keyId\": \"" + json(added).path("keyId").asText() + "\", \"key\": null}";
        assertThat(call("PATCH", "/v1.0/applications/" + ids[0], admin, "{\"keyCredentials\": [" + keep + "]}").statusCode())
                .isEqualTo(204);
        assertThat(storedKeys(ids[0])).extracting(k -> k.keyId().toString()).containsExactly(json(added).path("keyId").asText());
        for (String bad : List.of("{\"keyCredentials\": \"x\"}", "{\"keyCredentials\": [{\"key\": \"bm90IGEgY2VydA==\"}]}",
                "{\"keyCredentials\": [{\"keyId\": \"" + UUID.randomUUID() + "\"}]}",
                "{\"keyCredentials\": [{\"key\": \"" + der(FIRST) + "\", \"usage\": \"Sign\"}]}")) {
            refused(call("PATCH", "/v1.0/applications/" + ids[0], admin, bad), 400, "Request_BadRequest");
        }
        assertThat(storedKeys(ids[0])).as("a refused PATCH changes nothing").hasSize(1);
    }

    @Test
    void badAddKeyAndRemoveKeyBodiesAreRefusedAndStoreNothing() throws Exception {
        String admin = adminToken();
        String[] ids = registeredWithCertificate(admin, "Bad bodies", FIRST);
        String addKey = "/v1.0/applications/" + ids[0] + "/addKey";
        String proof = proof(FIRST_KEYS, ids[0]);
        refused(call("POST", addKey, admin, "not json"), 400, "BadRequest");
        refused(call("POST", addKey, admin, "{\"proof\": \"" + proof + "\"}"), 400, "Request_BadRequest");
        refused(call("POST", addKey, admin, addKeyBody("Symmetric", "Verify", der(SECOND), null, proof)), 400, "Request_BadRequest");
        refused(call("POST", addKey, admin, addKeyBody("AsymmetricX509Cert", "Sign", der(SECOND), null, proof)), 400,
                "Request_BadRequest");
        refused(call("POST", addKey, admin, addKeyBody("AsymmetricX509Cert", "Verify", "bm90IGEgY2VydA==", null, proof)), 400,
                "Request_BadRequest");
        refused(call("POST", addKey, admin, addKeyBody("AsymmetricX509Cert", "Verify", der(SECOND), "pw", proof)), 400,
                "Request_BadRequest"); // a password only with a Sign key
        refused(call("POST", addKey, admin, addKeyBody("X509CertAndPassword", "Sign", der(SECOND), null, proof)), 400,
                "Request_BadRequest"); // a Sign key needs its password
        refused(call("POST", "/v1.0/applications/" + UUID.randomUUID() + "/addKey", admin,
                addKeyBody("AsymmetricX509Cert", "Verify", der(SECOND), null, proof)), 404, "Request_ResourceNotFound");
        assertThat(storedKeys(ids[0])).hasSize(1);

        String removeKey = "/v1.0/applications/" + ids[0] + "/removeKey";
        refused(call("POST", removeKey, admin, "[]"), 400, "BadRequest");
        refused(call("POST", removeKey, admin, "{\"keyId\": \"nope\", \"proof\": \"" + proof + "\"}"), 400, "Request_BadRequest");
        JsonNode unknown = refused(call("POST", removeKey, admin, "{\"keyId\": \"" + UUID.randomUUID() + "\", \"proof\": \""
                + proof + "\"}"), 400, "Request_BadRequest");
        assertThat(unknown.path("error").path("message").asText()).contains("No key credential with keyId");
        refused(call("POST", "/v1.0/applications/" + UUID.randomUUID() + "/removeKey", admin, "{\"keyId\": \""
                + UUID.randomUUID() + "\", \"proof\": \"" + proof + "\"}"), 404, "Request_ResourceNotFound");
        assertThat(storedKeys(ids[0])).hasSize(1);
    }

    @Test
    void aSigningKeyIsAddedFromItsPfxButNeverSignsTheAppIn() throws Exception {
        String admin = adminToken();
        String[] ids = registeredWithCertificate(admin, "Signing", FIRST);
        KeyStore pfx = KeyStore.getInstance("PKCS12");
        pfx.load(null, null);
        pfx.setKeyEntry("signing", SECOND_KEYS.getPrivate(), "pfx-password".toCharArray(), new Certificate[] {SECOND});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pfx.store(out, "pfx-password".toCharArray());
        String file = Base64.getEncoder().encodeToString(out.toByteArray());
        String addKey = "/v1.0/applications/" + ids[0] + "/addKey";
        refused(call("POST", addKey, admin, addKeyBody("X509CertAndPassword", "Sign", file, "wrong", proof(FIRST_KEYS, ids[0]))),
                400, "Request_BadRequest");
        refused(call("POST", addKey, admin, addKeyBody("AsymmetricX509Cert", "Verify", file, null, proof(FIRST_KEYS, ids[0]))),
                400, "Request_BadRequest"); // a private key is not a Verify key's business
        HttpResponse<String> added = call("POST", addKey, admin,
                addKeyBody("X509CertAndPassword", "Sign", file, "pfx-password", proof(FIRST_KEYS, ids[0])));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(json(added).path("usage").asText()).isEqualTo("Sign");
        assertThat(storedKeys(ids[0]).get(1).key()).as("the certificate only, never the private key")
                .isEqualTo(der(SECOND));
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(ids[0])).orElseThrow().toString())
                .doesNotContain("pfx-password");
        assertThat(signInRefused(ids[1], SECOND_KEYS, SECOND)).as("a Sign key is no client credential").isTrue();
        refused(call("POST", addKey, admin, addKeyBody("AsymmetricX509Cert", "Verify", der(STRANGER_CERT), null,
                proof(SECOND_KEYS, ids[0]))), 401, "Authentication_MissingOrMalformed"); // nor a proof
    }

    @Test
    void aServicePrincipalRollsItsOwnCertificatesWithItsObjectIdAsIssuer() throws Exception {
        String admin = adminToken();
        String[] ids = registeredWithCertificate(admin, "Principal keys", null);
        ServicePrincipal sp = STORE.servicePrincipals().find(TestTenant.TENANT, ObjectId.of(ids[2])).orElseThrow();
        STORE.servicePrincipals().save(TestTenant.TENANT, sp.withKeyCredentials(List.of(new dev.consentry.core.directory
                .KeyCredential(UUID.randomUUID(), "first", null, null, der(FIRST), null, null, null, null).describedByCertificate())));
        GraphServiceClient graph = GraphSdk.client(server, AppManagementKeysTest::adminToken);

        var wrongIssuer = addKey(ids[0]); // the application's object id is not the principal's
        GraphSdk.refused(() -> graph.servicePrincipals().byServicePrincipalId(ids[2]).addKey().post(wrongIssuer), 401,
                "Authentication_MissingOrMalformed");
        KeyCredential added = graph.servicePrincipals().byServicePrincipalId(ids[2]).addKey().post(addKey(ids[2]));
        assertThat(graph.servicePrincipals().byServicePrincipalId(ids[2]).get().getKeyCredentials())
                .extracting(KeyCredential::getKeyId).hasSize(2).contains(added.getKeyId());

        var unknownKey = removeKey(UUID.randomUUID(), ids[2]);
        GraphSdk.refused(() -> graph.servicePrincipals().byServicePrincipalId(ids[2]).removeKey().post(unknownKey), 400,
                "Request_BadRequest");
        graph.servicePrincipals().byServicePrincipalId(ids[2]).removeKey().post(removeKey(added.getKeyId(), ids[2]));
        assertThat(STORE.servicePrincipals().find(TestTenant.TENANT, ObjectId.of(ids[2])).orElseThrow().keyCredentials())
                .extracting(k -> k.key()).containsExactly(der(FIRST));
        assertThat(STORE.audit().recent(TestTenant.TENANT, 200).stream()
                .filter(e -> e.targetResources().stream().anyMatch(t -> ids[2].equals(t.id())))
                .map(DirectoryAudit::activityDisplayName))
                .contains("Add service principal credentials", "Remove service principal credentials");
    }

    /**
     * A new body each time: the SDK's models keep a backing store that, once a body was sent, writes only what changed
     * since, so a body sent twice would arrive without its {@code keyCredential}.
     */
    static com.microsoft.graph.serviceprincipals.item.addkey.AddKeyPostRequestBody addKey(String issuer) throws Exception {
        var add = new com.microsoft.graph.serviceprincipals.item.addkey.AddKeyPostRequestBody();
        KeyCredential second = new KeyCredential();
        second.setType("AsymmetricX509Cert");
        second.setUsage("Verify");
        second.setKey(SECOND.getEncoded());
        add.setKeyCredential(second);
        add.setProof(proof(FIRST_KEYS, issuer));
        return add;
    }

    static com.microsoft.graph.serviceprincipals.item.removekey.RemoveKeyPostRequestBody removeKey(UUID keyId, String issuer)
            throws Exception {
        var remove = new com.microsoft.graph.serviceprincipals.item.removekey.RemoveKeyPostRequestBody();
        remove.setKeyId(keyId);
        remove.setProof(proof(SECOND_KEYS, issuer));
        return remove;
    }
}
