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
 * @param additionalProperties unknown properties, kept for the round trip
 */
public record TenantSettings(
        ErrorProfile errorProfile,
        List<AuthenticationContext> authenticationContexts,
        @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {

    public static final TenantSettings DEFAULT = new TenantSettings(null, null, null);

    public TenantSettings {
        errorProfile = errorProfile == null ? ErrorProfile.TROUBLESHOOTING_GUIDE : errorProfile;
        authenticationContexts = Extra.list(authenticationContexts);
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** Settings with no authentication context on any operation. */
    public TenantSettings(ErrorProfile errorProfile, Map<String, Object> additionalProperties) {
        this(errorProfile, null, additionalProperties);
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
