package dev.consentry.core.directory;

import java.util.List;

/**
 * The {@code api} section of an application: the token version it accepts and its delegated
 * permissions. {@code requestedAccessTokenVersion} null or 1 means v1.0 tokens, 2 means v2.0.
 */
public record ApiApplication(Integer requestedAccessTokenVersion, List<PermissionScope> oauth2PermissionScopes) {
    public static final ApiApplication NONE = new ApiApplication(null, null);

    public ApiApplication {
        oauth2PermissionScopes = Extra.list(oauth2PermissionScopes);
    }

    /** The access-token version this API accepts: 2 only when asked for, else 1. */
    public int accessTokenVersion() {
        return requestedAccessTokenVersion != null && requestedAccessTokenVersion == 2 ? 2 : 1;
    }
}
