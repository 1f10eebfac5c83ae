package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import org.junit.jupiter.api.Test;

/** What the token endpoint answers before any grant runs (RFC 6749, section 5.2), at {@link TokenEndpoint#handle}. */
class UnsupportedGrantTypeTest {
    final GrantFixture f = new GrantFixture();

    @Test
    void anUnknownGrantTypeIsUnsupportedAndTheSupportedOnesAreNamed() {
        var outcome = f.post("grant_type", "urn:ietf:params:oauth:grant-type:saml2-bearer", "client_id", DAEMON.toString());
        assertThat(refused(outcome)).isEqualTo(Cause.GRANT_TYPE_UNSUPPORTED);
        assertThat(((TokenOutcome.Refused) outcome).failure().facts().get("supported")).contains(
                "client_credentials", "authorization_code", "refresh_token", "password", GrantType.JWT_BEARER.wireName(),
                GrantType.DEVICE_CODE.wireName());
        assertThat(refused(f.post("grant_type", "implicit"))).isEqualTo(Cause.GRANT_TYPE_UNSUPPORTED);
    }

    @Test
    void aMissingGrantTypeOrAnUnknownTenantIsRefusedFirst() {
        assertThat(refused(f.post("client_id", DAEMON.toString()))).isEqualTo(Cause.PARAMETER_MISSING);
        assertThat(refused(f.post("unknown.example", null, params("grant_type", "urn:example:unsupported"))))
                .isEqualTo(Cause.TENANT_NOT_FOUND);
    }
}
