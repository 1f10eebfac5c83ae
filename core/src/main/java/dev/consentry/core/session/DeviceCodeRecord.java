package dev.consentry.core.session;

import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A device authorization (RFC 8628) as stored: the {@code device_code} only as its SHA-256
 * {@code deviceHash}, the short {@code userCode} a person types on the verification page, and where the
 * authorization stands.
 *
 * @param tenantPath the tenant segment of the {@code /devicecode} request ({@code common}, a GUID, a domain)
 * @param scope the scopes asked for, space-separated
 * @param intervalSeconds the minimum number of seconds between two polls; grows by 5 on each {@code slow_down}
 * @param lastPolledAt the last poll, or null before the first
 * @param userTenant the signed-in user's tenant, once approved; else null
 * @param userId the signed-in user, once approved; else null
 * @param auth what that user's sign-in on the verification page proved, once approved; else null
 */
public record DeviceCodeRecord(String deviceHash, String userCode, String tenantPath, AppId clientId, String scope,
                               Instant issuedAt, Instant expiresAt, int intervalSeconds, Instant lastPolledAt,
                               Status status, TenantId userTenant, ObjectId userId, AuthContext auth) {

    /** Where a device authorization stands; it moves only forward, from {@code PENDING}. */
    public enum Status {
        /** Waiting for a person to enter the code and sign in. */
        PENDING,
        /** A user signed in and approved; the next poll gets the tokens. */
        APPROVED,
        /** The user declined on the verification page. */
        DECLINED,
        /** The tokens were issued; the device code is spent. */
        REDEEMED
    }

    public DeviceCodeRecord {
        Objects.requireNonNull(deviceHash, "deviceHash");
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(tenantPath, "tenantPath");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
    }
}
