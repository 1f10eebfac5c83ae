package dev.consentry.identity.grant;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Check;
import dev.consentry.core.id.AppId;
import dev.consentry.core.session.DeviceCodeRecord;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.client.ClientAuthenticator;
import dev.consentry.identity.client.ClientRegistrations;
import dev.consentry.identity.device.DeviceAuthorizations;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.store.Store;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The device code poll (RFC 8628, section 3.4; wire spec, sections 1.6 and 2.7), under the RFC's grant type
 * or the short {@code device_code} MSAL4J sends. Until someone approves on the verification page the answer
 * is {@code authorization_pending} (AADSTS70016), which MSAL keeps polling on; a poll sooner than the
 * interval after the previous one gets {@code slow_down} and a 5-second longer interval (RFC 8628,
 * section 3.5); then {@code authorization_declined}, {@code expired_token}, or the tokens, exactly once. A
 * device code is known only at the authority it was started at (the same tenant named by GUID or domain).
 */
final class DeviceCodeGrant implements Grant {
    /** Slack for a client that sleeps exactly the interval between polls (MSAL4J does). */
    static final Duration POLL_TOLERANCE = Duration.ofSeconds(1);
    /** The seconds a {@code slow_down} adds to the interval ({@link dev.consentry.store.DeviceCodeStore#poll}). */
    static final int SLOW_DOWN_STEP = 5;
    private final Store store;
    private final ClientAuthenticator clients;
    private final DelegatedIssuer issuer;

    DeviceCodeGrant(Store store, ClientAuthenticator clients, DelegatedIssuer issuer) {
        this.store = store;
        this.clients = clients;
        this.issuer = issuer;
    }

    @Override
    public Map<String, Object> issue(TokenCall call, TenantPath path) {
        String deviceCode = call.params().require("device_code");
        String clientIdText = call.params().require("client_id");
        AppId clientId = ClientRegistrations.parseClientId(clientIdText, path.pathValue());
        String hash = DeviceAuthorizations.hash(deviceCode);
        DeviceCodeRecord r = store.deviceCodes().poll(hash, call.now(), false).orElseThrow(() ->
                Failure.of(Cause.DEVICE_CODE_INVALID, "problem", "no device authorization has this device_code").toException());
        if (!sameAuthority(r.tenantPath(), path)) {
            throw Failure.of(Cause.DEVICE_CODE_INVALID, "problem", "it was issued at the authority '/" + r.tenantPath()
                    + "', not '/" + path.pathValue() + "'").toException();
        }
        if (!r.clientId().equals(clientId)) {
            throw Failure.of(Cause.DEVICE_CODE_INVALID, "problem", "it was issued to client " + r.clientId()).toException();
        }
        if (r.status() == DeviceCodeRecord.Status.REDEEMED) {
            throw Failure.of(Cause.DEVICE_CODE_INVALID, "problem", "it already yielded tokens").toException();
        }
        if (!call.now().isBefore(r.expiresAt())) {
            throw Failure.of(Cause.DEVICE_CODE_EXPIRED, "expiresAt", r.expiresAt().toString(), "lifetime",
                    DeviceAuthorizations.LIFETIME.toMinutes() + " minutes").toException();
        }
        switch (r.status()) {
            case DECLINED -> throw Failure.of(Cause.DEVICE_AUTHORIZATION_DECLINED, "userCode", r.userCode()).toException();
            case PENDING -> {
                Duration since = r.lastPolledAt() == null ? null : Duration.between(r.lastPolledAt(), call.now());
                if (since != null && since.plus(POLL_TOLERANCE).getSeconds() < r.intervalSeconds()) {
                    store.deviceCodes().poll(hash, call.now(), true);
                    // The interval the client must keep from now on: the store has just raised it.
                    throw Failure.of(Cause.DEVICE_SLOW_DOWN, "elapsed", since.toMillis() + " ms", "interval",
                            String.valueOf(r.intervalSeconds() + SLOW_DOWN_STEP)).toException();
                }
                throw Failure.of(Cause.DEVICE_AUTHORIZATION_PENDING, "userCode", r.userCode(), "interval",
                        String.valueOf(r.intervalSeconds())).toException();
            }
            default -> {
                // APPROVED: redeem below.
            }
        }
        AuthenticatedClient client = clients.authenticate(r.userTenant(), call.params(), call.authorization(),
                call.urls().assertionAudiences(call.tenantPathValue(), r.userTenant()), call.now(), true);
        call.steps().passed(Check.CLIENT_AUTHENTICATION, ClientAuthenticator.describe(client));
        User user = store.users().find(r.userTenant(), r.userId()).orElseThrow(() ->
                Failure.of(Cause.DEVICE_CODE_INVALID, "problem", "the user who approved it no longer exists").toException());
        UserAuthenticator.checkState(user);
        if (!store.deviceCodes().redeem(hash)) {
            throw Failure.of(Cause.DEVICE_CODE_INVALID, "problem", "another poll redeemed it at the same moment").toException();
        }
        return issuer.respond(call, r.userTenant(), client, user, call.params().get("scope").orElse(r.scope()), r.auth());
    }

    /** Whether a poll at {@code path} names the authority the device authorization was started at (by GUID or domain). */
    private boolean sameAuthority(String startedAt, TenantPath path) {
        if (startedAt.equalsIgnoreCase(path.pathValue())) {
            return true;
        }
        Optional<TenantPath> started = TenantPath.resolve(startedAt, store.tenants());
        return started.isPresent() && started.get() instanceof TenantPath.Specific s
                && path instanceof TenantPath.Specific p && s.id().equals(p.id());
    }
}
