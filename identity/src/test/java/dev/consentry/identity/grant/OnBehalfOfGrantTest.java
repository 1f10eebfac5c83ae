package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.identity.token.TokenValidator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The on-behalf-of flow (RFC 7523 jwt-bearer with {@code requested_token_use=on_behalf_of}), at {@link TokenEndpoint#handle}. */
class OnBehalfOfGrantTest {
    final GrantFixture f = new GrantFixture();

    /** Adele's token for the API, as the desktop app sends it to the API. */
    String adeleTokenForTheApi() {
        return f.adeleSignsIn(API_URI + "/access_as_user").get("access_token").toString();
    }

    TokenOutcome exchange(String client, String secret, String assertion, String use) {
        return f.post("grant_type", GrantType.JWT_BEARER.wireName(), "client_id", client, "client_secret", secret,
                "assertion", assertion, "requested_token_use", use, "scope", DOWNSTREAM_URI + "/read");
    }

    @Test
    void theApiExchangesAUsersTokenForOneToTheDownstreamApi() throws Exception {
        var body = issued(exchange(API.toString(), API_SECRET, adeleTokenForTheApi(), "on_behalf_of"));
        var claims = claims(body.get("access_token"));
        assertThat(claims.getStringClaim("oid")).isEqualTo(ADELE.toString());
        assertThat(claims.getStringClaim("scp")).isEqualTo("read");
    }

    @Test
    void theAssertionExpiresExactlyAtItsExpiryPlusTheSkew() throws Exception {
        String assertion = adeleTokenForTheApi();
        Instant expired = claims(assertion).getExpirationTime().toInstant().plus(TokenValidator.SKEW);
        f.clock.set(expired.minusMillis(1));
        issued(exchange(API.toString(), API_SECRET, assertion, "on_behalf_of"));
        f.clock.set(expired);
        assertThat(refused(exchange(API.toString(), API_SECRET, assertion, "on_behalf_of")))
                .isEqualTo(Cause.OBO_ASSERTION_EXPIRED);
    }

    @Test
    void onlyAUserTokenIssuedForTheCallingClientIsExchanged() {
        String appOnly = issued(f.post("grant_type", "client_credentials", "client_id", DAEMON.toString(), "client_secret",
                DAEMON_SECRET, "scope", API_URI + "/.default")).get("access_token").toString();
        assertThat(refused(exchange(API.toString(), API_SECRET, appOnly, "on_behalf_of"))).isEqualTo(Cause.OBO_APP_ONLY_ASSERTION);
        assertThat(refused(exchange(DAEMON.toString(), DAEMON_SECRET, adeleTokenForTheApi(), "on_behalf_of")))
                .as("the daemon presents a token that was issued for the API").isEqualTo(Cause.OBO_ASSERTION_WRONG_AUDIENCE);
        assertThat(refused(exchange(API.toString(), API_SECRET, "not-a-token", "on_behalf_of")))
                .isEqualTo(Cause.OBO_ASSERTION_INVALID);
    }

    @Test
    void theApiMustAuthenticateAndAskForOnBehalfOf() {
        assertThat(refused(exchange(API.toString(), "wrong", adeleTokenForTheApi(), "on_behalf_of")))
                .isEqualTo(Cause.CLIENT_SECRET_INVALID);
        assertThat(refused(exchange(API.toString(), API_SECRET, adeleTokenForTheApi(), "something_else")))
                .isEqualTo(Cause.PARAMETER_INVALID);
    }
}
