package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The client credentials grant with a client secret (RFC 6749, section 4.4), at {@link TokenEndpoint#handle}. */
class ClientCredentialsGrantTest {
    final GrantFixture f = new GrantFixture();

    TokenOutcome daemon(String secret, String scope) {
        return f.post("grant_type", "client_credentials", "client_id", DAEMON.toString(), "client_secret", secret,
                "scope", scope);
    }

    @Test
    void aDaemonWithItsSecretGetsAnAppOnlyTokenWithTheRolesItHolds() throws Exception {
        var body = issued(daemon(DAEMON_SECRET, API_URI + "/.default"));
        assertThat(body).containsKeys("access_token", "expires_in").doesNotContainKeys("refresh_token", "id_token");
        var claims = claims(body.get("access_token"));
        assertThat(claims.getStringListClaim("roles")).containsExactly("Orders.Read.All");
        assertThat(claims.getStringClaim("idtyp")).isEqualTo("app");
        assertThat(claims.getStringClaim("oid")).isEqualTo(DAEMON_SP.toString());
        assertThat(claims.getExpirationTime().toInstant()).isAfter(T0);
    }

    @Test
    void theSecretMayComeInHttpBasicButNotInBothPlaces() {
        String basic = "Basic " + Base64.getEncoder().encodeToString((DAEMON + ":" + DAEMON_SECRET).getBytes(StandardCharsets.UTF_8));
        issued(f.post(TENANT, basic, params("grant_type", "client_credentials", "scope", API_URI + "/.default")));
        assertThat(refused(f.post(TENANT, basic, params("grant_type", "client_credentials", "client_secret", DAEMON_SECRET,
                "scope", API_URI + "/.default")))).isEqualTo(Cause.CLIENT_AUTHENTICATION_AMBIGUOUS);
    }

    @Test
    void aWrongOrMissingSecretIsRefused() {
        assertThat(refused(daemon("not-the-secret", API_URI + "/.default"))).isEqualTo(Cause.CLIENT_SECRET_INVALID);
        assertThat(refused(f.post("grant_type", "client_credentials", "client_id", DAEMON.toString(), "scope",
                API_URI + "/.default"))).isEqualTo(Cause.CLIENT_CREDENTIAL_MISSING);
    }

    @Test
    void aSecretThatEndsExactlyNowHasEnded() {
        Instant end = T0.minus(Duration.ofDays(1));
        f.clock.set(end.minusMillis(1));
        issued(daemon(ENDED_SECRET, API_URI + "/.default"));
        f.clock.set(end);
        assertThat(refused(daemon(ENDED_SECRET, API_URI + "/.default"))).isEqualTo(Cause.CLIENT_SECRET_EXPIRED);
    }

    @Test
    void unknownClientsAndAuthoritiesWithoutATenantAreRefused() {
        assertThat(refused(f.post("grant_type", "client_credentials", "client_id", "99999999-9999-4999-8999-999999999999",
                "client_secret", "x", "scope", API_URI + "/.default"))).isEqualTo(Cause.CLIENT_NOT_FOUND);
        assertThat(refused(f.post("common", null, params("grant_type", "client_credentials", "client_id", DAEMON.toString(),
                "client_secret", DAEMON_SECRET, "scope", API_URI + "/.default")))).isEqualTo(Cause.TENANT_REQUIRED_FOR_FLOW);
        assertThat(refused(f.post("no-such-tenant.example", null, params("grant_type", "client_credentials", "client_id",
                DAEMON.toString(), "client_secret", DAEMON_SECRET, "scope", API_URI + "/.default"))))
                .isEqualTo(Cause.TENANT_NOT_FOUND);
    }

    @Test
    void onlyOneDefaultScopeOfAKnownResourceIsServed() {
        assertThat(refused(f.post("grant_type", "client_credentials", "client_id", DAEMON.toString(), "client_secret",
                DAEMON_SECRET))).isEqualTo(Cause.SCOPE_MISSING);
        assertThat(refused(daemon(DAEMON_SECRET, API_URI + "/access_as_user"))).isEqualTo(Cause.SCOPE_INVALID_FOR_FLOW);
        assertThat(refused(daemon(DAEMON_SECRET, API_URI + "/.default " + DOWNSTREAM_URI + "/.default")))
                .isEqualTo(Cause.SCOPE_INVALID);
        assertThat(refused(daemon(DAEMON_SECRET, "api://nothing-here/.default"))).isEqualTo(Cause.RESOURCE_NOT_FOUND);
    }
}
