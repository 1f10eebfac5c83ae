package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.device.DeviceAuthorizations;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.testkit.HtmlForms;
import dev.consentry.testkit.TestTenants;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The device code poll (RFC 8628, sections 3.4 and 3.5), at {@link TokenEndpoint#handle}. */
class DeviceCodeGrantTest {
    final GrantFixture f = new GrantFixture();
    final DeviceAuthorizations devices = new DeviceAuthorizations(f.store);

    /** A new device authorization of the desktop app: its device code and user code. */
    Map<String, Object> start() {
        FormParameters params = FormParameters.parse(HtmlForms.encode(params("client_id", DESKTOP.toString(), "scope",
                API_URI + "/access_as_user")).getBytes(StandardCharsets.UTF_8), TokenEndpoint.SINGLE_VALUED);
        return devices.start(URLS, TENANT, params, f.clock.instant());
    }

    TokenOutcome poll(Map<String, Object> started) {
        return poll(started, DESKTOP.toString());
    }

    TokenOutcome poll(Map<String, Object> started, String client) {
        return f.post("grant_type", GrantType.DEVICE_CODE.wireName(), "client_id", client, "device_code",
                started.get("device_code").toString());
    }

    void approve(Map<String, Object> started) {
        assertThat(devices.approve(started.get("user_code").toString(), TestTenants.FABRIKAM, ADELE,
                AuthContext.password(f.clock.instant()))).isTrue();
    }

    @Test
    void pendingUntilApprovedThenTokensExactlyOnce() throws Exception {
        var started = start();
        assertThat(refused(poll(started))).isEqualTo(Cause.DEVICE_AUTHORIZATION_PENDING);
        f.clock.advance(Duration.ofSeconds(DeviceAuthorizations.INTERVAL_SECONDS));
        approve(started);
        var body = issued(poll(started));
        assertThat(claims(body.get("access_token")).getStringClaim("oid")).isEqualTo(ADELE.toString());
        f.clock.advance(Duration.ofSeconds(DeviceAuthorizations.INTERVAL_SECONDS));
        assertThat(refused(poll(started))).isEqualTo(Cause.DEVICE_CODE_INVALID);
    }

    @Test
    void aPollSoonerThanTheIntervalLessTheToleranceIsTooSoon() {
        var started = start();
        refused(poll(started));
        // The interval is 5 s and one second of slack is allowed: 4 s after the previous poll is not too soon ...
        f.clock.advance(Duration.ofSeconds(DeviceAuthorizations.INTERVAL_SECONDS).minus(DeviceCodeGrant.POLL_TOLERANCE));
        assertThat(refused(poll(started))).isEqualTo(Cause.DEVICE_AUTHORIZATION_PENDING);
        // ... 3.999 s is.
        f.clock.advance(Duration.ofSeconds(DeviceAuthorizations.INTERVAL_SECONDS).minus(DeviceCodeGrant.POLL_TOLERANCE)
                .minusMillis(1));
        assertThat(refused(poll(started))).isEqualTo(Cause.DEVICE_SLOW_DOWN);
    }

    @Test
    void anAuthorizationExpiresExactlyFifteenMinutesAfterItStarted() {
        var lastMoment = start();
        var tooLate = start();
        approve(lastMoment);
        approve(tooLate);
        f.clock.advance(DeviceAuthorizations.LIFETIME.minusMillis(1));
        issued(poll(lastMoment));
        f.clock.advance(Duration.ofMillis(1));
        assertThat(refused(poll(tooLate))).isEqualTo(Cause.DEVICE_CODE_EXPIRED);
    }

    /**
     * An authorization started and approved at Fabrikam's endpoint is unknown when polled at Contoso's (the bug this
     * test found let it yield Fabrikam tokens there).
     */
    @Test
    void anAuthorizationIsNotRedeemedThroughAnotherTenantsEndpoint() {
        var started = start();
        approve(started);
        assertThat(refused(f.post(OTHER_TENANT, null, params("grant_type", GrantType.DEVICE_CODE.wireName(), "client_id",
                DESKTOP.toString(), "device_code", started.get("device_code").toString())))).isEqualTo(Cause.DEVICE_CODE_INVALID);
    }

    @Test
    void aDeclinedAuthorizationAndAnotherClientsCodeAreRefused() {
        var declined = start();
        assertThat(devices.decline(declined.get("user_code").toString())).isTrue();
        assertThat(refused(poll(declined))).isEqualTo(Cause.DEVICE_AUTHORIZATION_DECLINED);
        var other = start();
        assertThat(refused(poll(other, DAEMON.toString()))).isEqualTo(Cause.DEVICE_CODE_INVALID);
        assertThat(refused(f.post("grant_type", GrantType.DEVICE_CODE.wireName(), "client_id", DESKTOP.toString(),
                "device_code", "not-a-device-code"))).isEqualTo(Cause.DEVICE_CODE_INVALID);
    }
}
