package dev.consentry.graph.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Outcome;
import dev.consentry.core.explain.Step;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.testkit.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What Graph would decide for tokens shaped as the real Entra ID issues them, decided offline from their claims
 * ({@link AuthorizationEngine#offline}): signed here with a key Consentry never saw, as a real token's key is unknown
 * to it, so the signature step is always "not checked". The claim sets are those of Entra's v1.0 and v2.0 access
 * tokens (Microsoft identity platform, "Access token claims reference"): delegated and app-only, a personal account's,
 * and tokens for Azure AD Graph and SharePoint.
 */
class OfflineDecisionTest {
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String PERSONAL = "9188040d-6c67-4c5b-b112-36a304b66dad";
    static final String GRAPH_ID = "00000003-0000-0000-c000-000000000000";
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static RSAKey realKey;
    static AuthorizationEngine engine;

    @BeforeAll
    static void anUnknownKey() throws Exception {
        realKey = new RSAKeyGenerator(2048).keyID("real-entra-kid").generate();
        engine = AuthorizationEngine.offline(GraphPermissionCatalogue.builtin());
    }

    /** A v1.0 delegated token for Graph from the real Entra ID (sts.windows.net issuer). */
    static TestTokens.Builder v1Delegated(String scp) {
        return TestTokens.signedWith(realKey).delegated().tenant(TENANT).issuer("https://sts.windows.net/" + TENANT + "/")
                .aud("https://graph.microsoft.com").appId("04b07795-8ddb-461a-bbee-02f9e1bf7b46")
                .oid("d3b4e2f1-5a6b-4c7d-8e9f-0a1b2c3d4e5f").scp(scp.split(" ")).version("1.0")
                .claim("upn", "adele@contoso.example").claim("amr", List.of("pwd")).claim("idtyp", "user")
                .at(NOW.minus(Duration.ofMinutes(10)), Duration.ofMinutes(70));
    }

    /** A v2.0 app-only token for Graph (login.microsoftonline.com issuer, idtyp app). */
    static TestTokens.Builder v2AppOnly(String... roles) {
        return TestTokens.signedWith(realKey).appOnly().tenant(TENANT).issuer("https://login.microsoftonline.com/" + TENANT + "/v2.0")
                .aud(GRAPH_ID).appId("5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41").oid("8b3c5e76-0d9a-4f2b-8487-1a5c6d3e9f71")
                .roles(roles).version("2.0").claim("idtyp", "app").claim("azp", "5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41")
                .at(NOW.minus(Duration.ofMinutes(10)), Duration.ofMinutes(70));
    }

    static Decision decide(String token, String method, String path) {
        return engine.decide(new GraphRequest(method, path, "Bearer " + token), NOW);
    }

    static Step step(Decision d, Check check) {
        return d.steps().stream().filter(s -> s.check() == check).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " step in " + d.steps()));
    }

    @ParameterizedTest(name = "v1 delegated [{0}] {1} {2}: {3}")
    @CsvSource({
            "User.Read, GET, /v1.0/me, allowed",
            "User.Read Mail.Read, GET, /v1.0/me/messages, allowed",
            "User.Read, GET, /v1.0/me/messages, permission-not-held",
            "User.Read, GET, /v1.0/users, permission-not-held",
            "User.ReadBasic.All, GET, /v1.0/users, allowed",
            "Directory.Read.All, GET, /beta/groups, allowed"})
    void aRealDelegatedTokenIsDecidedFromItsScopes(String scp, String method, String path, String verdict) throws Exception {
        Decision d = decide(v1Delegated(scp).sign(), method, path);
        assertThat(step(d, Check.SIGNATURE_AND_ISSUER).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(step(d, Check.SIGNATURE_AND_ISSUER).detail()).contains("Microsoft Entra ID (v1.0 issuer)")
                .contains("not checked");
        assertThat(verdict(d)).as(d.steps().toString()).isEqualTo(verdict);
    }

    static String verdict(Decision d) {
        return switch (d) {
            case Decision.Allow a -> "allowed";
            case Decision.Deny n -> n.failure().cause().slug();
        };
    }

    @Test
    void aRefusalNamesTheLeastPrivilegedPermissionOfTheTokensKind() throws Exception {
        Decision.Deny d = (Decision.Deny) decide(v1Delegated("User.Read").sign(), "GET", "/v1.0/users");
        assertThat(d.leastPrivileged().get("DelegatedWork")).contains("User.ReadBasic.All");
        Decision.Deny app = (Decision.Deny) decide(v2AppOnly("Mail.Read").sign(), "GET", "/v1.0/users");
        assertThat(app.leastPrivileged().get("Application")).contains("User.ReadBasic.All");
    }

    @Test
    void anAppOnlyTokenIsDecidedFromItsRoles() throws Exception {
        Decision users = decide(v2AppOnly("User.Read.All").sign(), "GET", "/v1.0/users");
        assertThat(users).isInstanceOf(Decision.Allow.class);
        assertThat(step(users, Check.SIGNATURE_AND_ISSUER).detail()).contains("Microsoft Entra ID (v2.0 issuer)");
        assertThat(step(users, Check.ACCOUNT_TYPE).detail()).isEqualTo("an application");
        assertThat(decide(v2AppOnly("User.Read.All").sign(), "GET", "/v1.0/me")).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void whatOnlyTheTenantKnowsIsRecordedAsUnknownNotGuessed() throws Exception {
        Decision d = decide(v1Delegated("Mail.Read").sign(), "GET", "/v1.0/me/messages");
        assertThat(d).isInstanceOf(Decision.Allow.class);
        // The mailbox owner's licence is the tenant's to say.
        assertThat(d.steps()).filteredOn(s -> s.check() != Check.SIGNATURE_AND_ISSUER)
                .anySatisfy(s -> assertThat(s.outcome()).isEqualTo(Outcome.UNKNOWN));
    }

    @Test
    void aPersonalAccountOnAWorkOnlyRouteIsRefused() throws Exception {
        String token = TestTokens.signedWith(realKey).delegated().tenant(PERSONAL)
                .issuer("https://login.microsoftonline.com/" + PERSONAL + "/v2.0").aud(GRAPH_ID)
                .appId("5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41").oid("00000000-0000-0000-66f3-3332eca7ea81")
                .scp("User.Read", "Mail.Read", "User.ReadBasic.All").version("2.0")
                .at(NOW.minus(Duration.ofMinutes(1)), Duration.ofHours(1)).sign();
        assertThat(decide(token, "GET", "/v1.0/me")).isInstanceOf(Decision.Allow.class);
        Decision users = decide(token, "GET", "/v1.0/users");
        assertThat(verdict(users)).isEqualTo(Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED.slug());
        assertThat(step(users, Check.SIGNATURE_AND_ISSUER).detail()).contains("personal Microsoft accounts");
    }

    @ParameterizedTest(name = "aud {0}")
    @CsvSource({"https://graph.windows.net, Azure AD Graph", "00000002-0000-0000-c000-000000000000, Azure AD Graph",
            "https://contoso.sharepoint.com, SharePoint", "https://management.azure.com/, Azure Resource Manager"})
    void aTokenForAnotherResourceNamesIt(String aud, String named) throws Exception {
        Decision d = decide(v1Delegated("User.Read").aud(aud).sign(), "GET", "/v1.0/me");
        assertThat(verdict(d)).isEqualTo(Cause.WRONG_AUDIENCE.slug());
        assertThat(step(d, Check.LIFETIME).outcome()).isEqualTo(Outcome.PASSED);
        assertThat(d.steps().get(d.steps().size() - 1).detail()).contains(named);
    }

    @Test
    void anExpiredTokenIsRefusedAsGraphDoes() throws Exception {
        String token = v1Delegated("User.Read").at(NOW.minus(Duration.ofHours(3)), Duration.ofHours(1)).sign();
        Decision.Deny d = (Decision.Deny) decide(token, "GET", "/v1.0/me");
        assertThat(d.failure().cause()).isEqualTo(Cause.TOKEN_EXPIRED);
        assertThat(d.failure().publicMessage()).isEqualTo("Lifetime validation failed, the token is expired.");
    }

    @Test
    void tokensOfOtherProvidersAndWhatIsNoTokenAreNamed() throws Exception {
        String google = TestTokens.signedWith(realKey).edit(b -> b.issuer("https://accounts.google.com")
                .audience("1234.apps.googleusercontent.com").subject("110169484474386276334")
                .claim("tid", null)).at(NOW, Duration.ofHours(1)).sign();
        Decision.Deny g = (Decision.Deny) decide(google, "GET", "/v1.0/me");
        assertThat(g.failure().cause()).isEqualTo(Cause.TOKEN_ISSUER_UNTRUSTED);
        assertThat(g.failure().explanation()).contains("Google").contains("not one that Microsoft Graph accepts");
        assertThat(g.failure().fix()).isEqualTo("Get the token from Microsoft Entra ID, for https://graph.microsoft.com (MSAL "
                + "with your tenant's authority).");
        String keycloak = TestTokens.signedWith(realKey).edit(b -> b.issuer("https://sso.example/realms/apps")
                .audience("account").claim("tid", null)).at(NOW, Duration.ofHours(1)).sign();
        assertThat(((Decision.Deny) decide(keycloak, "GET", "/v1.0/me")).failure().explanation()).contains("Keycloak");

        assertThat(verdict(decide("not-a-token", "GET", "/v1.0/me"))).isEqualTo(Cause.TOKEN_NOT_COMPACT.slug());
        assertThat(verdict(decide("a.b.c.d.e", "GET", "/v1.0/me"))).isEqualTo(Cause.TOKEN_MALFORMED.slug());
        assertThat(verdict(engine.decide(new GraphRequest("GET", "/v1.0/me", null), NOW))).isEqualTo(Cause.TOKEN_MISSING.slug());
    }
}
