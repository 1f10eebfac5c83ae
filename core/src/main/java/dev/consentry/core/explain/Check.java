package dev.consentry.core.explain;

import dev.consentry.core.cause.Cause;
import java.util.Locale;

/**
 * The closed vocabulary of checks that Consentry's decisions are made of, on both channels, with their wire names
 * in the diagnosis ({@code "check": "audience"}). The wire names are a contract of the diagnosis API: a check may
 * be added, never renamed.
 *
 * <p>STS checks follow a grant's order (style guide: authenticate the client, check the grant is allowed, validate
 * scopes, consent and policies, decide claims); Graph checks follow the pipeline's stages (product brief,
 * section 2, S1 to S8). {@link #of(Cause)} names the check every cause fails, so the failing step of a refusal is
 * never a guess.
 */
public enum Check {
    // ---- The identity platform (STS) -------------------------------------------------------------
    /** The request's method, content type, size and parameters. */
    REQUEST,
    /** The tenant of the authority path exists and admits the flow. */
    TENANT,
    /** The grant type is one the endpoint implements. */
    GRANT_TYPE,
    /** The client is registered where it is used, enabled, and of an audience that fits. */
    CLIENT,
    /** The client proved who it is: secret, certificate assertion, or none for a public client. */
    CLIENT_AUTHENTICATION,
    /** The redirect URI, response type, response mode, nonce and PKCE of an authorize request. */
    AUTHORIZE_REQUEST,
    /** The requested scopes name one resource and permissions it has. */
    SCOPE,
    /** The user consented, or an admin did for everyone, to the delegated permissions asked for. */
    CONSENT,
    /** The user exists, may sign in, and proved it (password, session). */
    USER,
    /** The tenant's conditional access policies that apply let the token be issued (a second factor, a device, no block). */
    CONDITIONAL_ACCESS,
    /** The sign-in page's own steps: an account chosen, a form submitted in time, not cancelled. */
    SIGN_IN,
    /** The authorization code is known, unused, in time, and bound to this client, redirect URI and verifier. */
    AUTHORIZATION_CODE,
    /** The refresh token is known, unrevoked, in time and the client's own. */
    REFRESH_TOKEN,
    /** The device code is known, approved and in time, and the client polls no faster than the interval. */
    DEVICE_CODE,
    /** The on-behalf-of assertion is a user's token for this client. */
    ASSERTION,
    /** A token was issued (the last step of every grant that succeeds). */
    ISSUED,

    // ---- Microsoft Graph (product brief, section 2) ---------------------------------------------------
    /** S1: the request carries a Bearer token. */
    TOKEN_PRESENT,
    /** S1: the token is a JWT Consentry can read. */
    WELL_FORMED,
    /** S1: signed by a key and issuer of this Consentry. */
    SIGNATURE_AND_ISSUER,
    /** S1: within its lifetime, with the allowed skew. */
    LIFETIME,
    /** S2: issued for Microsoft Graph. */
    AUDIENCE,
    /** S7: a personal Microsoft account only where Graph serves one. */
    ACCOUNT_TYPE,
    /**
     * S8: a continuous access evaluation token (its client declared cp1) was issued after the last critical event of its
     * user: sessions revoked, password changed, account disabled or deleted.
     */
    CONTINUOUS_ACCESS,
    /** S3: the path is one of Graph's. */
    ROUTE,
    /** S3: the route is one the other users' variant of the permission must cover. */
    TARGET_USER,
    /** S4: the token's type (delegated or application) has permissions for the route. */
    TOKEN_TYPE,
    /** S5: the token holds a permission that allows the call. */
    PERMISSION,
    /** S5: a permission limited to what the caller owns (Application.ReadWrite.OwnedBy) reaches the object it changes. */
    OWNERSHIP,
    /** S6: the signed-in user's own directory roles allow the action. */
    USER_RIGHTS,
    /** S6: the data's owner has a licence for the workload. */
    LICENCE,
    /** S8: the token states the authentication context the tenant requires for this operation (step-up). */
    AUTHENTICATION_CONTEXT;

    /** The constant's name in lower case with hyphens: the wire names follow it. */
    private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The check's name in the diagnosis JSON, e.g. {@code token-present}. */
    public String wireName() {
        return wireName;
    }

    /** The check with that wire name. */
    public static java.util.Optional<Check> fromWire(String name) {
        for (Check c : values()) {
            if (c.wireName.equals(name)) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }

    /** The check that {@code cause} fails; every cause has exactly one (the switch is exhaustive). */
    public static Check of(Cause cause) {
        return switch (cause) {
            case METHOD_NOT_ALLOWED, CONTENT_TYPE_UNSUPPORTED, REQUEST_TOO_LARGE, PARAMETER_MISSING, PARAMETER_INVALID,
                 PARAMETER_DUPLICATED, INSTANCE_UNKNOWN -> REQUEST;
            case GRANT_TYPE_UNSUPPORTED -> GRANT_TYPE;
            case TENANT_NOT_FOUND, TENANT_REQUIRED_FOR_FLOW -> TENANT;
            case CLIENT_NOT_FOUND, CLIENT_NOT_IN_TENANT, CLIENT_DISABLED, CLIENT_PERSONAL_ONLY,
                 CLIENT_NOT_ENABLED_FOR_CONSUMERS, CLIENT_SINGLE_TENANT_ON_COMMON -> CLIENT;
            case CLIENT_CREDENTIAL_MISSING, CLIENT_AUTHENTICATION_AMBIGUOUS, CLIENT_SECRET_INVALID, CLIENT_SECRET_EXPIRED,
                 CLIENT_ASSERTION_TYPE_INVALID, CLIENT_ASSERTION_MALFORMED, CLIENT_ASSERTION_CLIENT_MISMATCH,
                 CLIENT_ASSERTION_AUDIENCE_INVALID, CLIENT_ASSERTION_CERTIFICATE_UNKNOWN,
                 CLIENT_ASSERTION_SIGNATURE_INVALID, CLIENT_ASSERTION_EXPIRED, CLIENT_ASSERTION_REPLAYED,
                 CLIENT_CERTIFICATE_EXPIRED -> CLIENT_AUTHENTICATION;
            case REDIRECT_URI_MISMATCH, REDIRECT_URI_NONE_REGISTERED, RESPONSE_TYPE_UNSUPPORTED, IMPLICIT_TOKEN_NOT_ENABLED,
                 ID_TOKEN_NOT_ENABLED, RESPONSE_MODE_INVALID, NONCE_REQUIRED, PKCE_REQUIRED, PKCE_METHOD_UNSUPPORTED -> AUTHORIZE_REQUEST;
            case SCOPE_MISSING, SCOPE_INVALID_FOR_FLOW, SCOPE_INVALID, SCOPE_DEFAULT_COMBINED, SCOPE_MULTIPLE_RESOURCES, RESOURCE_NOT_FOUND,
                 SCOPE_NOT_ON_RESOURCE -> SCOPE;
            case CONSENT_REQUIRED, CONSENT_DECLINED, ADMIN_CONSENT_REQUIRED, USER_CONSENT_DISABLED, USER_CONSENT_NOT_COVERED,
                 ORGANIZATION_CONSENT_NOT_ALLOWED, ADMIN_APPROVAL_REQUESTABLE -> CONSENT;
            case MFA_REQUIRED, MFA_REGISTRATION_REQUIRED, CONDITIONAL_ACCESS_BLOCKED, DEVICE_NOT_COMPLIANT, SIGN_IN_FREQUENCY_TOKEN,
                 SIGN_IN_FREQUENCY_SESSION -> CONDITIONAL_ACCESS;
            case MFA_CODE_INVALID, MFA_CODE_REUSED, ACCOUNT_LOCKED, PASSWORD_LOCKOUT -> SIGN_IN;
            case CLAIMS_INVALID, CROSS_ORIGIN_NOT_SPA -> REQUEST;
            case USER_NOT_FOUND, PASSWORD_INVALID, USER_DISABLED, PASSWORD_EXPIRED, USER_NOT_IN_TENANT,
                 PERSONAL_ACCOUNT_NOT_ALLOWED, WORK_ACCOUNT_NOT_ALLOWED -> USER;
            case LOGIN_REQUIRED, ACCOUNT_SELECTION_REQUIRED, USER_CANCELLED, FORM_TOKEN_INVALID -> SIGN_IN;
            case PKCE_MISMATCH, AUTHORIZATION_CODE_INVALID, AUTHORIZATION_CODE_REDEEMED, AUTHORIZATION_CODE_EXPIRED,
                 AUTHORIZATION_CODE_CLIENT_MISMATCH, AUTHORIZATION_CODE_REDIRECT_MISMATCH,
                 AUTHORIZATION_CODE_TENANT_MISMATCH, SPA_REDEMPTION_NOT_CROSS_ORIGIN -> AUTHORIZATION_CODE;
            case REFRESH_TOKEN_INVALID, REFRESH_TOKEN_CLIENT_MISMATCH, REFRESH_TOKEN_EXPIRED, REFRESH_TOKEN_REVOKED,
                 REFRESH_TOKEN_REUSED -> REFRESH_TOKEN;
            case DEVICE_AUTHORIZATION_PENDING, DEVICE_SLOW_DOWN, DEVICE_AUTHORIZATION_DECLINED, DEVICE_CODE_EXPIRED,
                 DEVICE_CODE_INVALID, USER_CODE_ATTEMPTS -> DEVICE_CODE;
            case OBO_ASSERTION_INVALID, OBO_ASSERTION_EXPIRED, OBO_ASSERTION_WRONG_AUDIENCE, OBO_APP_ONLY_ASSERTION -> ASSERTION;
            case TOKEN_MISSING -> TOKEN_PRESENT;
            case TOKEN_MALFORMED, TOKEN_NOT_COMPACT -> WELL_FORMED;
            case TOKEN_SIGNATURE_INVALID, TOKEN_ISSUER_UNTRUSTED -> SIGNATURE_AND_ISSUER;
            case TOKEN_EXPIRED, TOKEN_NOT_YET_VALID -> LIFETIME;
            case WRONG_AUDIENCE -> AUDIENCE;
            case CAE_CHALLENGE, CAE_LOCATION_CHALLENGE -> CONTINUOUS_ACCESS;
            case AUTH_CONTEXT_REQUIRED -> AUTHENTICATION_CONTEXT;
            case PERSONAL_ACCOUNT_NOT_SUPPORTED -> ACCOUNT_TYPE;
            case UNKNOWN_PATH, ROUTE_WITHOUT_PERMISSION_DATA -> ROUTE;
            case DELEGATED_ONLY_API, DRIVE_NEEDS_USER, NO_APPLICATION_PERMISSION, NO_DELEGATED_PERMISSION -> TOKEN_TYPE;
            case PERMISSION_TYPE_MISMATCH, PERMISSION_NOT_REQUESTED, PERMISSION_NOT_CONSENTED, PERMISSION_NOT_HELD,
                 TOKEN_PREDATES_CONSENT -> PERMISSION;
            case APP_NOT_OWNED -> OWNERSHIP;
            case USER_ROLE_MISSING, SERVICE_PRINCIPAL_ROLE_MISSING -> USER_RIGHTS;
            case USER_NOT_LICENSED, MAILBOX_NOT_LICENSED, TENANT_NOT_LICENSED_SPO -> LICENCE;
            case USERINFO_APP_ONLY_TOKEN -> TOKEN_TYPE;
            case TOKEN_USER_UNKNOWN -> USER;
            case USERINFO_REQUEST_INVALID -> REQUEST;
        };
    }
}
