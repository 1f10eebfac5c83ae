package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.identity.token.RefreshTokens;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The refresh token grant (RFC 6749, section 6) with rotation and reuse detection, at {@link TokenEndpoint#handle}. */
class RefreshTokenGrantTest {
    static final String SCOPE = API_URI + "/access_as_user offline_access";
    final GrantFixture f = new GrantFixture();

    String firstRefreshToken() {
        return f.adeleSignsIn(SCOPE).get("refresh_token").toString();
    }

    TokenOutcome refresh(String token, String client) {
        return f.post("grant_type", "refresh_token", "client_id", client, "refresh_token", token, "scope", SCOPE);
    }

    @Test
    void eachRedemptionRotatesAndAReuseRevokesTheWholeFamily() {
        String first = firstRefreshToken();
        String second = issued(refresh(first, DESKTOP.toString())).get("refresh_token").toString();
        assertThat(second).isNotEqualTo(first);
        assertThat(refused(refresh(first, DESKTOP.toString()))).isEqualTo(Cause.REFRESH_TOKEN_REUSED);
        assertThat(refused(refresh(second, DESKTOP.toString()))).as("the reuse revoked the family")
                .isEqualTo(Cause.REFRESH_TOKEN_REVOKED);
    }

    @Test
    void aFamilyUnusedForExactlyNinetyDaysHasExpired() {
        String lastMoment = firstRefreshToken();
        String tooLate = firstRefreshToken();
        f.clock.advance(RefreshTokens.MAX_INACTIVE.minusMillis(1));
        String next = issued(refresh(lastMoment, DESKTOP.toString())).get("refresh_token").toString();
        f.clock.advance(Duration.ofMillis(1));
        assertThat(refused(refresh(tooLate, DESKTOP.toString()))).isEqualTo(Cause.REFRESH_TOKEN_EXPIRED);
        assertThat(issued(refresh(next, DESKTOP.toString()))).as("using a token restarts its ninety days")
                .containsKey("refresh_token");
    }

    /**
     * Adele's Fabrikam refresh token, sent to Contoso's endpoint by a single-tenant Fabrikam app, is refused as the
     * password grant at Contoso refuses Adele: she has no account there (the bug this test found let it yield a
     * Fabrikam token).
     */
    @Test
    void aRefreshTokenIsNotRedeemedThroughAnotherTenantsEndpoint() {
        var outcome = f.post(OTHER_TENANT, null, params("grant_type", "refresh_token", "client_id", DESKTOP.toString(),
                "refresh_token", firstRefreshToken(), "scope", SCOPE));
        assertThat(refused(outcome)).isEqualTo(Cause.USER_NOT_IN_TENANT);
    }

    @Test
    void aTokenWorksOnlyForItsClientAndOnlyIfItExists() {
        assertThat(refused(refresh(firstRefreshToken(), API.toString()))).isEqualTo(Cause.REFRESH_TOKEN_CLIENT_MISMATCH);
        assertThat(refused(refresh("1.not-a-token", DESKTOP.toString()))).isEqualTo(Cause.REFRESH_TOKEN_INVALID);
    }
}
