package dev.consentry.junit;

import dev.consentry.core.audit.SignIn;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.identity.device.DeviceAuthorizations;
import dev.consentry.identity.user.UserSessions;
import dev.consentry.server.Consentry;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.store.Store;
import dev.consentry.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a test changes or reads on a running {@link LocalConsentry}, as an administrator or the passing of time would:
 * the clock (to expire tokens and codes without waiting), users' sessions, admin consent, the tenants themselves, and
 * the decisions and sign-ins Consentry recorded. Every change takes effect for the next request, as the same change
 * made through Graph or the {@code consentry} commands does.
 */
public final class ConsentryControl {
    private final Consentry consentry;
    private final Store store;
    private final MutableClock clock;

    ConsentryControl(Consentry consentry, Store store, MutableClock clock) {
        this.consentry = consentry;
        this.store = store;
        this.clock = clock;
    }

    /** Consentry's time now. */
    public Instant now() {
        return clock.instant();
    }

    /** Moves Consentry's clock forward by {@code amount} (an hour and a minute expires a token); returns the new time. */
    public Instant advanceClock(Duration amount) {
        return clock.advance(amount);
    }

    /** Takes Consentry's clock back to the system time. */
    public void resetClock() {
        clock.reset();
    }

    /**
     * Ends every session of the user {@code userPrincipalName}, as Graph's {@code revokeSignInSessions} does: their
     * refresh tokens stop working, their browser sessions end, and Graph refuses their older access tokens where
     * continuous access evaluation applies.
     */
    public void revokeSignInSessions(ConsentryTenant tenant, String userPrincipalName) {
        TenantId id = TenantId.of(tenant.tenantId());
        User user = user(tenant, id, userPrincipalName);
        new UserSessions(store).revoke(id, user.id(), clock.instant(), UserSessions.Reason.SESSIONS_REVOKED);
    }

    /**
     * Grants Microsoft Graph's {@code permissions} to the app {@code appName} as an administrator does in the portal
     * ("Add a permission", then "Grant admin consent"), {@code consentry grant} in code.
     */
    public void grantApplicationPermissions(ConsentryTenant tenant, String appName, String... permissions) {
        grant(tenant, appName, "application", permissions);
    }

    /** As {@link #grantApplicationPermissions}, for delegated permissions, consented for all users. */
    public void grantDelegatedPermissions(ConsentryTenant tenant, String appName, String... permissions) {
        grant(tenant, appName, "delegated", permissions);
    }

    private void grant(ConsentryTenant tenant, String appName, String type, String... permissions) {
        try (Administration admin = administration()) {
            for (String permission : permissions) {
                admin.grant(new Administration.GrantRequest(tenant.tenantId(), tenant.clientId(appName), null, permission, type));
            }
        }
    }

    /**
     * Revokes the admin consent of the app {@code appName} ("Revoke admin consent"): the app role assignments and the
     * all-users grants its registration's requested permissions became. Grants users gave themselves stay.
     */
    public void revokeAdminConsent(ConsentryTenant tenant, String appName) {
        try (Administration admin = administration()) {
            admin.consent(new Administration.ConsentRequest(tenant.tenantId(), tenant.clientId(appName), null, null, true));
        }
    }

    /**
     * Completes a device code sign-in as the user {@code userPrincipalName} would on the verification page with their
     * password, for tests of the device's side: the device's next poll gets its tokens. The page itself is Consentry's
     * to test; this skips it.
     *
     * @throws IllegalArgumentException when no sign-in waits for {@code userCode}, or the user does not exist
     */
    public void approveDeviceCode(ConsentryTenant tenant, String userCode, String userPrincipalName) {
        TenantId id = TenantId.of(tenant.tenantId());
        User user = user(tenant, id, userPrincipalName);
        DeviceAuthorizations devices = new DeviceAuthorizations(store);
        Instant now = clock.instant();
        DeviceAuthorizations.Pending pending;
        try {
            pending = devices.pending(userCode, now); // reads the code as the page does (any case, spaces, dashes)
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("no device code sign-in waits for the code " + userCode + ": " + e.getMessage(), e);
        }
        if (!devices.approve(pending.record().userCode(), id, user.id(), new AuthContext(List.of("pwd"), List.of(), null, now))) {
            throw new IllegalArgumentException("the device code sign-in for " + userCode + " is no longer pending");
        }
    }

    /** Replaces each of {@code tenants} (as a whole) with what it now says, checked as a tenant file is. */
    public void importTenants(ConsentryTenant... tenants) {
        consentry.importTenants(LocalConsentry.read(ConsentryExtension.tenantFile(List.of(tenants), "ConsentryControl.importTenants")));
    }

    /**
     * The decision this instance recorded last, for any caller: a token request or a Graph call, allowed or refused,
     * with its checks, cause and fix. Empty before the first.
     */
    public Optional<Diagnosis> lastDecision() {
        return consentry.traces().latest();
    }

    /** The decision recorded for a request, trace or correlation id (Graph's {@code request-id}, AADSTS's Trace ID). */
    public Optional<Diagnosis> decision(String id) {
        return consentry.traces().find(id);
    }

    /** The newest entry of {@code tenant}'s sign-in log (Graph's {@code /auditLogs/signIns}). */
    public Optional<SignIn> lastSignIn(ConsentryTenant tenant) {
        return store.signIns().recent(TenantId.of(tenant.tenantId()), 1).stream().findFirst();
    }

    /** The tenants as a tenant file holds them now (what {@code consentry tenant export} writes): secrets as hashes. */
    public String exportTenants() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TenantFile.write(store.tenants().list().stream().map(t -> store.tenants().export(t.id()).orElseThrow())
                    .filter(t -> !t.id().equals(dev.consentry.core.builtin.WellKnown.CONSUMERS_TENANT_ID)).toList(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The user of {@code tenant} named {@code userPrincipalName} (or the part before its {@code @}). */
    private User user(ConsentryTenant tenant, TenantId id, String userPrincipalName) {
        return store.users().findByUserPrincipalName(id, tenant.userPrincipalName(userPrincipalName))
                .orElseThrow(() -> new IllegalArgumentException("no user " + userPrincipalName + " in " + tenant.domain()));
    }

    private Administration administration() {
        return StoreAdministration.onStore(store, clock);
    }
}
