package dev.consentry.identity.grant;

import dev.consentry.core.directory.User;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.access.PolicyOutcome;
import java.util.List;

/**
 * What one token call learnt about the sign-in it serves, noted by the grant as it goes (the user, once found; the
 * client, once authenticated; the resource, once resolved; conditional access, once evaluated), so that the sign-in
 * log can record a refusal as fully as an issuance. One per {@link TokenCall}; empty fields are null.
 */
public final class SignInNote {
    private TenantId tenant;
    private User user;
    private String appId;
    private String appDisplayName;
    private String resourceId;
    private String resourceDisplayName;
    private List<PolicyOutcome> policies;

    void user(TenantId tenant, User user) {
        this.tenant = tenant;
        this.user = user;
    }

    void client(String appId, String displayName) {
        this.appId = appId;
        this.appDisplayName = displayName;
    }

    void resource(String appId, String displayName) {
        this.resourceId = appId;
        this.resourceDisplayName = displayName;
    }

    void conditionalAccess(List<PolicyOutcome> outcomes) {
        this.policies = List.copyOf(outcomes);
    }

    /** The user's tenant; null until a user was found. */
    public TenantId tenant() {
        return tenant;
    }

    /** The user the call signs in; null until found (an unknown name is never noted). */
    public User user() {
        return user;
    }

    public String appId() {
        return appId;
    }

    public String appDisplayName() {
        return appDisplayName;
    }

    public String resourceId() {
        return resourceId;
    }

    public String resourceDisplayName() {
        return resourceDisplayName;
    }

    /** The conditional access outcomes; null when not evaluated, empty when no policy applied. */
    public List<PolicyOutcome> policies() {
        return policies;
    }
}
