package dev.consentry.identity.grant;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.KeyCredential;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RedirectUris;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.identity.key.Certificates;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.HtmlForms;
import dev.consentry.testkit.MutableClock;
import dev.consentry.testkit.TestTenants;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The token endpoint without HTTP: an in-memory store holding one tenant, a clock standing still at {@link #T0}
 * until a test moves it, and {@link TokenEndpoint#handle} called as the HTTP layer would call it. One per test.
 *
 * <p>The tenant: a daemon (a secret, and a second one that ended a day before {@code T0}) and a certificate app,
 * both holding the API's app role; the API itself (a delegated permission consented for the desktop app, a second one
 * consented for nobody, its own secret for on-behalf-of); a downstream API (v1.0 tokens, which carry {@code amr}) that
 * the API and the desktop app may call for their users; a public desktop app; Adele, a disabled user and a user who
 * must change her password. Contoso, empty, is beside it.
 */
final class GrantFixture {
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    static final StsUrls URLS = new StsUrls("https://login.consentry.test");
    static final String TENANT = TestTenants.FABRIKAM.toString();
    /** A second tenant, empty: Fabrikam's users and apps are strangers there. */
    static final String OTHER_TENANT = TestTenants.CONTOSO.toString();
    static final String PASSWORD = "Adele-Passw0rd!";

    static final AppId DAEMON = AppId.of("11111111-2222-4333-8444-555555555555");
    static final ObjectId DAEMON_SP = ObjectId.of("11111111-2222-4333-8444-000000000001");
    static final String DAEMON_SECRET = "daemon~secret.value_123";
    static final String ENDED_SECRET = "old~secret.value_456";

    static final AppId CERT_APP = AppId.of("22222222-3333-4444-8555-666666666666");
    static final ObjectId CERT_APP_SP = ObjectId.of("22222222-3333-4444-8555-000000000001");
    /** The certificate app's key; its certificate is valid from a day before {@code T0} for thirty days. */
    static final KeyPair CERT_KEYS = Certificates.rsaKeyPair(2048);
    static final X509Certificate CERT = CertificateIssuer.selfSigned(CERT_KEYS, "grant-tests-cert",
            T0.minus(Duration.ofDays(1)), Duration.ofDays(30));

    static final AppId API = AppId.of("33333333-4444-4555-8666-777777777777");
    static final ObjectId API_SP = ObjectId.of("33333333-4444-4555-8666-000000000001");
    static final String API_URI = "api://" + API;
    static final String API_SECRET = "api~secret.value_789";
    static final UUID ORDERS_READ_ALL = UUID.fromString("33333333-0000-4000-8000-000000000001");

    static final AppId DOWNSTREAM = AppId.of("44444444-5555-4666-8777-888888888888");
    static final ObjectId DOWNSTREAM_SP = ObjectId.of("44444444-5555-4666-8777-000000000001");
    static final String DOWNSTREAM_URI = "api://downstream";

    static final AppId DESKTOP = AppId.of("66666666-7777-4888-8999-aaaaaaaaaaaa");
    static final ObjectId DESKTOP_SP = ObjectId.of("66666666-7777-4888-8999-000000000001");
    static final String LOOPBACK = "http://localhost";

    static final ObjectId ADELE = ObjectId.of("77777777-8888-4999-8aaa-000000000001");
    static final String ADELE_UPN = "adele@" + TestTenants.FABRIKAM_DOMAIN;
    static final String DISABLED_UPN = "gone@" + TestTenants.FABRIKAM_DOMAIN;
    static final String NEWHIRE_UPN = "newhire@" + TestTenants.FABRIKAM_DOMAIN;

    final MutableClock clock = MutableClock.at(T0);
    final InMemoryStore store = new InMemoryStore();
    final SigningKeys keys;
    final TokenEndpoint endpoint;

    GrantFixture() {
        store.tenants().replace(TenantFile.normalise(tenant(), TestTenants.FAST_HASHER));
        store.tenants().replace(TenantFile.normalise(TestTenants.contoso().build(), TestTenants.FAST_HASHER));
        keys = SigningKeys.load(store.signingKeys(), clock);
        endpoint = new TokenEndpoint(store, new AccessTokenFactory(keys), TokenValidator.builder(keys).ignoreAudience().build());
    }

    static dev.consentry.core.directory.TenantDirectory tenant() {
        AppRole orders = TestTenants.appRole(ORDERS_READ_ALL, "Orders.Read.All");
        PermissionScope access = TestTenants.scope(UUID.fromString("33333333-0000-4000-8000-000000000002"), "access_as_user");
        PermissionScope admin = TestTenants.scope(UUID.fromString("33333333-0000-4000-8000-000000000003"), "Orders.Admin");
        PermissionScope read = TestTenants.scope(UUID.fromString("44444444-0000-4000-8000-000000000002"), "read");
        KeyCredential certificate = new KeyCredential(UUID.randomUUID(), "grant tests", null, null,
                Certificates.toBase64Der(CERT), null, null, null, null);
        Application certApp = TestTenants.app(CERT_APP, "Cert App");
        Application api = TestTenants.confidentialApp(API, "Orders API", TestTenants.secret(API_SECRET));
        api = new Application(api.id(), api.appId(), api.displayName(), api.signInAudience(), List.of(API_URI),
                new ApiApplication(2, List.of(access, admin)), List.of(orders), api.passwordCredentials(), List.of(), List.of(),
                null, null, null, null, null);
        Application desktop = new Application(ObjectId.random(), DESKTOP, "Desktop", "AzureADMyOrg", List.of(),
                ApiApplication.NONE, List.of(), List.of(), List.of(), List.of(), null, null,
                new RedirectUris(List.of(LOOPBACK), null), true, null);
        return TestTenants.fabrikam()
                .withUser(TestTenants.user(ADELE, ADELE_UPN, PASSWORD))
                .withUser(TestTenants.disabled(TestTenants.user(ObjectId.random(), DISABLED_UPN, PASSWORD)))
                .withUser(TestTenants.withPassword(TestTenants.user(ObjectId.random(), NEWHIRE_UPN), PASSWORD, true))
                .withApplication(TestTenants.confidentialApp(DAEMON, "Daemon", TestTenants.secret(DAEMON_SECRET),
                        TestTenants.secret(ENDED_SECRET, T0.minus(Duration.ofDays(1)))))
                .withServicePrincipal(TestTenants.servicePrincipal(DAEMON_SP, DAEMON, "Daemon"))
                .withApplication(certApp.withCredentials(List.of(), List.of(certificate)))
                .withServicePrincipal(TestTenants.servicePrincipal(CERT_APP_SP, CERT_APP, "Cert App"))
                .withApplication(api)
                .withServicePrincipal(TestTenants.servicePrincipal(API_SP, API, "Orders API", List.of(orders),
                        List.of(access, admin), API_URI))
                .withApplication(TestTenants.app(DOWNSTREAM, "Downstream API"))
                .withServicePrincipal(TestTenants.servicePrincipal(DOWNSTREAM_SP, DOWNSTREAM, "Downstream API", List.of(),
                        List.of(read), DOWNSTREAM_URI))
                .withApplication(desktop)
                .withServicePrincipal(TestTenants.servicePrincipal(DESKTOP_SP, DESKTOP, "Desktop"))
                .withAppRoleAssignment(TestTenants.appRoleAssignment(DAEMON_SP, API_SP, ORDERS_READ_ALL))
                .withAppRoleAssignment(TestTenants.appRoleAssignment(CERT_APP_SP, API_SP, ORDERS_READ_ALL))
                .withGrant(TestTenants.grantForAllUsers(DESKTOP_SP, API_SP, "access_as_user"))
                .withGrant(TestTenants.grantForAllUsers(API_SP, DOWNSTREAM_SP, "read"))
                .withGrant(TestTenants.grantForAllUsers(DESKTOP_SP, DOWNSTREAM_SP, "read"))
                .build();
    }

    /** A call to {@code /{tenant}/oauth2/v2.0/token} with these parameters, at the clock's instant. */
    TokenOutcome post(String tenantPath, String authorization, Map<String, String> params) {
        FormParameters form = FormParameters.parse(HtmlForms.encode(params).getBytes(StandardCharsets.UTF_8),
                TokenEndpoint.SINGLE_VALUED);
        return endpoint.handle(new TokenCall(URLS, tenantPath, form, authorization, clock.instant()));
    }

    /** A call to Fabrikam's token endpoint with parameters given as name, value, name, value... */
    TokenOutcome post(String... namesAndValues) {
        return post(TENANT, null, params(namesAndValues));
    }

    static Map<String, String> params(String... namesAndValues) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            p.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return p;
    }

    /** The token endpoint URL a client assertion names. */
    static String tokenEndpoint() {
        return URLS.tokenEndpoint(TENANT);
    }

    /** The body of a successful answer; fails the test with the cause of a refusal. */
    static Map<String, Object> issued(TokenOutcome outcome) {
        assertThat(outcome).as("%s", outcome).isInstanceOf(TokenOutcome.Issued.class);
        return ((TokenOutcome.Issued) outcome).body();
    }

    /** The cause of a refusal; fails the test when tokens were issued. */
    static Cause refused(TokenOutcome outcome) {
        assertThat(outcome).as("expected a refusal").isInstanceOf(TokenOutcome.Refused.class);
        return ((TokenOutcome.Refused) outcome).failure().cause();
    }

    /** The claims of a compact JWT of a response. */
    static JWTClaimsSet claims(Object compact) {
        try {
            return SignedJWT.parse(String.valueOf(compact)).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError("not a JWT: " + compact, e);
        }
    }

    /** Adele's tokens through the desktop app's password grant, for {@code scope}. */
    Map<String, Object> adeleSignsIn(String scope) {
        return issued(post("grant_type", "password", "client_id", DESKTOP.toString(), "username", ADELE_UPN,
                "password", PASSWORD, "scope", scope));
    }
}
