package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * The {@code api} section of an application (Graph's {@code apiApplication}): the token version it accepts and
 * its delegated permissions. {@code requestedAccessTokenVersion} null or 1 means v1.0 tokens, 2 means v2.0.
 * Its other properties ({@code preAuthorizedApplications}, ...) are kept as given.
 */
public record ApiApplication(Integer requestedAccessTokenVersion, List<PermissionScope> oauth2PermissionScopes,
                             @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public static final ApiApplication NONE = new ApiApplication(null, null);

    public ApiApplication {
        oauth2PermissionScopes = Extra.list(oauth2PermissionScopes);
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** An api section with only the properties Consentry reads. */
    public ApiApplication(Integer requestedAccessTokenVersion, List<PermissionScope> oauth2PermissionScopes) {
        this(requestedAccessTokenVersion, oauth2PermissionScopes, null);
    }

    /** The access-token version this API accepts: 2 only when asked for, else 1. */
    public int accessTokenVersion() {
        return requestedAccessTokenVersion != null && requestedAccessTokenVersion == 2 ? 2 : 1;
    }

}
