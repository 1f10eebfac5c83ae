package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Requests for an administrator's consent to one app, in Graph's shape ({@code appConsentRequest} under
 * {@code /identityGovernance/appConsent/appConsentRequests}): the app, the permissions asked for and not granted yet
 * ({@code pendingScopes}), and each user's request with their reason ({@code userConsentRequests}). Entra keeps one
 * per app and adds each new user's request to it.
 *
 * @param appId the app's client id, as text (Graph's type)
 */
public record AppConsentRequest(String id, String appId, String appDisplayName, List<Scope> pendingScopes,
                                List<UserConsentRequest> userConsentRequests,
                                @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public AppConsentRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appId, "appId");
        pendingScopes = Extra.list(pendingScopes);
        userConsentRequests = Extra.list(userConsentRequests);
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** Graph's {@code appConsentRequestScope}: a permission by name. */
    public record Scope(String displayName) {}

    /**
     * One user's request (Graph's {@code userConsentRequest}).
     *
     * @param status {@code InProgress} until an administrator decides, then {@code Completed}
     * @param createdBy who asked, as Graph's {@code identitySet}
     */
    public record UserConsentRequest(String id, String status, String reason, Instant createdDateTime,
                                     Instant completedDateTime, IdentitySet createdBy, String approvalId,
                                     @JsonAnySetter Map<String, Object> additionalProperties)
            implements KeepsUnknownProperties {
        public UserConsentRequest {
            Objects.requireNonNull(id, "id");
            additionalProperties = Extra.copy(additionalProperties);
        }
    }

    /** Graph's {@code identitySet}, of a user. */
    public record IdentitySet(Identity user) {}

    /** Graph's {@code identity}. */
    public record Identity(String id, String displayName) {}
}
