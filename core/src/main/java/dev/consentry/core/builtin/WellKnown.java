package dev.consentry.core.builtin;

import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;

/** Well-known ids of the Microsoft cloud (wire spec, section 8): facts, the same in every tenant. */
public final class WellKnown {
    /** The tenant of personal Microsoft accounts ({@code consumers}). */
    public static final TenantId CONSUMERS_TENANT_ID = TenantId.of("9188040d-6c67-4c5b-b112-36a304b66dad");
    /** Microsoft Graph. */
    public static final AppId GRAPH_APP_ID = AppId.of("00000003-0000-0000-c000-000000000000");
    /** Azure AD Graph (retired, still a resource tokens may be minted for). */
    public static final AppId AAD_GRAPH_APP_ID = AppId.of("00000002-0000-0000-c000-000000000000");
    /** Office 365 Exchange Online. */
    public static final AppId EXCHANGE_APP_ID = AppId.of("00000002-0000-0ff1-ce00-000000000000");
    /** Office 365 SharePoint Online. */
    public static final AppId SHAREPOINT_APP_ID = AppId.of("00000003-0000-0ff1-ce00-000000000000");
    /** The implicit "User" directory role template every member user holds ({@code wids}). */
    public static final String DEFAULT_USER_ROLE_TEMPLATE = "b79fbf4d-3ef9-4689-8143-76b194e85509";

    /**
     * The OpenID Connect scopes of the Microsoft Graph service principal, with their ids, in this order (Microsoft's
     * {@code permissions-descriptions.json}): clients ask for them beside Graph's permissions, and grants carry them.
     */
    public static final java.util.List<java.util.Map.Entry<String, java.util.UUID>> GRAPH_OIDC_SCOPES = java.util.List.of(
            java.util.Map.entry("openid", java.util.UUID.fromString("37f7f235-527c-4136-accd-4a02d197296e")),
            java.util.Map.entry("profile", java.util.UUID.fromString("14dad69e-099b-42c9-810b-d002981feec1")),
            java.util.Map.entry("email", java.util.UUID.fromString("64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0")),
            java.util.Map.entry("offline_access", java.util.UUID.fromString("7427e0e9-2fba-42fe-b0c0-848c9e6a8182")));

    private WellKnown() {}
}
