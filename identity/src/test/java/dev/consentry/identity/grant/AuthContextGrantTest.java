package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.consentry.core.secret.Digests;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.RefreshTokenRecord;
import dev.consentry.core.session.SignInSession;
import dev.consentry.identity.authorize.AuthorizationRequests;
import dev.consentry.identity.authorize.AuthorizeFlow;
import dev.consentry.identity.code.AuthorizationCodes;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.device.DeviceAuthorizations;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.token.RefreshTokens;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.testkit.HtmlForms;
import dev.consentry.testkit.TestTenants;
import dev.consentry.testkit.TestTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a sign-in proved reaches every token that stems from it, at {@link TokenEndpoint#handle}: a browser session's
 * {@link AuthContext} goes into the code the session yields, from the code into the refresh token family, and from
 * every token of the family into the access tokens; a device approval's goes into the device's tokens; an
 * on-behalf-of token states its assertion's. Each chain starts from a context no grant would make up ({@code amr}
 * {@code [pwd, mfa]}, {@code acrs} {@code [c1]}, a device, an earlier sign-in time), so a hop that dropped or replaced
 * it shows as a password-only token or a changed stored record.
 */
class AuthContextGrantTest {
    static final String REDIRECT = "http://localhost:51234";
    static final String VERIFIER = "a-verifier-of-at-least-forty-three-characters-0123456789";
    /** The v1.0 resource: its tokens carry {@code amr}. */
    static final String V1_SCOPE = DOWNSTREAM_URI + "/read offline_access";
    /** The v2.0 resource: its tokens carry {@code acrs} but no {@code amr}, as Entra's. */
    static final String V2_SCOPE = API_URI + "/access_as_user offline_access";
    static final String DEVICE_ID = "5b6e0d2c-1f3a-4e7b-9c8d-2a1b3c4d5e6f";
    static final AuthContext STEP_UP = new AuthContext(List.of("pwd", "mfa"), List.of("c1"), DEVICE_ID,
            T0.minus(Duration.ofMinutes(20)));

    final GrantFixture f = new GrantFixture();

    // ---- browser session -> authorization code -> refresh token family -> access tokens ---------------------------

    /** Adele's session in a browser, stored as the sign-in pages store it after she passed a second factor. */
    AuthContext stepUpSessionInTheStore() {
        f.store.signInSessions().save(new SignInSession("browser-1", TestTenants.FABRIKAM, ADELE, STEP_UP, T0));
        return f.store.signInSessions().list("browser-1").get(0).auth();
    }

    /** A code for the desktop app from Adele's browser session, as the authorize endpoint issues it on resuming. */
    String codeFromTheSession(String scope) throws Exception {
        var request = new AuthorizationRequests(f.store).parse(TENANT, HtmlForms.encode(params("client_id", DESKTOP.toString(),
                "response_type", "code", "redirect_uri", REDIRECT, "scope", scope, "code_challenge", s256(VERIFIER),
                "code_challenge_method", "S256")));
        var flow = new AuthorizeFlow(f.store, new DelegatedScopes(f.store, new ResourceResolver(f.store)),
                new AuthorizationCodes(f.store), new AccessTokenFactory(f.keys));
        var adele = new AuthenticatedUser(f.store.tenants().find(TestTenants.FABRIKAM).orElseThrow(),
                f.store.users().find(TestTenants.FABRIKAM, ADELE).orElseThrow());
        var completion = flow.complete(request, adele, stepUpSessionInTheStore(), "session-state", URLS, f.clock.instant());
        assertThat(completion).isInstanceOf(AuthorizeFlow.Completion.Respond.class);
        return ((AuthorizeFlow.Completion.Respond) completion).response().parameters().get("code");
    }

    Map<String, Object> redeem(String code) {
        return issued(f.post("grant_type", "authorization_code", "client_id", DESKTOP.toString(), "code", code,
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER));
    }

    Map<String, Object> refresh(Object refreshToken, String scope) {
        return issued(f.post("grant_type", "refresh_token", "client_id", DESKTOP.toString(), "refresh_token",
                refreshToken.toString(), "scope", scope));
    }

    @Test
    void aCodeFromAStepUpSessionYieldsItsAmrAndAcrsAndSoDoesEveryRefreshOfItsFamily() throws Exception {
        var fromCode = redeem(codeFromTheSession(V1_SCOPE));
        assertSteppedUp(claims(fromCode.get("access_token")));
        assertFamilyKeepsTheStepUp(fromCode.get("refresh_token"));

        f.clock.advance(Duration.ofHours(2));
        var first = refresh(fromCode.get("refresh_token"), V1_SCOPE);
        assertSteppedUp(claims(first.get("access_token")));
        assertFamilyKeepsTheStepUp(first.get("refresh_token"));

        f.clock.advance(Duration.ofDays(30));
        var second = refresh(first.get("refresh_token"), V1_SCOPE);
        assertSteppedUp(claims(second.get("access_token")));
        assertFamilyKeepsTheStepUp(second.get("refresh_token"));
    }

    @Test
    void aV2TokenCarriesTheAcrsButNoAmr() throws Exception {
        var body = redeem(codeFromTheSession(V2_SCOPE));
        JWTClaimsSet token = claims(body.get("access_token"));
        assertThat(token.getStringClaim("ver")).isEqualTo("2.0");
        assertThat(token.getStringListClaim("acrs")).containsExactly("c1");
        assertThat(token.getClaims()).doesNotContainKey("amr");
        assertThat(claims(refresh(body.get("refresh_token"), V2_SCOPE).get("access_token")).getStringListClaim("acrs"))
                .containsExactly("c1");
    }

    // ---- a refresh token family stored directly ---------------------------------------------------------------------

    @Test
    void aStoredFamilysContextIsWhatItsRefreshesStateWhateverTheFamilyAsksFor() throws Exception {
        RefreshTokens.Issued stored = new RefreshTokens(f.store.refreshTokens()).create(TestTenants.FABRIKAM, DESKTOP, ADELE,
                STEP_UP, V1_SCOPE, null, T0.minus(Duration.ofMinutes(20)));
        f.store.refreshTokens().save(stored.record());

        var v1 = refresh(stored.token(), V1_SCOPE);
        assertSteppedUp(claims(v1.get("access_token")));
        var v2 = refresh(v1.get("refresh_token"), V2_SCOPE);
        assertThat(claims(v2.get("access_token")).getStringListClaim("acrs")).containsExactly("c1");
        var v1Again = refresh(v2.get("refresh_token"), V1_SCOPE);
        assertSteppedUp(claims(v1Again.get("access_token")));
        assertFamilyKeepsTheStepUp(v1Again.get("refresh_token"));
    }

    // ---- device code ----------------------------------------------------------------------------------------------------

    @Test
    void aDeviceApprovedAfterAStepUpGetsTokensThatSaySo() throws Exception {
        var devices = new DeviceAuthorizations(f.store);
        var started = devices.start(URLS, TENANT, FormParameters.parse(HtmlForms.encode(params("client_id",
                DESKTOP.toString(), "scope", V1_SCOPE)).getBytes(StandardCharsets.UTF_8), TokenEndpoint.SINGLE_VALUED),
                f.clock.instant());
        assertThat(devices.approve(started.get("user_code").toString(), TestTenants.FABRIKAM, ADELE, STEP_UP)).isTrue();

        var body = issued(f.post("grant_type", GrantType.DEVICE_CODE.wireName(), "client_id", DESKTOP.toString(),
                "device_code", started.get("device_code").toString()));
        assertSteppedUp(claims(body.get("access_token")));
        assertFamilyKeepsTheStepUp(body.get("refresh_token"));
        assertSteppedUp(claims(refresh(body.get("refresh_token"), V1_SCOPE).get("access_token")));
    }

    // ---- password grant ---------------------------------------------------------------------------------------------------

    @Test
    void thePasswordGrantIsAPasswordSignInAtTheRequest() throws Exception {
        f.clock.advance(Duration.ofMinutes(3));
        var body = f.adeleSignsIn(V1_SCOPE);
        JWTClaimsSet token = claims(body.get("access_token"));
        assertThat(token.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(token.getClaims()).as("no context class was asked for").doesNotContainKey("acrs");
        assertThat(familyOf(body.get("refresh_token")).auth()).isEqualTo(AuthContext.password(T0.plusSeconds(180)));
    }

    // ---- on behalf of -----------------------------------------------------------------------------------------------------

    /** Adele's v1.0 token for the API, as issued after her step-up: it states amr and acrs. */
    String steppedUpV1TokenForTheApi() {
        var key = f.keys.primary();
        return TestTokens.signedWith(key.signer(), key.kid()).delegated().tenant(TestTenants.FABRIKAM).aud(API_URI)
                .oid(ADELE).appId(DESKTOP).scp("access_as_user").version("1.0").claim("amr", List.of("pwd", "mfa"))
                .claim("acrs", List.of("c1")).at(f.clock).sign();
    }

    Map<String, Object> onBehalfOf(String assertion) {
        return issued(f.post("grant_type", GrantType.JWT_BEARER.wireName(), "client_id", API.toString(), "client_secret",
                API_SECRET, "assertion", assertion, "requested_token_use", "on_behalf_of", "scope", DOWNSTREAM_URI + "/read"));
    }

    @Test
    void anOnBehalfOfTokenStatesTheAssertionsAmrAndAcrs() throws Exception {
        assertSteppedUp(claims(onBehalfOf(steppedUpV1TokenForTheApi()).get("access_token")));
    }

    @Test
    void anOnBehalfOfTokenKeepsTheAcrsOfAV2AssertionWhichStatesNoAmr() throws Exception {
        String v2ForTheApi = redeem(codeFromTheSession(API_URI + "/access_as_user")).get("access_token").toString();
        JWTClaimsSet token = claims(onBehalfOf(v2ForTheApi).get("access_token"));
        assertThat(token.getStringListClaim("acrs")).containsExactly("c1");
        assertThat(token.getStringListClaim("amr")).as("a v2.0 assertion does not say; a password is assumed")
                .containsExactly("pwd");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------------

    /** A v1.0 access token that states the step-up: {@code amr} [pwd, mfa] and {@code acrs} [c1]. */
    static void assertSteppedUp(JWTClaimsSet token) throws ParseException {
        assertThat(token.getStringClaim("ver")).isEqualTo("1.0");
        assertThat(token.getStringListClaim("amr")).containsExactly("pwd", "mfa");
        assertThat(token.getStringListClaim("acrs")).containsExactly("c1");
    }

    /** The stored record of a refresh token this test was issued. */
    RefreshTokenRecord familyOf(Object refreshToken) {
        String hash = Digests.sha256Url(refreshToken.toString()); // refresh tokens are stored as this hash only
        return f.store.refreshTokens().find(hash).orElseThrow();
    }

    /** The stored token keeps every part of the step-up, the device and the sign-in time included. */
    void assertFamilyKeepsTheStepUp(Object refreshToken) {
        assertThat(refreshToken).as("a refresh token was issued").isNotNull();
        assertThat(familyOf(refreshToken).auth()).isEqualTo(STEP_UP);
    }

    static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
