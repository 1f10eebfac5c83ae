package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Consentry's per-tenant settings ({@code settings} in the tenant file).
 *
 * @param errorProfile which Graph statuses to reproduce (product brief, section 2); never null
 * @param authenticationContexts Graph operations that require an authentication context (step-up), Consentry's own
 *     setting: a call to one with a token whose {@code acrs} lacks the context gets the claims challenge asking for it
 * @param logRetentionDays how many days the sign-in and audit logs keep an entry; null for
 *     {@link LogRetention#DEFAULT_DAYS} (Entra keeps both 30 days)
 * @param logRetentionEntries how many entries each of the two logs keeps at most; null for
 *     {@link LogRetention#DEFAULT_ENTRIES}
 * @param lockoutThreshold how many wrong passwords in a row lock a user out from one address (Entra's smart lockout
 *     setting of that name); null for {@link SmartLockout#DEFAULT_THRESHOLD}
 * @param lockoutDurationInSeconds how long the first lock lasts; null for {@link SmartLockout#DEFAULT_DURATION}
 * @param additionalProperties unknown properties, kept for the round trip
 */
public record TenantSettings(
        ErrorProfile errorProfile,
        List<AuthenticationContext> authenticationContexts,
        Integer logRetentionDays,
        Integer logRetentionEntries,
        Integer lockoutThreshold,
        Integer lockoutDurationInSeconds,
        @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {

    public static final TenantSettings DEFAULT = new TenantSettings(null, null, null);

    public TenantSettings {
        errorProfile = errorProfile == null ? ErrorProfile.TROUBLESHOOTING_GUIDE : errorProfile;
        authenticationContexts = Extra.list(authenticationContexts);
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** Settings with the default log retention and smart lockout. */
    public TenantSettings(ErrorProfile errorProfile, List<AuthenticationContext> authenticationContexts,
                          Map<String, Object> additionalProperties) {
        this(errorProfile, authenticationContexts, null, null, null, null, additionalProperties);
    }

    /** Settings with no authentication context on any operation. */
    public TenantSettings(ErrorProfile errorProfile, Map<String, Object> additionalProperties) {
        this(errorProfile, null, additionalProperties);
    }

    /** How long and how much of the sign-in and audit logs this tenant keeps, the defaults filled in. */
    public LogRetention logRetention() {
        return new LogRetention(logRetentionDays == null ? LogRetention.DEFAULT_DAYS : logRetentionDays,
                logRetentionEntries == null ? LogRetention.DEFAULT_ENTRIES : logRetentionEntries);
    }

    /** How this tenant's smart lockout counts wrong passwords, the defaults filled in. */
    public SmartLockout smartLockout() {
        return new SmartLockout(lockoutThreshold == null ? SmartLockout.DEFAULT_THRESHOLD : lockoutThreshold,
                lockoutDurationInSeconds == null ? SmartLockout.DEFAULT_DURATION : java.time.Duration.ofSeconds(lockoutDurationInSeconds));
    }

    /**
     * Entra's smart lockout for passwords (learn.microsoft.com/entra/identity/authentication/howto-password-smart-lockout):
     * {@code threshold} wrong passwords in a row lock the account for {@code duration}, longer for each lock that
     * follows without a success; by default 10 and 60 seconds. Bounded as Entra bounds the settings: a threshold of 1 to
     * {@link #MAX_THRESHOLD}, a duration of {@link #MIN_SECONDS} seconds to a day.
     */
    public record SmartLockout(int threshold, java.time.Duration duration) {
        public static final int DEFAULT_THRESHOLD = 10;
        public static final java.time.Duration DEFAULT_DURATION = java.time.Duration.ofSeconds(60);
        public static final int MAX_THRESHOLD = 1000;
        public static final int MIN_SECONDS = 5;
        public static final int MAX_SECONDS = 86_400;

        public SmartLockout {
            if (threshold < 1 || threshold > MAX_THRESHOLD || duration.toSeconds() < MIN_SECONDS
                    || duration.toSeconds() > MAX_SECONDS) {
                throw new IllegalArgumentException("smart lockout takes a threshold of 1 to " + MAX_THRESHOLD
                        + " and a duration of " + MIN_SECONDS + " to " + MAX_SECONDS + " seconds");
            }
        }
    }

    /**
     * What the sign-in and audit logs of a tenant keep: entries no older than {@code days} before the newest, and at most
     * {@code entries} of them, whichever is fewer (issue 12: 30 days or 100,000 entries unless the tenant says
     * otherwise). Bounded so that one tenant cannot fill the store: 1 to {@link #MAX_DAYS} days, 1 to
     * {@link #MAX_ENTRIES} entries.
     */
    public record LogRetention(int days, int entries) {
        public static final int DEFAULT_DAYS = 30;
        public static final int DEFAULT_ENTRIES = 100_000;
        public static final int MAX_DAYS = 365;
        public static final int MAX_ENTRIES = 1_000_000;
        public static final LogRetention DEFAULT = new LogRetention(DEFAULT_DAYS, DEFAULT_ENTRIES);

        public LogRetention {
            if (days < 1 || days > MAX_DAYS || entries < 1 || entries > MAX_ENTRIES) {
                throw new IllegalArgumentException("a log keeps 1 to " + MAX_DAYS + " days and 1 to " + MAX_ENTRIES
                        + " entries, not " + days + " days and " + entries + " entries");
            }
        }

        /** How far back before the newest entry the log keeps. */
        public java.time.Duration age() {
            return java.time.Duration.ofDays(days);
        }
    }

    /**
     * An authentication context ({@code c1} to {@code c99}) required by the Graph operations listed, each written as
     * the HTTP method and Graph's path template, as Microsoft's permission reference spells them:
     * {@code POST /users/{id}/authentication/methods/{id}/resetPassword}.
     */
    public record AuthenticationContext(String id, List<String> operations) {
        public AuthenticationContext {
            Objects.requireNonNull(id, "id");
            operations = Extra.list(operations);
        }
    }

    /**
     * The authentication context that {@code method} on any of {@code templates} (Graph path templates the call matched)
     * requires; empty when none. Methods and templates compare case-insensitively.
     */
    public Optional<String> contextFor(String method, List<String> templates) {
        for (AuthenticationContext c : authenticationContexts) {
            for (String op : c.operations()) {
                int space = op.indexOf(' ');
                if (space > 0 && op.substring(0, space).equalsIgnoreCase(method)
                        && templates.stream().anyMatch(t -> t.equalsIgnoreCase(op.substring(space + 1).trim()))) {
                    return Optional.of(c.id().toLowerCase(Locale.ROOT));
                }
            }
        }
        return Optional.empty();
    }
}
