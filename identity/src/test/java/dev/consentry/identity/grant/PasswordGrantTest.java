package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import org.junit.jupiter.api.Test;

/** The resource owner password credentials grant (RFC 6749, section 4.3), at {@link TokenEndpoint#handle}. */
class PasswordGrantTest {
    static final String SCOPE = API_URI + "/access_as_user openid";
    final GrantFixture f = new GrantFixture();

    TokenOutcome signIn(String username, String password, String scope) {
        return f.post("grant_type", "password", "client_id", DESKTOP.toString(), "username", username, "password", password,
                "scope", scope);
    }

    @Test
    void theRightPasswordYieldsADelegatedTokenForTheConsentedScope() throws Exception {
        var body = issued(signIn(ADELE_UPN, PASSWORD, SCOPE));
        assertThat(body).containsKeys("access_token", "id_token").doesNotContainKey("refresh_token");
        var claims = claims(body.get("access_token"));
        assertThat(claims.getStringClaim("scp")).isEqualTo("access_as_user");
        assertThat(claims.getStringClaim("oid")).isEqualTo(ADELE.toString());
        assertThat(claims.getIssueTime().toInstant()).isBeforeOrEqualTo(T0);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserAreRefused() {
        assertThat(refused(signIn(ADELE_UPN, "wrong", SCOPE))).isEqualTo(Cause.PASSWORD_INVALID);
        assertThat(refused(signIn("nobody@" + dev.consentry.testkit.TestTenants.FABRIKAM_DOMAIN, PASSWORD, SCOPE)))
                .isEqualTo(Cause.USER_NOT_FOUND);
    }

    @Test
    void theAccountStateIsCheckedAfterThePassword() {
        assertThat(refused(signIn(DISABLED_UPN, PASSWORD, SCOPE))).isEqualTo(Cause.USER_DISABLED);
        assertThat(refused(signIn(DISABLED_UPN, "wrong", SCOPE))).as("a wrong password never tells the state")
                .isEqualTo(Cause.PASSWORD_INVALID);
        assertThat(refused(signIn(NEWHIRE_UPN, PASSWORD, SCOPE))).isEqualTo(Cause.PASSWORD_EXPIRED);
    }

    @Test
    void aPermissionNobodyConsentedToOrThatDoesNotExistIsRefused() {
        assertThat(refused(signIn(ADELE_UPN, PASSWORD, API_URI + "/Orders.Admin"))).isEqualTo(Cause.CONSENT_REQUIRED);
        assertThat(refused(signIn(ADELE_UPN, PASSWORD, API_URI + "/no.such.permission"))).isEqualTo(Cause.SCOPE_INVALID);
        assertThat(refused(signIn(ADELE_UPN, PASSWORD, API_URI + "/access_as_user " + DOWNSTREAM_URI + "/read")))
                .isEqualTo(Cause.SCOPE_MULTIPLE_RESOURCES);
    }

    @Test
    void aConfidentialClientMustStillAuthenticate() {
        assertThat(refused(f.post("grant_type", "password", "client_id", API.toString(), "username", ADELE_UPN,
                "password", PASSWORD, "scope", SCOPE))).isEqualTo(Cause.CLIENT_CREDENTIAL_MISSING);
    }
}
