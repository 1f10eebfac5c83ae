package dev.consentry.identity.device;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.Digests;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.DeviceCodeRecord;
import dev.consentry.identity.access.AccessDecision;
import dev.consentry.identity.access.AccessRequest;
import dev.consentry.identity.access.ConditionalAccess;
import dev.consentry.identity.client.ClientRegistrations;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.identity.resource.ResolvedResource;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.store.ApplicationStore.HomedApplication;
import dev.consentry.store.Store;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The device authorization grant's first half (RFC 8628, sections 3.1 to 3.3; wire spec, section 1.6): a
 * device asks {@code /devicecode} for a code pair, and a person enters the short user code on Consentry's
 * own verification page ({@code {origin}/devicelogin}, reachable offline), signs in and approves or declines.
 *
 * <p>Guaranteed: the device code is 48 random bytes stored only as a hash; the user code is
 * {@value #USER_CODE_LENGTH} characters of an alphabet without vowels or look-alike characters (RFC 8628,
 * section 6.1), unique among unexpired authorizations; an authorization lives {@link #LIFETIME} and may be
 * polled every {@link #INTERVAL_SECONDS} seconds.
 */
public final class DeviceAuthorizations {
    /** Entra's device codes live 15 minutes (wire spec, section 1.6). */
    public static final Duration LIFETIME = Duration.ofMinutes(15);
    public static final int INTERVAL_SECONDS = 5;
    public static final int USER_CODE_LENGTH = 9;
    /** The path of the verification page on Consentry's origin. */
    public static final String VERIFICATION_PATH = "/devicelogin";
    private static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Store store;
    private final DelegatedScopes scopes;
    private final ConditionalAccess conditionalAccess;

    public DeviceAuthorizations(Store store) {
        this.store = store;
        this.scopes = new DelegatedScopes(store, new ResourceResolver(store));
        this.conditionalAccess = new ConditionalAccess(store);
    }

    /** The {@code /devicecode} response for a form request; a {@code FailureException} for a bad one. */
    public Map<String, Object> start(StsUrls urls, String tenantPathValue, FormParameters params, Instant now) {
        TenantPath path = TenantPath.require(tenantPathValue, store.tenants());
        String clientIdText = params.require("client_id");
        String scope = params.require("scope");
        AppId clientId = ClientRegistrations.parseClientId(clientIdText, tenantPathValue);
        HomedApplication homed = ClientRegistrations.find(store, path, clientId);
        SignInRules.checkClientAudience(path, homed.application(), homed.tenant());

        byte[] random = new byte[48];
        RANDOM.nextBytes(random);
        String deviceCode = Digests.base64Url(random);
        String userCode = null;
        for (int attempt = 0; userCode == null; attempt++) {
            String candidate = newUserCode();
            Optional<DeviceCodeRecord> taken = store.deviceCodes().findByUserCode(candidate);
            if (taken.isEmpty() || !now.isBefore(taken.get().expiresAt())) {
                userCode = candidate;
            } else if (attempt > 20) {
                throw new IllegalStateException("no free user code after 20 attempts");
            }
        }
        store.deviceCodes().save(new DeviceCodeRecord(hash(deviceCode), userCode, tenantPathValue, clientId, scope, now,
                now.plus(LIFETIME), INTERVAL_SECONDS, null, DeviceCodeRecord.Status.PENDING, null, null, null));
        String verificationUri = urls.origin() + VERIFICATION_PATH;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_code", userCode);
        body.put("device_code", deviceCode);
        body.put("verification_uri", verificationUri);
        body.put("expires_in", LIFETIME.toSeconds());
        body.put("interval", INTERVAL_SECONDS);
        body.put("message", "To sign in, use a web browser to open the page " + verificationUri + " and enter the code "
                + userCode + " to authenticate.");
        return body;
    }

    /** A pending, unexpired authorization for a user code as typed (case, spaces and dashes ignored); else a failure. */
    public Pending pending(String typed, Instant now) {
        String code = typed == null ? "" : typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        DeviceCodeRecord r = store.deviceCodes().findByUserCode(code).orElseThrow(() -> Failure.of(Cause.DEVICE_CODE_INVALID,
                "problem", "no sign-in is waiting for the code '" + code + "'").toException());
        if (!now.isBefore(r.expiresAt())) {
            throw Failure.of(Cause.DEVICE_CODE_EXPIRED, "expiresAt", r.expiresAt().toString(), "lifetime",
                    LIFETIME.toMinutes() + " minutes").toException();
        }
        if (r.status() != DeviceCodeRecord.Status.PENDING) {
            throw Failure.of(Cause.DEVICE_CODE_INVALID, "problem", "the code '" + code + "' was already used").toException();
        }
        HomedApplication app = store.applications().findByAppIdInAnyTenant(r.clientId()).orElseThrow(() ->
                Failure.of(Cause.CLIENT_NOT_FOUND, "clientId", r.clientId().toString(), "tenant", r.tenantPath()).toException());
        TenantPath path = TenantPath.require(r.tenantPath(), store.tenants());
        return new Pending(r, app.application(), app.tenant(), path);
    }

    /** A pending authorization, with the app it is for and the authority it was started at. */
    public record Pending(DeviceCodeRecord record, Application client, TenantId clientHomeTenant, TenantPath path) {}

    /**
     * Approves for a user whose sign-in on the verification page proved {@code auth}, which the device's tokens will
     * state; false when it is no longer pending.
     */
    public boolean approve(String userCode, TenantId userTenant, ObjectId userId, AuthContext auth) {
        return store.deviceCodes().approve(userCode, userTenant, userId, auth);
    }

    /**
     * True when the page should ask {@code user}, whose sign-in on it proved {@code auth}, for a second factor before
     * approving: the tenant's conditional access policies refuse the token the device asked for (for the resource of its
     * scope, as a modern client's) for want of {@code mfa}, and a second factor would satisfy them (Entra runs its
     * multifactor step in the browser of a device code sign-in). Any other refusal is left to the device's poll, which
     * evaluates the policies again and answers as the token endpoint does.
     */
    public boolean secondFactorWanted(Pending p, TenantId userTenant, User user, AuthContext auth, Instant now,
                                      InetAddress address) {
        AppId resource;
        try {
            resource = scopes.resource(userTenant, p.record().scope()).map(ResolvedResource::appId).orElse(p.client().appId());
        } catch (FailureException e) {
            return false; // the poll refuses the scope itself
        }
        AccessRequest request = new AccessRequest(userTenant, user, p.client().appId(), resource, AccessRequest.MODERN_CLIENT,
                auth, auth.deviceId() == null ? null : store.devices().findByDeviceId(userTenant, auth.deviceId()).orElse(null),
                List.of(), now, address);
        AccessDecision decision = conditionalAccess.evaluate(request);
        return !decision.allowed() && conditionalAccess.secondFactorWouldSatisfy(request, decision);
    }

    /** Declines; false when it is no longer pending. */
    public boolean decline(String userCode) {
        return store.deviceCodes().decline(userCode);
    }


    private static String newUserCode() {
        StringBuilder b = new StringBuilder(USER_CODE_LENGTH);
        for (int i = 0; i < USER_CODE_LENGTH; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** The stored form of a device code. */
    public static String hash(String deviceCode) {
        return Digests.sha256Url(deviceCode);
    }
}
