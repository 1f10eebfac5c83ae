package dev.consentry.identity.user;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.tenant.TenantPath;

/**
 * Who may sign in to which app through which authority (wire spec, section 1.1; product brief, section 2):
 * an app's {@code signInAudience} against the authority's tenant segment, then the user's home tenant
 * against both.
 *
 * <table>
 *   <caption>signInAudience and the accounts it admits</caption>
 *   <tr><th>AzureADMyOrg</th><td>users of the app's home tenant, through that tenant's authority only</td></tr>
 *   <tr><th>AzureADMultipleOrgs</th><td>work and school accounts of any tenant</td></tr>
 *   <tr><th>AzureADandPersonalMicrosoftAccount</th><td>those and personal Microsoft accounts</td></tr>
 *   <tr><th>PersonalMicrosoftAccount</th><td>personal Microsoft accounts only, through /common or /consumers</td></tr>
 * </table>
 */
public final class SignInRules {
    public static final String MY_ORG = "AzureADMyOrg";
    public static final String MULTIPLE_ORGS = "AzureADMultipleOrgs";
    public static final String ORGS_AND_PERSONAL = "AzureADandPersonalMicrosoftAccount";
    public static final String PERSONAL = "PersonalMicrosoftAccount";

    private SignInRules() {}

    /** True when the app accepts personal Microsoft accounts. */
    public static boolean acceptsPersonal(Application app) {
        return ORGS_AND_PERSONAL.equals(app.signInAudience()) || PERSONAL.equals(app.signInAudience());
    }

    /** Refuses an authority the app cannot be used through, before anyone signs in. */
    public static void checkClientAudience(TenantPath path, Application app, TenantId home) {
        String id = app.appId().toString();
        boolean personalOnly = PERSONAL.equals(app.signInAudience());
        switch (path) {
            case TenantPath.Audience a when a.kind() == TenantPath.Kind.CONSUMERS -> {
                if (!acceptsPersonal(app)) {
                    throw Failure.of(Cause.CLIENT_NOT_ENABLED_FOR_CONSUMERS, "clientId", id, "signInAudience",
                            app.signInAudience()).toException();
                }
            }
            case TenantPath.Audience a -> {
                if (MY_ORG.equals(app.signInAudience())) {
                    throw Failure.of(Cause.CLIENT_SINGLE_TENANT_ON_COMMON, "clientId", id, "appName", appName(app),
                            "homeTenant", home.toString(), "tenant", a.pathValue()).toException();
                }
                if (personalOnly && a.kind() == TenantPath.Kind.ORGANIZATIONS) {
                    throw Failure.of(Cause.CLIENT_PERSONAL_ONLY, "clientId", id, "tenant", a.pathValue()).toException();
                }
            }
            case TenantPath.Specific s -> {
                if (personalOnly) {
                    throw Failure.of(Cause.CLIENT_PERSONAL_ONLY, "clientId", id, "tenant", s.pathValue()).toException();
                }
                if (MY_ORG.equals(app.signInAudience()) && !home.equals(s.id())) {
                    throw Failure.of(Cause.CLIENT_NOT_IN_TENANT, "clientId", id, "tenant", s.pathValue(),
                            "homeTenant", home.toString(), "signInAudience", app.signInAudience()).toException();
                }
            }
        }
    }

    /** Refuses a user who may not sign in to {@code app} through {@code path}; {@code userTenant} is the user's home. */
    public static void checkUser(TenantPath path, Application app, TenantId appHome, TenantId userTenant, User user) {
        boolean personal = userTenant.equals(WellKnown.CONSUMERS_TENANT_ID);
        String upn = user.userPrincipalName();
        switch (path) {
            case TenantPath.Audience a when a.kind() == TenantPath.Kind.ORGANIZATIONS && personal ->
                    throw Failure.of(Cause.PERSONAL_ACCOUNT_NOT_ALLOWED, "username", upn, "reason",
                            "the /organizations authority admits work and school accounts only").toException();
            case TenantPath.Audience a when a.kind() == TenantPath.Kind.CONSUMERS && !personal ->
                    throw Failure.of(Cause.WORK_ACCOUNT_NOT_ALLOWED, "username", upn, "homeTenant",
                            userTenant.toString(), "reason", "the /consumers authority admits personal accounts only")
                            .toException();
            case TenantPath.Specific s when !s.id().equals(userTenant) ->
                    throw Failure.of(Cause.USER_NOT_IN_TENANT, "username", upn, "identityProvider",
                            personal ? "live.com" : "https://sts.windows.net/" + userTenant + "/", "tenant",
                            s.pathValue(), "tenantName", tenantName(s.tenant().displayName(), s.pathValue()), "clientId",
                            app.appId().toString(), "appName", appName(app), "homeTenant", userTenant.toString())
                            .toException();
            default -> {
                // The authority admits this kind of account; the app's audience decides.
            }
        }
        if (personal && !acceptsPersonal(app)) {
            throw Failure.of(Cause.PERSONAL_ACCOUNT_NOT_ALLOWED, "username", upn, "reason", "the app's signInAudience "
                    + app.signInAudience() + " does not include personal Microsoft accounts").toException();
        }
        if (!personal && PERSONAL.equals(app.signInAudience())) {
            throw Failure.of(Cause.WORK_ACCOUNT_NOT_ALLOWED, "username", upn, "homeTenant", userTenant.toString(),
                    "reason", "the app's signInAudience is PersonalMicrosoftAccount").toException();
        }
        if (MY_ORG.equals(app.signInAudience()) && !userTenant.equals(appHome)) {
            throw Failure.of(Cause.USER_NOT_IN_TENANT, "username", upn, "identityProvider",
                    personal ? "live.com" : "https://sts.windows.net/" + userTenant + "/", "tenant", appHome.toString(),
                    "tenantName", appHome.toString(), "clientId", app.appId().toString(), "appName", appName(app),
                    "homeTenant", userTenant.toString()).toException();
        }
    }

    /** The tenant as Entra's text names it: its display name, else the value the request used. */
    private static String tenantName(String displayName, String fallback) {
        return displayName == null || displayName.isBlank() ? fallback : displayName;
    }

    /** The app as Entra's text names it: its display name, else its client id. */
    public static String appName(Application app) {
        return app.displayName() == null || app.displayName().isBlank() ? app.appId().toString() : app.displayName();
    }
}
