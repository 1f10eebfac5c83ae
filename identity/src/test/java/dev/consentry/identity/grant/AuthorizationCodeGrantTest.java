package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.authorize.AuthorizationRequests;
import dev.consentry.identity.code.AuthorizationCodes;
import dev.consentry.testkit.HtmlForms;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The authorization code grant with PKCE (RFC 6749, section 4.1.3; RFC 7636, section 4.6), at
 * {@link TokenEndpoint#handle}: codes are issued through the authorize side's own API, never written by hand.
 */
class AuthorizationCodeGrantTest {
    static final String REDIRECT = "http://localhost:51234";
    static final String VERIFIER = "a-verifier-of-at-least-forty-three-characters-0123456789";
    final GrantFixture f = new GrantFixture();
    final AuthorizationCodes codes = new AuthorizationCodes(f.store);

    static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A code for Adele at the desktop app, as the authorize endpoint issues it after her sign-in. */
    String codeForAdele() throws Exception {
        var request = new AuthorizationRequests(f.store).parse(TENANT, HtmlForms.encode(params("client_id", DESKTOP.toString(),
                "response_type", "code", "redirect_uri", REDIRECT, "scope", API_URI + "/access_as_user openid offline_access",
                "code_challenge", s256(VERIFIER), "code_challenge_method", "S256")));
        return codes.issue(request.codeBinding(), dev.consentry.testkit.TestTenants.FABRIKAM, ADELE,
                AuthContext.password(f.clock.instant()), f.clock.instant());
    }

    TokenOutcome redeem(String code, String... overrides) {
        Map<String, String> p = params("grant_type", "authorization_code", "client_id", DESKTOP.toString(), "code", code,
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER);
        p.putAll(params(overrides));
        p.values().removeIf(v -> v == null);
        return f.post(TENANT, null, p);
    }

    @Test
    void aCodeAndItsVerifierYieldTokensOnceAndAReplayRevokesThem() throws Exception {
        String code = codeForAdele();
        var body = issued(redeem(code));
        assertThat(body).containsKeys("access_token", "refresh_token", "id_token");
        assertThat(claims(body.get("access_token")).getStringClaim("oid")).isEqualTo(ADELE.toString());
        assertThat(refused(redeem(code))).isEqualTo(Cause.AUTHORIZATION_CODE_REDEEMED);
        assertThat(refused(f.post("grant_type", "refresh_token", "client_id", DESKTOP.toString(), "refresh_token",
                body.get("refresh_token").toString()))).as("the replay revoked what the code yielded")
                .isEqualTo(Cause.REFRESH_TOKEN_REVOKED);
    }

    @Test
    void theVerifierMustBeSentAndMatchTheChallenge() throws Exception {
        assertThat(refused(redeem(codeForAdele(), "code_verifier", VERIFIER + "x"))).isEqualTo(Cause.PKCE_MISMATCH);
        assertThat(refused(redeem(codeForAdele(), "code_verifier", null))).isEqualTo(Cause.PKCE_MISMATCH);
    }

    @Test
    void aCodeIsExpiredExactlyTenMinutesAfterItWasIssued() throws Exception {
        String lastMoment = codeForAdele();
        String tooLate = codeForAdele();
        f.clock.advance(AuthorizationCodes.LIFETIME.minusMillis(1));
        issued(redeem(lastMoment));
        f.clock.advance(java.time.Duration.ofMillis(1));
        assertThat(refused(redeem(tooLate))).isEqualTo(Cause.AUTHORIZATION_CODE_EXPIRED);
    }

    @Test
    void aCodeIsBoundToItsClientAndRedirectUri() throws Exception {
        assertThat(refused(redeem("1.not-a-code"))).isEqualTo(Cause.AUTHORIZATION_CODE_INVALID);
        assertThat(refused(redeem(codeForAdele(), "client_id", DAEMON.toString())))
                .isEqualTo(Cause.AUTHORIZATION_CODE_CLIENT_MISMATCH);
        assertThat(refused(redeem(codeForAdele(), "redirect_uri", "http://localhost:51235")))
                .isEqualTo(Cause.AUTHORIZATION_CODE_REDIRECT_MISMATCH);
    }
}
