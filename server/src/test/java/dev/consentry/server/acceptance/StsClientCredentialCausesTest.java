package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.identity.key.Certificates;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.HtmlForms;
import dev.consentry.testkit.TenantBuilder;
import dev.consentry.testkit.TestTokens;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client causes of the token endpoint, driven through MSAL4J's {@code ConfidentialClientApplication} (a secret, a
 * certificate, or a hand-built client assertion) or, for requests MSAL never sends, as curl sends them: the refusal,
 * its diagnosis, the fix it names applied (a credential, the tenant changed through Graph by an administration app,
 * an assertion built as the fix says), and the same client credentials call issued.
 */
class StsClientCredentialCausesTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> GRAPH_DEFAULT = Set.of("https://graph.microsoft.com/.default");
    private static final String TOKEN_PATH = "/" + TestTenant.TENANT + "/oauth2/v2.0/token";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** Fabrikam's administration app: Application.ReadWrite.All on Microsoft Graph, to apply fixes through Graph. */
    private static final AppId ADMIN = AppId.of("c1c1c1c1-2222-4333-8444-555555555555");
    private static final ObjectId ADMIN_SP = ObjectId.of("c1c1c1c1-2222-4333-8444-000000000001");
    private static final String ADMIN_SECRET = "admin~secret.value_678";
    private static final UUID APPLICATION_READWRITE_ALL = UUID.fromString("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9");
    private static final SecretHasher FAST = new SecretHasher(1_000);

    @BeforeEach
    void freshTenants() {
        Diagnosed.reset(server);
        server.consentry().importTenants(List.of(withApps(TestTenant.fabrikam(), administration()), TestTenant.other(),
                TestTenant.consumers()));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The administration app with its service principal and its Graph role. */
    private static List<Object> administration() {
        Application app = new Application(ObjectId.random(), ADMIN, "Fabrikam Admin", "AzureADMyOrg", List.of(),
                ApiApplication.NONE, List.of(), List.of(secret(ADMIN_SECRET)), List.of(), List.of(), null, null, null,
                null, null);
        ServicePrincipal sp = new ServicePrincipal(ADMIN_SP, ADMIN, "Fabrikam Admin", true, "Application", TestTenant.TENANT,
                false, List.of(ADMIN.toString()), List.of(), List.of(), null);
        AppRoleAssignment role = new AppRoleAssignment(null, ADMIN_SP, "ServicePrincipal", TestTenant.GRAPH_SP,
                APPLICATION_READWRITE_ALL, Instant.now(), null);
        return List.of(app, sp, role);
    }

    private static TenantDirectory withApps(TenantDirectory tenant, List<Object> objects) {
        TenantBuilder b = TenantBuilder.from(tenant);
        for (Object o : objects) {
            switch (o) {
                case Application a -> b.withApplication(a);
                case ServicePrincipal sp -> b.withServicePrincipal(sp);
                case AppRoleAssignment r -> b.withAppRoleAssignment(r);
                default -> throw new IllegalArgumentException(String.valueOf(o));
            }
        }
        return b.build();
    }

    private static PasswordCredential secret(String text) {
        return new PasswordCredential(UUID.randomUUID(), "test", SecretHasher.hintOf(text), null, FAST.hash(text), null,
                null, null);
    }

    private static String adminToken() {
        return server.appToken(TestTenant.TENANT.toString(), ADMIN.toString(), ADMIN_SECRET);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** A Graph call of the administration app, asserted to answer {@code status}. */
    private static JsonNode graph(String method, String path, String body, int status) {
        HttpResponse<String> r = server.graph(method, "/v1.0" + path, adminToken(), body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? JSON.createObjectNode() : json(r.body());
    }

    /** Adds {@code cert} to the application's certificates through Graph, keeping the ones it has. */
    private static void uploadCertificate(String clientId, X509Certificate cert) {
        JsonNode app = graph("GET", "/applications(appId='" + clientId + "')", null, 200);
        List<Map<String, String>> keys = new ArrayList<>();
        app.path("keyCredentials").forEach(k -> keys.add(Map.of("keyId", k.path("keyId").asText())));
        keys.add(Map.of("type", "AsymmetricX509Cert", "usage", "Verify", "key", Certificates.toBase64Der(cert)));
        try {
            graph("PATCH", "/applications(appId='" + clientId + "')",
                    JSON.writeValueAsString(Map.of("keyCredentials", keys)), 204);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfidentialClientApplication msal(String clientId, IClientCredential credential, String tenant)
            throws Exception {
        return ConfidentialClientApplication.builder(clientId, credential).authority(server.authority(tenant))
                .instanceDiscovery(false).sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    private static ConfidentialClientApplication msal(String clientId, IClientCredential credential) throws Exception {
        return msal(clientId, credential, TestTenant.TENANT.toString());
    }

    /** The client credentials call every test repeats: a Graph token, never from MSAL's cache. */
    private static IAuthenticationResult acquire(ConfidentialClientApplication app) throws Exception {
        return app.acquireToken(ClientCredentialParameters.builder(GRAPH_DEFAULT).skipCache(true).build()).get();
    }

    /** The refusal MSAL surfaces, and its diagnosis read by the correlation id MSAL sent. */
    private static Diagnosis refused(ConfidentialClientApplication app, Cause cause) {
        Throwable t = catchThrowable(() -> acquire(app));
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MsalServiceException.class);
        MsalServiceException e = (MsalServiceException) t.getCause();
        assertThat(e.errorCode()).isEqualTo(cause.error());
        assertThat(e.getMessage()).startsWith("AADSTS" + cause.code() + ":");
        return Diagnosed.as(server, e.correlationId(), cause);
    }

    private static void issued(IAuthenticationResult result, String clientId) throws Exception {
        assertThat(com.nimbusds.jwt.SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringClaim("appid"))
                .isEqualTo(clientId);
    }

    /** A client assertion of the certificate app as MSAL would build it; each test changes what it gets wrong. */
    private static TestTokens.Builder assertion(PrivateKey key, X509Certificate named) {
        return TestTokens.clientAssertion(key, TestTenant.CERT_APP.toString(), server.baseUrl() + TOKEN_PATH,
                Instant.now().plusSeconds(600)).x5tS256(Certificates.sha256Thumbprint(named))
                .jwtId(UUID.randomUUID().toString());
    }

    private static IClientCredential hand(TestTokens.Builder assertion) {
        return ClientCredentialFactory.createFromClientAssertion(assertion.sign());
    }

    private static ConfidentialClientApplication certApp(IClientCredential credential) throws Exception {
        return msal(TestTenant.CERT_APP.toString(), credential);
    }

    /** The daemon's client credentials as curl posts them. */
    private static Map<String, String> daemonForm() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "client_credentials");
        p.put("client_id", TestTenant.DAEMON.toString());
        p.put("client_secret", TestTenant.DAEMON_SECRET);
        p.put("scope", "https://graph.microsoft.com/.default");
        return p;
    }

    private static Diagnosis curlRefused(Map<String, String> form, Cause cause) {
        HttpResponse<String> r = server.postForm(TOKEN_PATH, HtmlForms.encode(form));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(cause.status());
        return Diagnosed.as(server, json(r.body()).path("trace_id").asText(), cause);
    }

    private static void curlIssued(Map<String, String> form) {
        HttpResponse<String> r = server.postForm(TOKEN_PATH, HtmlForms.encode(form));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r.body()).path("access_token").asText()).isNotBlank();
        Diagnosed.allowed(server, r.headers().firstValue("x-ms-request-id").orElseThrow());
    }

    // ---- which client ----------------------------------------------------------------------------

    @Test
    @Drives(Cause.CLIENT_NOT_FOUND)
    void anUnregisteredClientIdIsToldToAddTheAppAndThenGetsItsToken() throws Exception {
        String clientId = "d0d0d0d0-1111-4222-8333-444444444444";
        String secretText = "nightly~secret.value_901";
        ConfidentialClientApplication app = msal(clientId, ClientCredentialFactory.createFromSecret(secretText));
        Diagnosis d = refused(app, Cause.CLIENT_NOT_FOUND);
        assertThat(d.facts()).containsEntry("clientId", clientId);
        assertThat(d.fix()).contains("add the application to the tenant file");

        // The fix: the application, with that client id and the secret the client holds, added to the tenant file.
        AppId named = AppId.of(d.facts().get("clientId"));
        Application added = new Application(ObjectId.random(), named, "Nightly Export", "AzureADMyOrg", List.of(),
                ApiApplication.NONE, List.of(), List.of(secret(secretText)), List.of(), List.of(), null, null, null, null,
                null);
        ServicePrincipal sp = new ServicePrincipal(ObjectId.random(), named, "Nightly Export", true, "Application",
                TestTenant.TENANT, false, List.of(named.toString()), List.of(), List.of(), null);
        server.consentry().importTenants(List.of(withApps(TestTenant.fabrikam(), List.of(added, sp)),
                TestTenant.other(), TestTenant.consumers()));

        issued(acquire(app), clientId);
    }

    @Test
    @Drives(Cause.CLIENT_NOT_IN_TENANT)
    void aSingleTenantAppAskingAnotherTenantIsToldItsHomeTenantAndThenGetsItsToken() throws Exception {
        IClientCredential secret = ClientCredentialFactory.createFromSecret("foreign~secret");
        Diagnosis d = refused(msal(TestTenant.FOREIGN_APP.toString(), secret), Cause.CLIENT_NOT_IN_TENANT);
        assertThat(d.facts()).containsEntry("signInAudience", "AzureADMyOrg")
                .containsEntry("tenant", TestTenant.TENANT.toString());
        String home = d.facts().get("homeTenant");
        assertThat(home).isEqualTo(TestTenant.OTHER_TENANT.toString());
        assertThat(d.fix()).contains("home tenant");

        var result = acquire(msal(TestTenant.FOREIGN_APP.toString(), secret, home));
        issued(result, TestTenant.FOREIGN_APP.toString());
        assertThat(com.nimbusds.jwt.SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringClaim("tid"))
                .isEqualTo(home);
    }

    @Test
    @Drives(Cause.CLIENT_DISABLED)
    void aDisabledAppIsToldToEnableItsServicePrincipalAndGetsItsTokenOnceGraphEnablesIt() throws Exception {
        ConfidentialClientApplication app = msal(TestTenant.DISABLED_APP.toString(),
                ClientCredentialFactory.createFromSecret("disabled~secret"));
        Diagnosis d = refused(app, Cause.CLIENT_DISABLED);
        String clientId = d.facts().get("clientId");
        assertThat(clientId).isEqualTo(TestTenant.DISABLED_APP.toString());
        assertThat(d.fix()).contains("accountEnabled to true");

        graph("PATCH", "/servicePrincipals(appId='" + clientId + "')", "{\"accountEnabled\": true}", 204);

        issued(acquire(app), clientId);
    }

    // ---- how it authenticates --------------------------------------------------------------------

    @Test
    @Drives(Cause.CLIENT_CREDENTIAL_MISSING)
    void clientCredentialsWithoutAnyCredentialAreToldToSendASecretAndThenGetTheToken() {
        // MSAL's confidential client always authenticates: only a hand-written request forgets to.
        Map<String, String> form = daemonForm();
        form.remove("client_secret");
        Diagnosis d = curlRefused(form, Cause.CLIENT_CREDENTIAL_MISSING);
        assertThat(d.facts()).containsEntry("clientId", TestTenant.DAEMON.toString());
        assertThat(d.fix()).contains("client secret");

        form.put("client_secret", TestTenant.DAEMON_SECRET);
        curlIssued(form);
    }

    @Test
    @Drives(Cause.CLIENT_AUTHENTICATION_AMBIGUOUS)
    void aSecretAndAnAssertionTogetherAreToldToSendOneAndThenGetTheToken() {
        Map<String, String> form = daemonForm();
        form.put("client_assertion_type", JWT_BEARER);
        form.put("client_assertion", assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT).sign());
        Diagnosis d = curlRefused(form, Cause.CLIENT_AUTHENTICATION_AMBIGUOUS);
        assertThat(d.facts().get("methods")).contains("client_secret").contains("client_assertion");

        // Either one, not both: the daemon keeps its secret and drops the assertion.
        form.remove("client_assertion_type");
        form.remove("client_assertion");
        curlIssued(form);
    }

    @Test
    @Drives(Cause.CLIENT_SECRET_INVALID)
    void theSecretsIdSentAsTheSecretIsToldToSendItsValueAndThenGetsTheToken() throws Exception {
        // The classic mistake: the secret's id (keyId) copied from the portal instead of its value.
        String keyId = server.consentry().store().applications().findByAppId(TestTenant.TENANT, TestTenant.DAEMON)
                .orElseThrow().passwordCredentials().stream().filter(c -> c.endDateTime() == null).findFirst()
                .orElseThrow().keyId().toString();
        Diagnosis d = refused(msal(TestTenant.DAEMON.toString(), ClientCredentialFactory.createFromSecret(keyId)),
                Cause.CLIENT_SECRET_INVALID);
        assertThat(d.facts()).containsEntry("secretCount", "2");
        assertThat(d.fix()).contains("secret value (not its id)");
        // The value the developer holds is one the diagnosis lists by its hint; the id it sent is not.
        List<String> hints = Arrays.stream(d.facts().get("hints").split(",\\s*")).map(h -> h.replace("...", "")).toList();
        assertThat(hints).contains(SecretHasher.hintOf(TestTenant.DAEMON_SECRET)).doesNotContain(SecretHasher.hintOf(keyId));

        issued(acquire(msal(TestTenant.DAEMON.toString(), ClientCredentialFactory.createFromSecret(TestTenant.DAEMON_SECRET))),
                TestTenant.DAEMON.toString());
    }

    @Test
    @Drives(Cause.CLIENT_SECRET_EXPIRED)
    void anExpiredSecretIsToldToAddANewOneAndGetsTheTokenWithTheSecretGraphAdds() throws Exception {
        Diagnosis d = refused(msal(TestTenant.DAEMON.toString(),
                ClientCredentialFactory.createFromSecret(TestTenant.EXPIRED_SECRET)), Cause.CLIENT_SECRET_EXPIRED);
        assertThat(d.facts()).containsEntry("hint", SecretHasher.hintOf(TestTenant.EXPIRED_SECRET));
        assertThat(Instant.parse(d.facts().get("endDateTime"))).isBefore(Instant.now());
        assertThat(d.fix()).contains("Add a new client secret");

        JsonNode added = graph("POST", "/applications(appId='" + d.facts().get("clientId") + "')/addPassword",
                "{\"passwordCredential\": {\"displayName\": \"renewed\"}}", 200);
        String secretText = added.path("secretText").asText();
        assertThat(secretText).isNotBlank();

        issued(acquire(msal(TestTenant.DAEMON.toString(), ClientCredentialFactory.createFromSecret(secretText))),
                TestTenant.DAEMON.toString());
    }

    // ---- client assertions -----------------------------------------------------------------------

    @Test
    @Drives(Cause.CLIENT_ASSERTION_TYPE_INVALID)
    void anAssertionOfAnotherTypeIsToldTheTypeToSendAndThenGetsTheToken() {
        // MSAL always sends the jwt-bearer type: a hand-written request may name SAML's.
        Map<String, String> form = daemonForm();
        form.put("client_id", TestTenant.CERT_APP.toString());
        form.remove("client_secret");
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer");
        form.put("client_assertion", assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT).sign());
        Diagnosis d = curlRefused(form, Cause.CLIENT_ASSERTION_TYPE_INVALID);
        assertThat(d.facts()).containsEntry("assertionType", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer");
        String named = d.fix().replaceAll("(?s).*client_assertion_type=(\\S+?)\\.?$", "$1");
        assertThat(named).isEqualTo(JWT_BEARER);

        form.put("client_assertion_type", named);
        form.put("client_assertion", assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT).sign());
        curlIssued(form);
    }

    @Test
    @Drives(Cause.CLIENT_ASSERTION_MALFORMED)
    void anAssertionThatIsNoJwtIsToldToSendASignedOneAndGetsTheTokenWithMsalsCertificateCredential() throws Exception {
        Diagnosis d = refused(certApp(ClientCredentialFactory.createFromClientAssertion("not.a.jwt")),
                Cause.CLIENT_ASSERTION_MALFORMED);
        assertThat(d.facts().get("problem")).contains("compact JWS");
        assertThat(d.fix()).contains("signed with the certificate's private key");

        // A compact RS256 JWS signed with the certificate's private key: what MSAL builds from the certificate.
        issued(acquire(certApp(ClientCredentialFactory.createFromCertificate(TestTenant.CERT_KEYS.getPrivate(),
                TestTenant.CERT))), TestTenant.CERT_APP.toString());
    }

    @Test
    @Drives(Cause.CLIENT_ASSERTION_CLIENT_MISMATCH)
    void anAssertionIssuedAsAnotherClientIsToldToNameTheClientAndThenGetsTheToken() throws Exception {
        String other = TestTenant.DAEMON.toString();
        Diagnosis d = refused(certApp(hand(assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT)
                .issuer(other).subject(other))), Cause.CLIENT_ASSERTION_CLIENT_MISMATCH);
        assertThat(d.facts()).containsEntry("subject", other + "/" + other);
        String clientId = d.facts().get("clientId");
        assertThat(d.fix()).contains("iss and sub");

        issued(acquire(certApp(hand(assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT).issuer(clientId)
                .subject(clientId)))), TestTenant.CERT_APP.toString());
    }

    @Test
    @Drives(Cause.CLIENT_ASSERTION_AUDIENCE_INVALID)
    void anAssertionForAnotherAudienceIsToldTheTokenEndpointAndThenGetsTheToken() throws Exception {
        String wrong = "https://login.microsoftonline.com/" + TestTenant.TENANT + "/oauth2/v2.0/token";
        Diagnosis d = refused(certApp(hand(assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT).aud(wrong))),
                Cause.CLIENT_ASSERTION_AUDIENCE_INVALID);
        assertThat(d.facts()).containsEntry("audience", wrong);
        String expected = d.facts().get("expected");
        assertThat(expected).as("the endpoint MSAL posted to").isEqualToIgnoringCase(server.baseUrl() + TOKEN_PATH);

        issued(acquire(certApp(hand(assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT).aud(expected)))),
                TestTenant.CERT_APP.toString());
    }

    @Test
    @Drives(Cause.CLIENT_ASSERTION_CERTIFICATE_UNKNOWN)
    void aCertificateNotOnTheAppIsToldToUploadItAndTheSameClientGetsTheTokenOnceGraphHasIt() throws Exception {
        KeyPair keys = Certificates.rsaKeyPair(2048);
        X509Certificate cert = CertificateIssuer.selfSigned(keys, "fabrikam-new-cert", Instant.now().minusSeconds(60),
                Duration.ofDays(30));
        ConfidentialClientApplication app = certApp(ClientCredentialFactory.createFromCertificate(keys.getPrivate(), cert));
        Diagnosis d = refused(app, Cause.CLIENT_ASSERTION_CERTIFICATE_UNKNOWN);
        assertThat(d.facts()).containsEntry("thumbprint", Certificates.sha256Thumbprint(cert));
        assertThat(d.fix()).contains("Upload the certificate to the app registration (keyCredentials)");

        uploadCertificate(d.facts().get("clientId"), cert);

        issued(acquire(app), TestTenant.CERT_APP.toString());
    }

    @Test
    @Drives(Cause.CLIENT_ASSERTION_SIGNATURE_INVALID)
    void anAssertionSignedWithAnotherKeyIsToldToSignWithTheCertificatesKeyAndThenGetsTheToken() throws Exception {
        Diagnosis d = refused(certApp(hand(assertion(Certificates.rsaKeyPair(2048).getPrivate(), TestTenant.CERT))),
                Cause.CLIENT_ASSERTION_SIGNATURE_INVALID);
        assertThat(d.facts()).containsEntry("thumbprint", Certificates.sha256Thumbprint(TestTenant.CERT));
        assertThat(d.fix()).contains("private key of the registered certificate");

        issued(acquire(certApp(hand(assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT)))),
                TestTenant.CERT_APP.toString());
    }

    @Test
    @Drives(Cause.CLIENT_ASSERTION_EXPIRED)
    void anExpiredAssertionIsToldToMakeAFreshOneAndThenGetsTheToken() throws Exception {
        Instant ended = Instant.now().minus(Duration.ofMinutes(10));
        Diagnosis d = refused(certApp(hand(TestTokens.clientAssertion(TestTenant.CERT_KEYS.getPrivate(),
                TestTenant.CERT_APP.toString(), server.baseUrl() + TOKEN_PATH, ended)
                .x5tS256(Certificates.sha256Thumbprint(TestTenant.CERT)).jwtId(UUID.randomUUID().toString()))),
                Cause.CLIENT_ASSERTION_EXPIRED);
        assertThat(Instant.parse(d.facts().get("expiresAt"))).isBefore(Instant.parse(d.facts().get("now")));
        assertThat(d.fix()).contains("fresh assertion for each request");

        // A fresh assertion for each request: MSAL's callback credential makes one per token request.
        issued(acquire(certApp(ClientCredentialFactory.createFromCallback(
                () -> assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT).sign()))),
                TestTenant.CERT_APP.toString());
    }

    @Test
    @Drives(Cause.CLIENT_ASSERTION_REPLAYED)
    void anAssertionSentTwiceIsToldToMakeANewOneAndThenGetsTheToken() throws Exception {
        String jti = UUID.randomUUID().toString();
        ConfidentialClientApplication app = certApp(hand(assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT)
                .jwtId(jti)));
        issued(acquire(app), TestTenant.CERT_APP.toString());
        Diagnosis d = refused(app, Cause.CLIENT_ASSERTION_REPLAYED);
        assertThat(d.facts()).containsEntry("jti", jti).containsEntry("clientId", TestTenant.CERT_APP.toString());
        assertThat(d.fix()).contains("new jti");

        issued(acquire(certApp(hand(assertion(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT)
                .jwtId(UUID.randomUUID().toString())))), TestTenant.CERT_APP.toString());
    }

    @Test
    @Drives(Cause.CLIENT_CERTIFICATE_EXPIRED)
    void anExpiredCertificateIsToldToUploadACurrentOneAndGetsTheTokenWithTheOneGraphAdds() throws Exception {
        Diagnosis d = refused(certApp(ClientCredentialFactory.createFromCertificate(TestTenant.EXPIRED_CERT_KEYS.getPrivate(),
                TestTenant.EXPIRED_CERT)), Cause.CLIENT_CERTIFICATE_EXPIRED);
        assertThat(d.facts()).containsEntry("thumbprint", Certificates.sha256Thumbprint(TestTenant.EXPIRED_CERT));
        assertThat(Instant.parse(d.facts().get("endDateTime"))).isBefore(Instant.now());
        assertThat(d.fix()).contains("Upload a current certificate");

        KeyPair keys = Certificates.rsaKeyPair(2048);
        X509Certificate current = CertificateIssuer.selfSigned(keys, "fabrikam-renewed-cert", Instant.now().minusSeconds(60),
                Duration.ofDays(365));
        uploadCertificate(d.facts().get("clientId"), current);

        issued(acquire(certApp(ClientCredentialFactory.createFromCertificate(keys.getPrivate(), current))),
                TestTenant.CERT_APP.toString());
    }
}
