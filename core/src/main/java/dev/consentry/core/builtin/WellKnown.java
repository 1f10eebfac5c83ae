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

    private WellKnown() {}
}
