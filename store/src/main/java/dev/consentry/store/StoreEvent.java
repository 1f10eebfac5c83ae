package dev.consentry.store;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored fact changed: what {@link StoreEvents} announces, so that caches (token validators, discovery and key
 * documents, the key set) drop what they derived from it. Every component is non-null.
 */
public sealed interface StoreEvent {

    /**
     * Something in the tenant's directory changed: the tenant itself (replaced or deleted), or one of its users,
     * groups, applications, service principals, assignments, grants, role assignments, SKUs or policies. Published by
     * the store after the write committed.
     */
    record DirectoryChanged(TenantId tenant) implements StoreEvent {
        public DirectoryChanged {
            Objects.requireNonNull(tenant, "tenant");
        }
    }

    /** The signing key set changed (a first key, a rotation). Published by the store after the write committed. */
    record SigningKeysChanged() implements StoreEvent {
    }

    /**
     * Tokens and sessions the user held before {@code at} are no longer valid. Published by whoever revoked them (the
     * store cannot tell a revocation from other writes), after the revocation is stored.
     */
    record UserSessionsRevoked(TenantId tenant, ObjectId user, Instant at) implements StoreEvent {
        public UserSessionsRevoked {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(at, "at");
        }
    }
}
