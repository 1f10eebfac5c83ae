package dev.consentry.core.cause;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one catalogue of every failure Consentry reproduces, rendered per channel (STS JSON, Graph
 * JSON, diagnosis, CLI, pages).
 *
 * <p>Each constant carries its stable diagnosis slug (product brief, section 2: these names are a
 * contract), the wire code (OAuth {@code error} for the STS; the AADSTS number), the HTTP status, a
 * public message safe to send to anyone, an explanation for the tenant's developer and a fix. The
 * templates name facts in braces ({@code {appId}}); {@link #facts()} lists them, and a test checks that
 * every template uses only declared facts and that every public message is header-safe ASCII.
 *
 * <p>Public messages follow the meaning of Entra's own texts (clients switch on {@code error},
 * {@code suberror} and the AADSTS number, never on prose) but are written in our own words. Where the
 * explanation and the public message differ, the public one may say less, never more.
 */
public enum Cause {
    // ---- Request shape (token endpoint and other STS endpoints) -----------------------------------
    METHOD_NOT_ALLOWED("method-not-allowed", "invalid_request", 900561, 400,
            "The endpoint only accepts {allowed} requests. Received a {method} request.",
            "The {endpoint} endpoint was called with {method}; it accepts only {allowed}.",
            "Send the request with {allowed}."),
    CONTENT_TYPE_UNSUPPORTED("content-type-unsupported", "invalid_request", 900144, 400,
            "The request body must contain the following parameter: 'grant_type'.",
            "The body was sent as '{contentType}', so no form parameter could be read; the token endpoint reads only application/x-www-form-urlencoded bodies.",
            "Post the parameters as an application/x-www-form-urlencoded body."),
    REQUEST_TOO_LARGE("request-too-large", "invalid_request", 9002313, 413,
            "Invalid request. The request body is larger than {limit} bytes.",
            "The request body is {size} bytes; Consentry's STS refuses bodies over {limit} bytes.",
            "Send a smaller request; a token request is normally well under 16 KB."),
    PARAMETER_MISSING("parameter-missing", "invalid_request", 900144, 400,
            "The request body must contain the following parameter: '{parameter}'.",
            "The required parameter '{parameter}' is missing or empty.",
            "Add the '{parameter}' parameter to the request."),
    PARAMETER_INVALID("parameter-invalid", "invalid_request", 9002313, 400,
            "Invalid request. Request is malformed or invalid: the parameter '{parameter}' is not valid.",
            "The parameter '{parameter}' has a value Consentry cannot use: {problem}.",
            "Send a valid value for '{parameter}'."),
    PARAMETER_DUPLICATED("parameter-duplicated", "invalid_request", 9000411, 400,
            "The request is not properly formatted. The parameter '{parameter}' is duplicated.",
            "The parameter '{parameter}' was sent {count} times; every OAuth parameter may appear at most once (RFC 6749, section 3.2).",
            "Send '{parameter}' once."),
    GRANT_TYPE_UNSUPPORTED("grant-type-unsupported", "unsupported_grant_type", 70003, 400,
            "The app requested an unsupported grant type '{grantType}'.",
            "The grant type '{grantType}' is not one Consentry's token endpoint implements in this version.",
            "Use one of: {supported}."),

    // ---- Tenant ----------------------------------------------------------------------------------
    TENANT_NOT_FOUND("tenant-not-found", "invalid_request", 90002, 400,
            "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.",
            "No tenant has the id or verified domain '{tenant}'. Known tenants: {knownTenants}.",
            "Use a tenant id or verified domain from the tenant file, or import a tenant with that id."),
    TENANT_REQUIRED_FOR_FLOW("tenant-required-for-flow", "invalid_request", 9001023, 400,
            "The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
            "The {grantType} grant needs a specific tenant (a GUID or verified domain) in the authority; '{tenant}' names none.",
            "Build the authority as https://<host>/<tenant id>/ instead of /{tenant}/."),

    INSTANCE_UNKNOWN("instance-unknown", "invalid_instance", 50049, 400,
            "Unknown or invalid instance.",
            "Instance discovery was asked about '{authority}', which is not this Consentry ({origin}).",
            "Point the client's authority at {origin}, or build it with instanceDiscovery(false)."),

    // ---- Client ----------------------------------------------------------------------------------
    // observed-responses.md, sts-app-not-found-700016 (2023-07-14), CLIENT_NOT_IN_TENANT's text too.
    CLIENT_NOT_FOUND("client-not-found", "unauthorized_client", 700016, 400,
            "Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
            "No application has the client id '{clientId}' in any tenant.",
            "Check the client id, or add the application to the tenant file."),
    CLIENT_NOT_IN_TENANT("client-not-in-tenant", "unauthorized_client", 700016, 400,
            "Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
            "The application '{clientId}' is registered in tenant {homeTenant}, and tenant '{tenant}' has no service principal for it (signInAudience {signInAudience}).",
            "Request the token from the app's home tenant, or make the app multi-tenant and give tenant '{tenant}' a service principal for it."),
    CLIENT_DISABLED("client-disabled", "unauthorized_client", 7000112, 400,
            "Application '{clientId}'({appName}) is disabled.",
            "The service principal of '{clientId}' in tenant '{tenant}' has accountEnabled false.",
            "Set accountEnabled to true on the service principal."),
    CLIENT_CREDENTIAL_MISSING("client-credential-missing", "invalid_client", 7000218, 401,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            "The client '{clientId}' sent neither a client_secret nor a client_assertion; this grant needs a confidential client.",
            "Authenticate with a client secret or a certificate (client assertion)."),
    CLIENT_AUTHENTICATION_AMBIGUOUS("client-authentication-ambiguous", "invalid_request", 9002313, 400,
            "Invalid request. Only one client authentication method may be used.",
            "The client sent {methods}; RFC 6749, section 2.3 allows exactly one.",
            "Send either client_secret (body or HTTP Basic) or a client_assertion, not several."),
    CLIENT_SECRET_INVALID("client-secret-invalid", "invalid_client", 7000215, 401,
            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.",
            "The secret does not match any secret of '{clientId}' ({secretCount} registered; hints: {hints}).",
            "Send the secret value (not its id) of a current secret of the app."),
    CLIENT_SECRET_EXPIRED("client-secret-expired", "invalid_client", 7000222, 401,
            "The provided client secret keys for app '{clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
            "The secret with hint '{hint}' matched but ended at {endDateTime}.",
            "Add a new client secret to the app and use it."),
    CLIENT_ASSERTION_TYPE_INVALID("client-assertion-type-invalid", "invalid_request", 9002313, 400,
            "Invalid request. The client_assertion_type is not supported.",
            "client_assertion_type was '{assertionType}'; only urn:ietf:params:oauth:client-assertion-type:jwt-bearer is supported (RFC 7523, section 2.2).",
            "Send client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer."),
    CLIENT_ASSERTION_MALFORMED("client-assertion-malformed", "invalid_client", 50027, 401,
            "JWT token is invalid or malformed.",
            "The client assertion could not be read as a signed JWT: {problem}.",
            "Send a compact RS256 JWS signed with the certificate's private key."),
    CLIENT_ASSERTION_CLIENT_MISMATCH("client-assertion-client-mismatch", "invalid_client", 700021, 401,
            "Client assertion application identifier doesn't match 'client_id' parameter.",
            "The assertion's iss/sub '{subject}' is not the client_id '{clientId}' (RFC 7523, section 3: iss and sub must be the client id).",
            "Set both iss and sub of the assertion to the client id."),
    CLIENT_ASSERTION_AUDIENCE_INVALID("client-assertion-audience-invalid", "invalid_client", 700212, 401,
            "The audience claim of the client assertion is not valid for this token endpoint.",
            "The assertion's aud is '{audience}'; Consentry expects the token endpoint URL '{expected}'.",
            "Set aud to the token endpoint URL of the tenant, as MSAL does."),
    CLIENT_ASSERTION_CERTIFICATE_UNKNOWN("client-assertion-certificate-unknown", "invalid_client", 700027, 401,
            "The certificate with identifier used to sign the client assertion is not registered on application '{clientId}'.",
            "No key credential of '{clientId}' has the thumbprint in the assertion header ({thumbprint}).",
            "Upload the certificate to the app registration (keyCredentials), or sign with a registered one."),
    CLIENT_ASSERTION_SIGNATURE_INVALID("client-assertion-signature-invalid", "invalid_client", 700027, 401,
            "Client assertion failed signature validation.",
            "The assertion names certificate {thumbprint} of '{clientId}', but its signature does not verify with that certificate's key.",
            "Sign the assertion with the private key of the registered certificate, RS256 or PS256."),
    // observed-responses.md, sts-assertion-time-700024 (2024-05-28 to 2025-08-29): the three times and the link.
    CLIENT_ASSERTION_EXPIRED("client-assertion-expired", "invalid_client", 700024, 401,
            "Client assertion is not within its valid time range. Current time: {currentTime}, assertion valid from {validFrom}, expiry time of assertion {expiryTime}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
            "The assertion is valid from {notBefore} to {expiresAt}; Consentry's clock says {now} (skew allowed: {skew}).",
            "Create a fresh assertion for each request and check the machine's clock."),
    CLIENT_ASSERTION_REPLAYED("client-assertion-replayed", "invalid_client", 700024, 401,
            "Client assertion has already been used.",
            "An assertion of '{clientId}' with jti '{jti}' was already redeemed; a client assertion is single-use (RFC 7523, section 3).",
            "Create a new assertion (with a new jti) for each token request."),
    CLIENT_CERTIFICATE_EXPIRED("client-certificate-expired", "invalid_client", 700027, 401,
            "The certificate used to sign the client assertion is not within its valid time range.",
            "The key credential {thumbprint} of '{clientId}' is valid from {startDateTime} to {endDateTime}.",
            "Upload a current certificate to the app registration."),

    // ---- Scope and resource ---------------------------------------------------------------------
    SCOPE_MISSING("scope-missing", "invalid_request", 900144, 400,
            "The request body must contain the following parameter: 'scope'.",
            "The {grantType} grant needs a scope naming one resource, such as https://graph.microsoft.com/.default.",
            "Add scope=<resource>/.default."),
    SCOPE_INVALID_FOR_FLOW("scope-invalid-for-flow", "invalid_scope", 1002012, 400,
            "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
            "The client credentials grant asks for the application permissions the app holds, so its only resource scope must be '<resource>/.default'; it got '{scope}'.",
            "Ask for '{suggestion}'."),
    SCOPE_INVALID("scope-invalid", "invalid_scope", 70011, 400,
            "The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid.",
            "{problem}",
            "Ask for exactly one resource with '<resource>/.default'."),
    // Observed (github.com/AzureAD/microsoft-authentication-library-for-js/issues/1718, 2020-05-28), after the prefix
    // that SCOPE_INVALID's newer variant no longer has: "... The scope {scope} is not valid. .default scope can't be
    // combined with resource-specific scopes."
    SCOPE_DEFAULT_COMBINED("scope-default-combined", "invalid_scope", 70011, 400,
            "The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid. .default scope can't be combined with resource-specific scopes.",
            "The request asks for {resource}/.default (everything the registration lists) and for single permissions of the same resource ({others}); Entra accepts one or the other.",
            "Ask for '{resource}/.default' alone (static consent), or for the single permissions without it (dynamic consent)."),
    SCOPE_MULTIPLE_RESOURCES("scope-multiple-resources", "invalid_scope", 28000, 400,
            "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {scope} is not valid.",
            "The scopes name {count} resources ({resources}); one token is for exactly one resource.",
            "Ask for the scopes of one resource per token request; get a second token for the other."),
    RESOURCE_NOT_FOUND("resource-not-found", "invalid_resource", 500011, 400,
            "The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
            "No service principal in tenant '{tenant}' has '{resource}' as its app id or identifier URI.",
            "Check the resource in the scope, or add the API's application (or service principal) to the tenant."),

    // ---- Refresh tokens ----------------------------------------------------------------------------
    REFRESH_TOKEN_INVALID("refresh-token-invalid", "invalid_grant", 9002313, 400,
            "Invalid request. Request is malformed or invalid.",
            "The refresh token is not one Consentry issued (or its store was reset): {problem}.",
            "Sign the user in again to get a new refresh token."),
    REFRESH_TOKEN_CLIENT_MISMATCH("refresh-token-client-mismatch", "invalid_grant", 70000, 400,
            "Provided grant is invalid or malformed.",
            "The refresh token was issued to client {issuedTo}, and '{clientId}' presented it.",
            "Redeem a refresh token with the client it was issued to."),
    REFRESH_TOKEN_EXPIRED("refresh-token-expired", "invalid_grant", 700082, 400,
            "The refresh token has expired due to inactivity. The token was issued on {issuedAt} and was inactive for {maxInactive}.",
            "The refresh token family was last used at {lastUsedAt}; it expires after {maxInactive} without use.",
            "Sign the user in again.", "bad_token"),
    REFRESH_TOKEN_REVOKED("refresh-token-revoked", "invalid_grant", 50173, 400,
            "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{issuedAt}' and the TokensValidFrom date (before which tokens are not valid) for this user is '{validFrom}'.",
            "The refresh token family was revoked at {revokedAt}.",
            "Sign the user in again.", "bad_token"),
    REFRESH_TOKEN_REUSED("refresh-token-reused", "invalid_grant", 50173, 400,
            "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
            "This refresh token was already redeemed at {replacedAt}; presenting it again revoked its whole family, as a stolen token would be.",
            "Keep the newest refresh token from each response (MSAL does) and sign the user in again."),

    // ---- On-behalf-of ------------------------------------------------------------------------------
    OBO_ASSERTION_INVALID("obo-assertion-invalid", "invalid_grant", 50013, 400,
            "Assertion failed signature validation or is otherwise invalid.",
            "The user assertion was refused: {problem}.",
            "Pass the access token your API received, unchanged, as the assertion."),
    OBO_ASSERTION_EXPIRED("obo-assertion-expired", "invalid_grant", 500133, 400,
            "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: {currentTime}, expiry time of assertion {expiryTime}.",
            "The user assertion's lifetime does not include now: {problem}.",
            "Ask the caller for a fresh token; do not cache user assertions beyond their expiry."),
    OBO_ASSERTION_WRONG_AUDIENCE("obo-assertion-wrong-audience", "invalid_grant", 500131, 400,
            "Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '{audience}' and the expected audience is '{clientId}' or one of the Application Uris of this application with App ID '{clientId}'({appName}). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion.",
            "The user assertion was issued for {audience}; the client '{clientId}' presenting it answers to {expected}.",
            "Only the API the token was issued for may exchange it: present it with that API's own client id and credential."),
    OBO_APP_ONLY_ASSERTION("obo-app-only-assertion", "unauthorized_client", 7000114, 400,
            "Application '{clientId}' is not allowed to make application on-behalf-of calls.",
            "The assertion is an app-only token (no user); on-behalf-of needs a user's delegated token.",
            "Use client credentials for app-only access, or pass a delegated user token."),

    // ---- Users (resource owner password credentials and, later, sign-in) ---------------------------
    USER_NOT_FOUND("user-not-found", "invalid_grant", 50034, 400,
            "The user account does not exist in the directory. To sign into this application, the account must be added to the directory.",
            "No user of tenant '{tenant}' has the user principal name '{username}'.",
            "Check the user name, or add the user to the tenant file."),
    // observed-responses.md, sts-bad-password-50126: no full stop in 2023 (2023-08-02), as in 2021-03-19.
    PASSWORD_INVALID("password-invalid", "invalid_grant", 50126, 400,
            "Error validating credentials due to invalid username or password",
            "The password given for '{username}' does not match the user's password.",
            "Use the user's current password."),
    USER_DISABLED("user-disabled", "invalid_grant", 50057, 400,
            "The user account is disabled.",
            "The user '{username}' has accountEnabled false.",
            "Set accountEnabled to true on the user."),
    // Entra's message with the app's name (observed-responses.md, sts-consent-65001: 2021-04-08, 2021-04-24, 2023-08-31).
    CONSENT_REQUIRED("consent-required", "invalid_grant", 65001, 400,
            "The user or administrator has not consented to use the application with ID '{clientId}' named '{appName}'. Send an interactive authorization request for this user and resource.",
            "No delegated grant lets '{clientId}' use {missing} on {resource} for '{username}' (granted: {granted}).",
            "Have the user consent in an interactive sign-in, or grant the permission for the organization (admin consent; on this Consentry: {command}), or ask for fewer scopes.",
            "consent_required"),
    PASSWORD_EXPIRED("password-expired", "invalid_grant", 50055, 400,
            "The password is expired.",
            "The user '{username}' must change their password before signing in (passwordProfile.forceChangePasswordNextSignIn is true).",
            "Set a new password for the user, or set forceChangePasswordNextSignIn to false in the tenant file.",
            "user_password_expired"),
    // observed-responses.md, sts-guest-not-in-tenant-50020 (2025-11-07): the account, its identity provider, the tenant's
    // and the app's names.
    USER_NOT_IN_TENANT("user-not-in-tenant", "invalid_grant", 50020, 400,
            "User account '{username}' from identity provider '{identityProvider}' does not exist in tenant '{tenantName}' and cannot access the application '{clientId}'({appName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.",
            "'{username}' (identity provider {identityProvider}) belongs to tenant {homeTenant}; the sign-in was for tenant '{tenant}', where the user has no account.",
            "Sign in with an account of tenant '{tenant}', use the user's own tenant in the authority, or use /organizations or /common with a multi-tenant app."),
    PERSONAL_ACCOUNT_NOT_ALLOWED("personal-account-not-allowed", "invalid_grant", 50020, 400,
            "You can't sign in here with a personal account. Use your work or school account instead.",
            "'{username}' is a personal Microsoft account; {reason}.",
            "Use a work or school account, or register the app for AzureADandPersonalMicrosoftAccount and sign in through /common or /consumers."),
    WORK_ACCOUNT_NOT_ALLOWED("work-account-not-allowed", "invalid_grant", 50020, 400,
            "You can't sign in here with a work or school account. Use your personal Microsoft account instead.",
            "'{username}' is a work or school account of tenant {homeTenant}; {reason}.",
            "Use a personal Microsoft account, or sign in through /organizations or /common with an app that accepts work accounts."),
    CLIENT_PERSONAL_ONLY("client-personal-only", "invalid_request", 9002331, 400,
            "Application '{clientId}' is configured for use by Microsoft Account users only. Please use the /consumers endpoint to serve this request.",
            "The app's signInAudience is PersonalMicrosoftAccount, and the authority was '/{tenant}'.",
            "Use https://<host>/consumers/ (or /common/) as the authority, or change the app's signInAudience."),
    CLIENT_NOT_ENABLED_FOR_CONSUMERS("client-not-enabled-for-consumers", "unauthorized_client", 700016, 400,
            "The client does not exist or is not enabled for consumers.",
            "The app '{clientId}' has signInAudience {signInAudience}, which does not include personal Microsoft accounts.",
            "Set signInAudience to AzureADandPersonalMicrosoftAccount, or sign in through /organizations or the app's tenant."),
    CLIENT_SINGLE_TENANT_ON_COMMON("client-single-tenant-on-common", "invalid_request", 50194, 400,
            "Application '{clientId}'({appName}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.",
            "The app's signInAudience is AzureADMyOrg (home tenant {homeTenant}), so only its own tenant's authority can sign users in to it; the request used '/{tenant}'.",
            "Use https://<host>/{homeTenant}/ as the authority, or make the app multi-tenant."),

    // ---- Authorize endpoint and authorization codes ------------------------------------------------
    // observed-responses.md, sts-redirect-mismatch-50011 (2023-05-10), with its aka.ms link.
    REDIRECT_URI_MISMATCH("redirect-uri-mismatch", "invalid_request", 50011, 400,
            "The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.",
            "'{redirectUri}' is not one of the app's registered redirect URIs ({registered}). {detail}",
            "Register '{redirectUri}' on the app (web, spa or publicClient platform), or send a registered one exactly, scheme, host, port, path, case and trailing slash included."),
    REDIRECT_URI_NONE_REGISTERED("redirect-uri-none-registered", "invalid_request", 500113, 400,
            "No reply address is registered for the application.",
            "The app '{clientId}' has no redirect URI on any platform (web, spa, publicClient), so no authorization response can be sent.",
            "Add the app's redirect URI to its registration."),
    // observed-responses.md, sts-response-type-700051 (2019-06-18): an access token in the redirect (implicit grant),
    // which the app's registration does not enable; Consentry never issues one, as a new registration has it off.
    IMPLICIT_TOKEN_NOT_ENABLED("implicit-token-not-enabled", "unsupported_response_type", 700051, 400,
            "response_type 'token' is not enabled for the application.",
            "response_type was '{responseType}': an access token in the redirect (the implicit grant), which the app's registration does not enable (web.implicitGrantSettings.enableAccessTokenIssuance) and Consentry does not issue.",
            "Send response_type=code with PKCE and redeem the code for tokens (MSAL.js 2 and later do); a single-page app registers its redirect URI under spa."),
    // observed-responses.md, sts-response-type-700054 (2019-11-01): an id token in the redirect (response_type id_token,
    // the hybrid 'code id_token'), which the registration does not enable (Graph's implicitGrantSettings,
    // learn.microsoft.com/graph/api/resources/implicitgrantsettings). The redirect's error is unsupported_response_type:
    // github.com/Azure/active-directory-dotnet-graphapi-b2bportal-web/issues/22 (2019-07-31, "message=unsupported_response_type"
    // beside AADSTS700054) and github.com/AzureADQuickStarts/AppModelv2-WebApp-OpenIDConnect-nodejs/issues/36 (2020-06-09,
    // response_type id_token answered unsupported_response_type).
    ID_TOKEN_NOT_ENABLED("id-token-not-enabled", "unsupported_response_type", 700054, 400,
            "response_type 'id_token' is not enabled for the application.",
            "response_type was '{responseType}': an id token in the redirect (the implicit or hybrid flow), which the registration of '{clientId}' does not enable (web.implicitGrantSettings.enableIdTokenIssuance is {setting}).",
            "Enable id tokens for the app: PATCH /v1.0/applications/{applicationObjectId} with {\"web\": {\"implicitGrantSettings\": {\"enableIdTokenIssuance\": true}}} (the portal's Authentication page, 'ID tokens (used for implicit and hybrid flows)'); or send response_type=code and take the id token from the token endpoint."),
    RESPONSE_TYPE_UNSUPPORTED("response-type-unsupported", "unsupported_response_type", 70005, 400,
            "The response_type '{responseType}' is not supported for this request.",
            "response_type was '{responseType}'; Consentry's authorize endpoint answers 'code', and 'id_token' and 'code id_token' for an app that enables id tokens.",
            "Send response_type=code (with PKCE)."),
    RESPONSE_MODE_INVALID("response-mode-invalid", "invalid_request", 9002313, 400,
            "Invalid request. The response_mode '{responseMode}' is not valid for this request.",
            "response_mode '{responseMode}' cannot carry this response: {problem}.",
            "Use response_mode=form_post, fragment, or query (query only for response_type=code)."),
    NONCE_REQUIRED("nonce-required", "invalid_request", 900144, 400,
            "The request body must contain the following parameter: 'nonce'.",
            "An id_token was requested at the authorize endpoint without a nonce (OpenID Connect Core, section 3.2.2.1).",
            "Send a fresh random nonce with every request for an id_token."),
    PKCE_REQUIRED("pkce-required", "invalid_request", 9002325, 400,
            "Proof Key for Code Exchange is required for this client.",
            "The app '{clientId}' signs in as a {platform} client, which must send code_challenge with code_challenge_method=S256 (RFC 7636; RFC 8252, section 6).",
            "Send code_challenge=BASE64URL(SHA256(code_verifier)) and code_challenge_method=S256; MSAL does this for you."),
    PKCE_METHOD_UNSUPPORTED("pkce-method-unsupported", "invalid_request", 50149, 400,
            "Invalid Code_Challenge_method parameter.",
            "code_challenge_method was '{method}'; {problem}.",
            "Send code_challenge_method=S256."),
    PKCE_MISMATCH("pkce-mismatch", "invalid_grant", 501481, 400,
            "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
            "{problem}",
            "Redeem the code with the code_verifier whose S256 hash was sent as code_challenge."),
    LOGIN_REQUIRED("login-required", "login_required", 50058, 400,
            "A silent sign-in request was sent but no user is signed in.",
            "prompt=none was sent and this browser has no session{hint}.",
            "Sign the user in interactively first (no prompt=none), then retry silently."),
    ACCOUNT_SELECTION_REQUIRED("account-selection-required", "interaction_required", 16000, 400,
            "Either multiple user identities are available for the current request or selected account is not supported for the scenario.",
            "prompt=none was sent and this browser has {count} signed-in accounts; without login_hint none can be chosen silently.",
            "Send login_hint with the account's user name, or sign in interactively."),
    // Consentry's own words for AADSTS65004 on the consent page: the code and 'access_denied' are from Microsoft's
    // authorization code flow page and AADSTS code table ("user declined to consent"); one real redirect quoted
    // "User declined to consent to access the app." with error=consent_required (github.com/PuzzleServer/
    // mainpuzzleserver/issues/571, 2020-01-23); the issue and the docs name access_denied, which is what is sent.
    CONSENT_DECLINED("consent-declined", "access_denied", 65004, 400,
            "User declined to consent to access the app.",
            "'{username}' chose Cancel on the consent page for '{appName}' ({clientId}), which asked for {permissions} on {resource}; nothing was granted.",
            "Nothing to fix if the user meant it; otherwise ask for fewer permissions, or have an administrator grant them for the organization."),
    // AADSTS90094 and its public text from a real "Need admin approval" page (github.com/microsoft/elk-acs-kubernetes/
    // issues/30, 2017-12-13; github.com/pnp/cli-microsoft365/issues/534, 2018: "AADSTS90094: The grant requires admin
    // permission."); shown on the page, not redirected. Microsoft's code table: "AdminConsentRequired - Administrator
    // consent is required." The same page and code when the tenant's consent policies do not let the user consent
    // (Entra shows "Need admin approval" to a user who may not consent, whatever the reason); explanations are Consentry's.
    USER_CONSENT_DISABLED("user-consent-disabled", "invalid_grant", 90094, 400,
            "The grant requires admin permission.",
            "Users of tenant {tenant} may not consent to apps (its authorizationPolicy assigns no ManagePermissionGrantsForSelf policy), and '{username}' holds none of the roles that may; '{appName}' ({clientId}) asks for {permissions} on {resource}.",
            "Have an administrator grant them for the organization (on this Consentry: {command}), or let users consent (authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned in the tenant file, or PATCH /v1.0/policies/authorizationPolicy)."),
    USER_CONSENT_NOT_COVERED("user-consent-not-covered", "invalid_grant", 90094, 400,
            "The grant requires admin permission.",
            "The user consent policies of tenant {tenant} ({policies}) do not let '{username}' consent to {permissions} on {resource} for '{appName}' ({clientId}): {reasons}.",
            "Have an administrator grant them for the organization (on this Consentry: {command}), or change what the policy allows (classify the permission as low impact, verify the publisher, or assign another policy)."),
    // Conditional access at the token endpoint (v2.0): invalid_grant, as every MSAL-era capture has it and as MSAL4J needs
    // to raise MsalInteractionRequiredException. AADSTS50076 with suberror basic_action and the capolids claims
    // (github.com/AzureAD/microsoft-authentication-library-for-js/issues/5491, 2023-01-04; an ROPC capture of
    // 2023-11-25 carries no claims); its text names the resource by app id.
    MFA_REQUIRED("mfa-required", "invalid_grant", 50076, 400,
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{resourceAppId}'.",
            "Conditional access policy {policies} of tenant {tenant} requires multi-factor authentication for '{username}' to get a token for {resource}, and this sign-in proved only {amr}.",
            "Sign in interactively and complete the second factor (send the claims of this error to the authorize endpoint), or change the policy.",
            "basic_action"),
    // AADSTS50117, Entra's code table (entra-docs reference-error-codes, 2025: "Failed to deserialize policy specified in
    // the request's claim parameter."). No captured response was found: its error, invalid_request, is Consentry's choice.
    CLAIMS_INVALID("claims-invalid", "invalid_request", 50117, 400,
            "Failed to deserialize policy specified in the request's claim parameter.",
            "The claims parameter cannot be used: {problem}.",
            "Send the claims of the challenge as they came (a JSON object such as {\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}), or none."),
    // AADSTS50079, invalid_grant with suberror basic_action and the capolids claims: a captured v2.0 answer of 2024-03-11
    // (shared observed responses, sts-mfa-enroll-50079; github.com/Azure/azure-sdk-for-js/issues/28882) and a whole body
    // of 2018 (github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/559). Entra's code table:
    // "UserStrongAuthEnrollmentRequired".
    MFA_REGISTRATION_REQUIRED("mfa-registration-required", "invalid_grant", 50079, 400,
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '{resourceAppId}'.",
            "Conditional access policy {policies} of tenant {tenant} requires multi-factor authentication for '{username}' to get a token for {resource}; this sign-in proved only {amr}, and the user has no authenticator app registered to prove more with.",
            "Sign in interactively: the sign-in registers an authenticator app (or list one for the user under softwareOathMethods in the tenant file), then completes the second factor.",
            "basic_action"),
    // A wrong or reused one-time code on the verification page: shown beside the form, never sent on the wire. Entra
    // logs such a sign-in as AADSTS500121, "Authentication failed during strong authentication request." (Entra's code
    // table); its MFA results are OathCodeIncorrect and OathCodeDuplicate. The explanations are Consentry's.
    MFA_CODE_INVALID("mfa-code-invalid", "invalid_grant", 500121, 400,
            "Authentication failed during strong authentication request.",
            "The code typed for '{username}' is not the one their authenticator app shows now (or 30 seconds either side): {problem}.",
            "Type the six digits the authenticator app shows now; check that the device's clock is right."),
    MFA_CODE_REUSED("mfa-code-reused", "invalid_grant", 500121, 400,
            "Authentication failed during strong authentication request.",
            "The code typed for '{username}' was used already; each code proves a sign-in once.",
            "Wait for the authenticator app to show the next code (a new one every 30 seconds) and type that."),
    // AADSTS50053, smart lockout, quoted in real answers: "The account is locked, you've tried to sign in too many
    // times with an incorrect user ID or password." (AzureAD/microsoft-authentication-library-for-python#211,
    // 2020-06-23; the same text as AADSTS500532 in Azure/azure-cli#26763, 2023-06-27). Entra locks after 10 failures,
    // for 60 s by default (learn.microsoft.com/entra/identity/authentication/howto-password-smart-lockout). Consentry
    // applies it to authenticator codes, shown beside the form; the explanation and fix are Consentry's.
    ACCOUNT_LOCKED("account-locked", "invalid_grant", 50053, 400,
            "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.",
            "'{username}' typed a wrong or used authenticator code {threshold} times in a row, so smart lockout refuses every code until {until}.",
            "Wait until {until}, then type the code the authenticator app shows at that moment; check that the device's clock is right."),
    // The same AADSTS50053 for passwords: Entra's smart lockout counts wrong passwords per user and locks after the
    // tenant's threshold (10 by default) for its duration (60 s by default, longer for each lock that follows), and
    // keeps familiar and unfamiliar locations apart (learn.microsoft.com/entra/identity/authentication/
    // howto-password-smart-lockout); Consentry counts per user and client address. The explanation and fix are Consentry's.
    PASSWORD_LOCKOUT("password-lockout", "invalid_grant", 50053, 400,
            "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.",
            "Smart lockout locked '{username}' for sign-ins from {address} after {threshold} wrong passwords in a row; until {until} it refuses every password from there, the right one too.",
            "Wait until {until} and sign in with the right password (sign-ins from other addresses are not locked); a test that tries wrong passwords on purpose can set the tenant's settings.lockoutThreshold and settings.lockoutDurationInSeconds."),
    // AADSTS70043, invalid_grant with suberror token_expired: a whole v2.0 body of 2022 (quoted in public code; also seen
    // in 2023 and 2026: github.com/Azure/azure-sdk-for-python/issues/28478, microsoft/vscode-mssql/issues/22364); the
    // issue date has seven fractional digits, the lifetime is in seconds.
    SIGN_IN_FREQUENCY_TOKEN("sign-in-frequency-token", "invalid_grant", 70043, 400,
            "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on {issueDate} and the maximum allowed lifetime for this request is {lifetime}.",
            "Conditional access policy {policies} of tenant {tenant} makes '{username}' sign in again every {frequency}; the sign-in behind this grant was at {authTime}.",
            "Sign in interactively again (MSAL does so on this error), or lengthen the policy's signInFrequency.",
            "token_expired"),
    // AADSTS70044, the browser session's counterpart (Azure's self-help content for the code, and sign-in logs): "The
    // session has expired or is invalid due to sign-in frequency checks by conditional access."
    SIGN_IN_FREQUENCY_SESSION("sign-in-frequency-session", "invalid_grant", 70044, 400,
            "The session has expired or is invalid due to sign-in frequency checks by conditional access.",
            "Conditional access policy {policies} of tenant {tenant} makes '{username}' sign in again every {frequency}; this browser's sign-in was at {authTime}, and prompt=none allows no sign-in page.",
            "Send the user to the authorize endpoint without prompt=none, to sign in again."),
    // AADSTS53003, invalid_grant with suberror message_only and capolids claims (a captured client-credentials answer
    // of 2025-03-07 quoted in public code); Microsoft's code table: "BlockedByConditionalAccess".
    CONDITIONAL_ACCESS_BLOCKED("conditional-access-blocked", "invalid_grant", 53003, 400,
            "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
            "Conditional access policy {policies} of tenant {tenant} blocks '{username}' from getting a token for {resource}.",
            "Nothing the user can do: an administrator must exclude the user or the app from the policy, or turn it off (its state).",
            "message_only"),
    // AADSTS53000, Microsoft's code table (DeviceNotCompliant: "Device is not in required device state: {state}. ...");
    // no captured token-endpoint answer was found, so its error and suberror follow AADSTS53003's.
    DEVICE_NOT_COMPLIANT("device-not-compliant", "invalid_grant", 53000, 400,
            "Device is not in required device state: {state}. Conditional Access policy requires a compliant device, and the device is not compliant. The user must enroll their device with an approved MDM provider like Intune.",
            "Conditional access policy {policies} of tenant {tenant} requires a {state} device for '{username}' to get a token for {resource}, and the sign-in came from no such device.",
            "Sign in from a device the tenant marks {state}, or change the policy.",
            "message_only"),
    // AADSTS90095, Microsoft's code table: "AdminConsentRequiredRequestAccess - In the Admin Consent Workflow experience,
    // an interrupt that appears when the user is told they need to ask the admin for consent." No captured response
    // quotes its message; the page's words are Entra's ("Approval required", "This app requires your admin's approval
    // to:", a justification and "Request approval": a capture of 2025-08 quoted in public code). Shown on the page.
    ADMIN_APPROVAL_REQUESTABLE("admin-approval-requestable", "invalid_grant", 90095, 400,
            "This app requires your admin's approval.",
            "{reason} Tenant {tenant} has the admin consent workflow on (adminConsentRequestPolicy.isEnabled), so '{username}' may ask the administrators for {permissions} on {resource} for '{appName}' ({clientId}).",
            "Send the request, then have an administrator grant the app (the admin consent endpoint, or on this Consentry: {command}); requests are listed at GET /v1.0/identityGovernance/appConsent/appConsentRequests."),
    // The admin consent endpoint (and the consent page's organization box) for a user whose roles do not reach: Entra
    // shows the same "Need admin approval" page (github.com/MicrosoftDocs/azure-docs/issues/41053, 2019).
    ORGANIZATION_CONSENT_NOT_ALLOWED("organization-consent-not-allowed", "invalid_grant", 90094, 400,
            "The grant requires admin permission.",
            "'{username}' {held}; '{appName}' ({clientId}) asks the organization for {permissions} on {resource}.",
            "Sign in as a Global Administrator or Privileged Role Administrator (Cloud Application and Application Administrators may grant all but Microsoft Graph's application permissions); on this Consentry: {command}."),
    ADMIN_CONSENT_REQUIRED("admin-consent-required", "invalid_grant", 90094, 400,
            "The grant requires admin permission.",
            "'{appName}' ({clientId}) asks for {permissions} on {resource}, which only an administrator can grant (admin consent required); '{username}' may not consent to it.",
            "Have an administrator grant the permissions for the organization (admin consent; on this Consentry: {command}), or ask only for permissions users may consent to.",
            "consent_required"),
    // AADSTS650053, 'invalid_client' on the authorize redirect, as quoted in real responses (github.com/MicrosoftDocs/
    // azure-docs/issues/67211, 2020-12-05; github.com/damienbod/AspNetCoreMicrosoftGraph/issues/1, 2021-03-29;
    // github.com/seanfisher/passport-microsoft/issues/28, 2023-07-06). The token endpoint answers AADSTS70011 instead.
    // Only ever redirected (the user has signed in), so the status is never sent; 401 as for every invalid_client.
    SCOPE_NOT_ON_RESOURCE("scope-not-on-resource", "invalid_client", 650053, 401,
            "The application '{appName}' asked for scope '{scope}' that doesn't exist on the resource '{resourceAppId}'. Contact the app vendor.",
            "{resource} ({resourceAppId}) defines no delegated permission named '{scope}'; its permissions are listed in its servicePrincipal's oauth2PermissionScopes.",
            "Fix the scope in the app's sign-in request (spelling, resource prefix), or define the permission on the API."),
    USER_CANCELLED("user-cancelled", "access_denied", 65004, 400,
            "The user canceled the sign-in.",
            "The user chose Cancel on Consentry's sign-in page.",
            "Nothing to fix: the user chose not to sign in."),
    FORM_TOKEN_INVALID("form-token-invalid", "invalid_request", 90023, 400,
            "The sign-in form expired or was not sent from this browser. Start the sign-in again.",
            "A sign-in form was posted {problem}; every Consentry form carries a token bound to the browser's cookie (CSRF protection).",
            "Start again from the application; do not post Consentry's forms from other pages."),
    AUTHORIZATION_CODE_INVALID("authorization-code-invalid", "invalid_grant", 70000, 400,
            "Provided grant is invalid or malformed.",
            "The authorization code was not issued by this Consentry (or its store was reset): {problem}.",
            "Redeem the code exactly as it arrived at the redirect URI, once, within 10 minutes."),
    AUTHORIZATION_CODE_REDEEMED("authorization-code-redeemed", "invalid_grant", 54005, 400,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
            "The code was redeemed at {redeemedAt}; a code is single-use (RFC 6749, section 4.1.2), and the refresh tokens issued from it are now revoked.",
            "Redeem each code once; use the refresh token for later tokens."),
    AUTHORIZATION_CODE_EXPIRED("authorization-code-expired", "invalid_grant", 70008, 400,
            "The provided authorization code or refresh token has expired due to inactivity.",
            "The code expired at {expiresAt}; codes live {lifetime}.",
            "Redeem the code as soon as it arrives."),
    AUTHORIZATION_CODE_CLIENT_MISMATCH("authorization-code-client-mismatch", "invalid_grant", 70000, 400,
            "Provided grant is invalid or malformed.",
            "The code was issued to client {issuedTo}, and '{clientId}' redeemed it.",
            "Redeem a code with the client it was issued to."),
    AUTHORIZATION_CODE_REDIRECT_MISMATCH("authorization-code-redirect-mismatch", "invalid_grant", 500112, 400,
            "The reply address '{redirectUri}' does not match the reply address provided when requesting Authorization code.",
            "The code was requested for '{expected}'; the redemption's redirect_uri must be that one, character for character (RFC 6749, section 4.1.3).",
            "Send the same redirect_uri as in the authorize request."),
    AUTHORIZATION_CODE_TENANT_MISMATCH("authorization-code-tenant-mismatch", "invalid_grant", 700005, 400,
            "Provided Authorization Code is intended to use against other tenant, thus rejected.",
            "The code is for tenant {codeTenant}; it was redeemed at '/{tenant}'.",
            "Redeem the code at the same authority (or /common, /organizations) the authorize request used."),
    // Cross-origin redemption (a browser page's fetch, with Origin): observed-responses.md, sts-cross-origin-non-spa-9002326
    // (2022-06-07; AADSTS90023 before, 2020-08-09) and sts-spa-cross-origin-9002327 (2020-10-23 to 2023-03-30).
    CROSS_ORIGIN_NOT_SPA("cross-origin-not-spa", "invalid_request", 9002326, 400,
            "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.",
            "The request carries Origin {origin}, a browser page's cross-origin call, and {what}; the token endpoint answers a browser page only for a code issued to a redirect URI of the spa platform (single-page application).",
            "Register the redirect URI under the app's spa platform (Single-page application) and sign in again, or make this token request from a server, without an Origin header."),
    SPA_REDEMPTION_NOT_CROSS_ORIGIN("spa-redemption-not-cross-origin", "invalid_request", 9002327, 400,
            "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
            "The code was issued to {redirectUri}, a redirect URI of the spa platform, and the request has no Origin header: a single-page application's code is redeemed by the page itself (MSAL.js), whose browser sends Origin.",
            "Redeem the code from the browser page with MSAL.js, or, for an app that redeems on a server or the desktop, register {redirectUri} under web (with a secret) or public client (mobile and desktop) instead of spa and sign in again."),

    // ---- Device code flow (RFC 8628) ---------------------------------------------------------------
    // Today's text (2025-11-10, github.com/toblum/ESPTeamsPresence/issues/49), newer than observed-responses.md's
    // "Pending end-user authorization." of 2016.
    DEVICE_AUTHORIZATION_PENDING("device-authorization-pending", "authorization_pending", 70016, 400,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
            "Nobody has entered the user code {userCode} and signed in yet.",
            "Keep polling every {interval} seconds while the user signs in at the verification page."),
    DEVICE_SLOW_DOWN("device-slow-down", "slow_down", 70016, 400,
            "OAuth 2.0 device flow error. Polling too fast; wait longer between requests.",
            "The client polled {elapsed} after the previous poll, sooner than the interval, which is now raised by 5 to {interval} seconds (RFC 8628, section 3.5).",
            "Wait at least {interval} seconds between polls from now on."),
    DEVICE_AUTHORIZATION_DECLINED("device-authorization-declined", "authorization_declined", 70020, 400,
            "The end user denied the authorization request.",
            "The user declined the request of user code {userCode} on the verification page.",
            "Start a new device code flow if the user changes their mind."),
    // The poll of an expired device code (observed-responses.md, sts-device-code-expired-70020, 2022-05-03); Entra's
    // error table also lists 70019 "Verification code expired." for the code a person types.
    DEVICE_CODE_EXPIRED("device-code-expired", "expired_token", 70020, 400,
            "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
            "The device code expired at {expiresAt} ({lifetime} after it was issued).",
            "Start a new device code flow and sign in within its lifetime."),
    // Too many user codes that no sign-in waits for, typed on the verification page: Consentry's own limit (a user code
    // is 9 characters, guessable only by many tries), per browser and per client address; shown on the page only.
    USER_CODE_ATTEMPTS("user-code-attempts", "bad_verification_code", 70018, 429,
            "Too many codes were tried. Wait a minute, then enter the code shown on your device.",
            "{attempts} codes that no sign-in waits for were typed {where} in a row, so the verification page takes no code there until {until}.",
            "Wait until {until}, then type the code the app shows with the verification address exactly; a code lasts 15 minutes, and a new sign-in on the device gives a new one."),
    DEVICE_CODE_INVALID("device-code-invalid", "bad_verification_code", 70018, 400,
            "Invalid verification code.",
            "The device_code is not one this Consentry issued, or it was already used: {problem}.",
            "Poll with the device_code from the /devicecode response, until it yields tokens once."),

    // ---- Microsoft Graph: the token (product brief, section 2, S1, S2, S7) --------------------------
    TOKEN_MISSING(Channel.GRAPH, "token-missing", "InvalidAuthenticationToken", 401,
            "Access token is empty.",
            "The request has no Authorization header with a Bearer token ({problem}).",
            "Acquire a token for https://graph.microsoft.com and send it as 'Authorization: Bearer <token>'."),
    // Graph's answer today for a bearer value without dots (2024-12-06, github.com/MaikuB/flutter_appauth/issues/575;
    // 2025-03-17, github.com/RogerSelwyn/MS365-Calendar/issues/77), newer than observed-responses.md's
    // "CompactToken parsing failed with error code: 80049217" (2022). Its line feed is Graph's; no header carries it.
    TOKEN_NOT_COMPACT(Channel.GRAPH, "token-not-compact", "InvalidAuthenticationToken", 401,
            "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EncodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'.",
            "The bearer value has no dots, so it is no JWT ({problem}): a token cut short where it was copied, an opaque value, or something else than a token (a code, an id, a secret).",
            "Send the access_token of the token response whole: three Base64url parts joined by dots."),
    TOKEN_MALFORMED(Channel.GRAPH, "token-malformed", "InvalidAuthenticationToken", 401,
            "JWT is not well formed.",
            "The bearer token is not a JWT Consentry can read: {problem}.",
            "Send the access_token of the token response unchanged (not the id_token, not a refresh token)."),
    TOKEN_SIGNATURE_INVALID(Channel.GRAPH, "token-signature-invalid", "InvalidAuthenticationToken", 401,
            "Signature is invalid.",
            "The token's signature does not check out: {problem}.",
            "Use a token this Consentry issued; a token from another Consentry or edited by hand is refused."),
    TOKEN_ISSUER_UNTRUSTED(Channel.GRAPH, "token-issuer-untrusted", "InvalidAuthenticationToken", 401,
            "Access token validation failure. Invalid issuer.",
            "The token's issuer is not one that {acceptedBy} accepts: {problem}.",
            "Get the token from {tokenSource}."),
    TOKEN_EXPIRED(Channel.GRAPH, "token-expired", "InvalidAuthenticationToken", 401,
            "Lifetime validation failed, the token is expired.",
            "The token expired ({problem}); five minutes of clock skew are allowed.",
            "Acquire a new token (MSAL's silent call does it from its cache or refresh token)."),
    TOKEN_NOT_YET_VALID(Channel.GRAPH, "token-not-yet-valid", "InvalidAuthenticationToken", 401,
            "Lifetime validation failed, the token is not yet valid.",
            "The token's nbf lies in the future ({problem}); five minutes of clock skew are allowed.",
            "Check the clocks of the machines that issue and use the token."),
    PERSONAL_ACCOUNT_NOT_SUPPORTED(Channel.GRAPH, "personal-account-not-supported", "InvalidAuthenticationToken", 401,
            "The API does not support personal Microsoft accounts.",
            "The token is a personal Microsoft account's (tid {tenant}); {route} has no DelegatedPersonal permission, so Graph serves it to work and school accounts only.",
            "Sign in with a work or school account, or call an API that personal accounts may use."),
    // Continuous access evaluation at Graph (wire spec, section 7): the body of real answers of 2025 (github.com/
    // microsoftgraph/msgraph-sdk-java/issues/2355, msgraph-sdk-powershell/issues/3322; an older variant of 2024-12-11 says
    // "Exception of type 'Microsoft.Graph.AGS.Contracts.ClaimsChallengeRequiredException' was thrown."), 401 with the
    // claims challenge under graph-today; 403 with the same challenge under the troubleshooting page's profile.
    CAE_CHALLENGE(Channel.GRAPH, "cae-challenge", "InvalidAuthenticationToken", 403,
            "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: {reason}",
            "The token (a continuous access evaluation token: its client declared cp1) was issued at {issuedAt}, before {event} at {eventAt}; Graph refuses it from then on, whatever its expiry.",
            "Acquire a new token with the claims of the challenge (the WWW-Authenticate header's claims, base64): MSAL and the Graph SDK do so when the client declares the cp1 capability; the user signs in again."),
    // The same challenge when the call comes from an address a location policy does not allow (the answer of
    // 2025-05-14, github.com/microsoftgraph/msgraph-sdk-powershell/issues/3322: code LocationConditionEvaluationSatisfied,
    // claims asking for a sign-in from now on and naming the address Graph saw, xms_rp_ipaddr).
    CAE_LOCATION_CHALLENGE(Channel.GRAPH, "cae-location-challenge", "InvalidAuthenticationToken", 403,
            "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: {reason}",
            "The token is a continuous access evaluation token (its client declared cp1), so Graph checks the tenant's location policies at every call: from {address}, {policies}.",
            "Acquire a new token with the claims of the challenge from where the app now runs: the STS then evaluates the policies for that address (a block answers AADSTS53003, a missing second factor asks for one). To test the allowed case, call from an address inside the policy's named locations (behind a local proxy, serve --trust-forwarded-for reads its X-Forwarded-For)."),
    // Step-up on a Graph operation the tenant protects with an authentication context (Consentry's setting; Entra's
    // "protected actions"): the claims challenge of Microsoft Learn's "Developer guide to Conditional Access
    // authentication context" ({"access_token":{"acrs":{"essential":true,"value":"c1"}}}). No real body was found: the
    // message is Consentry's.
    AUTH_CONTEXT_REQUIRED(Channel.GRAPH, "auth-context-required", "InvalidAuthenticationToken", 403,
            "The operation requires the authentication context '{acrs}', which the token does not state.",
            "Tenant {tenant} protects {operation} with the authentication context {acrs} (settings.authenticationContexts), and the token's acrs is {held}.",
            "Acquire a new token with the claims of the challenge ({\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"{acrs}\"}}}): the sign-in then satisfies the policies on {acrs}, usually a second factor."),
    WRONG_AUDIENCE(Channel.GRAPH, "wrong-audience", "Authorization_RequestDenied", 403,
            "Access token validation failure. Invalid audience.",
            "The token was issued for {audience}, not for Microsoft Graph (https://graph.microsoft.com or 00000003-0000-0000-c000-000000000000).",
            "Ask for a Graph scope, e.g. https://graph.microsoft.com/.default or User.Read, not {scopeHint}."),

    // ---- The UserInfo endpoint, which Entra serves from Graph (OpenID Connect Core 1.0, section 5.3) -----
    // Consentry's own wording: no real answer of Graph's userinfo to these cases is recorded in the observed
    // responses; the codes are Graph's (InvalidAuthenticationToken, BadRequest), as for every Graph token refusal.
    USERINFO_APP_ONLY_TOKEN(Channel.GRAPH, "userinfo-app-only-token", "InvalidAuthenticationToken", 401,
            "The token is app-only; the UserInfo endpoint needs a token that acts for a signed-in user.",
            "The token of client {clientId} has no user (client credentials); /oidc/userinfo returns claims about a signed-in user.",
            "Call userinfo with the access token of a user's sign-in (authorization code, device code), not an app-only token."),
    TOKEN_USER_UNKNOWN(Channel.GRAPH, "token-user-unknown", "InvalidAuthenticationToken", 401,
            "Access token validation failure. The user of the token cannot be found or cannot sign in.",
            "The token names user {user} of tenant {tenant}, who {problem}.",
            "Sign the user in again; a token of a user deleted or disabled since it was issued is refused."),
    USERINFO_REQUEST_INVALID(Channel.GRAPH, "userinfo-request-invalid", "BadRequest", 400,
            "The request is not valid. Send the access token once, in the Authorization header or the form body.",
            "The UserInfo request could not be read: {problem}.",
            "Send the access token once, in the Authorization header (or as the access_token field of a form POST)."),

    // ---- Microsoft Graph: the route and the permission (S3, S4, S5) ------------------------------
    UNKNOWN_PATH(Channel.GRAPH, "unknown-path", "BadRequest", 400,
            "Resource not found for the segment '{segment}'.",
            "Microsoft Graph has no '{segment}' where {method} {path} names it{suggestion}.",
            "Check the URL against the Graph reference; Consentry knows every path of Graph's v1.0 metadata and of Microsoft's published permission data."),
    // Consentry's own answer, not Graph's: Graph would answer such a call, but which permissions it wants is not in the
    // data Consentry decides by, so Consentry says so rather than guess (the 501 it also gives a route it does not serve).
    ROUTE_WITHOUT_PERMISSION_DATA(Channel.GRAPH, "route-without-permission-data", "notImplemented", 501,
            "Consentry knows {method} {path} from Graph's metadata but has no permission data for it, so it cannot decide as Graph would.",
            "{path} is a path of Graph's v1.0 metadata, and Microsoft's permission data lists no permission for {method} on it.",
            "Look the call's permissions up in the Graph reference; Consentry cannot emulate this call until its permission data has the route."),
    DELEGATED_ONLY_API(Channel.GRAPH, "delegated-only-api", "BadRequest", 400,
            "/me request is only valid with delegated authentication flow.",
            "{method} {route} acts for the signed-in user, and the token is an application's (no user).",
            "Call /users/{id} with an application permission, or sign a user in (authorization code, device code) and use a delegated token."),
    // OneDrive's own answer to an application token on the signed-in user's drive (observed-responses.md,
    // graph-onedrive-app-only-me-drive, 2021-01-18; 401 with the full stop in 2024, github.com/OneDrive/onedrive-api-docs/issues/1788).
    DRIVE_NEEDS_USER(Channel.GRAPH, "drive-needs-user", "unauthenticated", 401,
            "Must be authenticated to use '/drive' syntax.",
            "{method} {route} names the signed-in user's drive, and an application token has no signed-in user.",
            "Name the drive's owner instead (/users/<user id>/drive, with an application permission such as Files.Read.All), or sign a user in and call with a delegated token."),
    NO_APPLICATION_PERMISSION(Channel.GRAPH, "no-application-permission", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "No application permission allows {method} {route}; an app-only token can never be allowed here, whatever it holds ({held}).",
            "Use a delegated token of a signed-in user who may do this (delegated permissions: {delegated})."),
    NO_DELEGATED_PERMISSION(Channel.GRAPH, "no-delegated-permission", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "No delegated permission allows {method} {route}; only an application token can be allowed here (the token holds {held}).",
            "Use the client credentials flow with one of: {application}."),
    PERMISSION_TYPE_MISMATCH(Channel.GRAPH, "permission-type-mismatch", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "The token is {tokenType}, and {method} {route} needs one of {sufficient}; the app holds {otherHeld} as {otherType} permissions, which a {tokenType} token cannot use.",
            "{fix} With Consentry running: {command}."),
    PERMISSION_NOT_REQUESTED(Channel.GRAPH, "permission-not-requested", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "{method} {route} needs one of {sufficient} ({scheme}); the token holds {held}, and the app registration does not request any of them.",
            "Add {first} ({type} permission, id {leastId}) to the app's API permissions (requiredResourceAccess), grant consent, "
                    + "and get a new token. With Consentry running: {command}. In a tenant file: {snippet}."),
    PERMISSION_NOT_CONSENTED(Channel.GRAPH, "permission-not-consented", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "{method} {route} needs one of {sufficient} ({scheme}); the app requests {requested} but nobody granted it (the token holds {held}).",
            "Grant consent for {least} ({type} permission; id {leastId} for the first; admin consent for application "
                    + "permissions), then get a new token. With Consentry running: {command}."),
    // Graph's own answer for any missing permission (observed-responses.md, graph-insufficient-privileges); the
    // explanation says what Consentry cannot tell when it cannot see the tenant's directory (a real Entra token).
    PERMISSION_NOT_HELD(Channel.GRAPH, "permission-not-held", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "{method} {route} needs one of {sufficient} ({scheme}); the token holds {held}. Consentry cannot see this tenant's app registration and grants, so it cannot tell whether the permission is not requested, not consented, or granted after the token was issued.",
            "Check the app's API permissions and consent in the tenant for {least}, then get a new token."),
    TOKEN_PREDATES_CONSENT(Channel.GRAPH, "token-predates-consent", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "{method} {route} needs one of {sufficient}; {granted} was granted at {grantedAt}, after this token was issued ({issuedAt}), so the token does not carry it.",
            "Get a new token (for MSAL, skip the cache: forceRefresh, or a new client credentials request)."),

    // Application.ReadWrite.OwnedBy "allows the same operations as Application.ReadWrite.All but only on applications and
    // service principals that the calling app is an owner of" (Graph's permissions reference); Graph's answer is its
    // usual 403 for a missing privilege.
    APP_NOT_OWNED(Channel.GRAPH, "app-not-owned", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "The token allows {method} {route} only through Application.ReadWrite.OwnedBy, which reaches the applications and service principals whose owners include the calling app: {reason}.",
            "{fix}"),

    // ---- Microsoft Graph: the signed-in user's own rights (S6) -------------------------------------
    USER_ROLE_MISSING(Channel.GRAPH, "user-role-missing", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "The token allows {method} {route}, but a delegated call is also limited by what the signed-in user may do: {user} holds {actorRoles}, and {action} needs one of {needed}.",
            "Assign {user} one of {needed} tenant-wide, or sign in as a user who holds one{alternative}."),
    // Graph's rule for an application that changes a user's password (the user resource's passwordProfile, Microsoft
    // Learn "Update user": "In application-only access, the calling app must be assigned the User.ReadWrite.All
    // application permission and at least the User Administrator Microsoft Entra role"; a target who holds an admin
    // role needs Privileged Authentication Administrator or Global Administrator, as learn.microsoft.com/answers
    // 360090 and techcommunity 3978494 quote). The same for the other sensitive properties (accountEnabled,
    // businessPhones, mobilePhone, onPremisesImmutableId, otherMails, userPrincipalName) and for deleting a user, when
    // the target holds a privileged administrator role: "Update user" and "Delete a user" say an app-only caller "must
    // be assigned a higher privileged administrator role as indicated in Who can perform sensitive actions", the table
    // of learn.microsoft.com/graph/api/resources/users. Graph answers its usual 403 for a missing privilege.
    SERVICE_PRINCIPAL_ROLE_MISSING(Channel.GRAPH, "service-principal-role-missing", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "The token allows {method} {route}, but with an application token {action} also needs a directory role of the app's service principal: {app} holds {actorRoles}, and this needs one of {needed}.",
            "Assign the service principal {principalId} ({app}) one of {needed}, the first being the least privileged: POST /v1.0/roleManagement/directory/roleAssignments with {\"principalId\": \"{principalId}\", \"roleDefinitionId\": \"{roleDefinitionId}\", \"directoryScopeId\": \"/\"} (or roleAssignments in the tenant file), then get a new token."),
    // Exchange Online's own answer when the user has no mailbox it serves (observed-responses.md, graph-not-licensed-mailbox,
    // 2023-01-05 to 2024-05-06; 404, as clients that handle it test, github.com/twentyhq/twenty/pull/22989), not a
    // permission-shaped 403; "REST API is not yet supported for this mailbox." was the 2020 text.
    MAILBOX_NOT_LICENSED(Channel.GRAPH, "mailbox-not-licensed", "MailboxNotEnabledForRESTAPI", 404,
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
            "{route} is served by Exchange Online, and {user} has no assigned licence with an {plan}* service plan ({licences}), so Exchange Online has no mailbox for them.",
            "Assign {user} a licence whose SKU includes an {plan}* service plan (assignedLicenses, with the SKU among the tenant's subscribedSkus; Graph's assignLicense needs the user's usageLocation set first)."),
    // SharePoint's answer for a tenant with no SharePoint Online plan at all (graph-not-licensed-spo, 2019-10-22 to
    // 2024-01-05; HTTP 400, code BadRequest in the 2021 capture).
    TENANT_NOT_LICENSED_SPO(Channel.GRAPH, "tenant-not-licensed-spo", "BadRequest", 400,
            "Tenant does not have a SPO license.",
            "{route} is served by SharePoint Online and OneDrive, and tenant {tenant} subscribes to no SKU with a {plan}* service plan ({skus}).",
            "Subscribe the tenant to a SKU with a {plan}* service plan (subscribedSkus in the tenant file) and assign it to {user} (assignedLicenses)."),
    USER_NOT_LICENSED(Channel.GRAPH, "user-not-licensed", "Authorization_RequestDenied", 403,
            "Insufficient privileges to complete the operation.",
            "{route} is served by {workload}, and {user} has no assigned licence with a {plan}* service plan ({licences}).",
            "Assign {user} a licence whose SKU includes a {plan}* service plan (assignedLicenses, with the SKU among the tenant's subscribedSkus; Graph's assignLicense needs the user's usageLocation set first).");


    /** A named fact in a template, {@code {appId}}; group 1 is its name. */
    static final Pattern FACT = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    private final Channel channel;
    private final String slug;
    private final String error;
    private final int code;
    private final int status;
    private final String publicMessage;
    private final String explanation;
    private final String fix;
    private final String suberror;

    Cause(String slug, String error, int code, int status, String publicMessage, String explanation, String fix) {
        this(slug, error, code, status, publicMessage, explanation, fix, null);
    }

    Cause(String slug, String error, int code, int status, String publicMessage, String explanation, String fix,
          String suberror) {
        this(Channel.STS, slug, error, code, status, publicMessage, explanation, fix, suberror);
    }

    /** A Microsoft Graph cause: {@code graphCode} is Graph's {@code error.code}; there is no AADSTS number. */
    Cause(Channel channel, String slug, String graphCode, int status, String publicMessage, String explanation, String fix) {
        this(channel, slug, graphCode, 0, status, publicMessage, explanation, fix, null);
    }

    Cause(Channel channel, String slug, String error, int code, int status, String publicMessage, String explanation,
          String fix, String suberror) {
        this.channel = channel;
        this.slug = slug;
        this.error = error;
        this.code = code;
        this.status = status;
        this.publicMessage = publicMessage;
        this.explanation = explanation;
        this.fix = fix;
        this.suberror = suberror;
    }

    /** Where the cause is answered, which decides what {@link #error()} and {@link #code()} hold. */
    public enum Channel {
        /** The identity platform: OAuth {@code error} and an AADSTS number (wire spec, section 3). */
        STS,
        /** Microsoft Graph: Graph's {@code error.code}, no AADSTS number (wire spec, section 6). */
        GRAPH
    }

    public Channel channel() {
        return channel;
    }

    /** The STS {@code suberror} (wire spec, section 3.1), or null; MSAL maps it to an interaction reason. */
    public String suberror() {
        return suberror;
    }

    /** The stable diagnosis name, e.g. {@code scope-invalid-for-flow}. */
    public String slug() {
        return slug;
    }

    /** The wire code: the OAuth {@code error} for the STS, Graph's {@code error.code} for Graph. */
    public String error() {
        return error;
    }

    /** The AADSTS number (without the prefix) of an STS cause; 0 for a Graph cause. */
    public int code() {
        return code;
    }

    /** The HTTP status of the response. */
    public int status() {
        return status;
    }

    /**
     * The status under a tenant's {@code errorProfile}: the cause's own, except that under {@code graph-today} a
     * token for another resource is 401, as Graph answers today, where the troubleshooting page shows 403
     * (product brief, section 2).
     */
    public int statusUnder(dev.consentry.core.directory.ErrorProfile profile) {
        return answersAsInvalidToken(profile) ? 401 : status;
    }

    /** The wire code under a tenant's {@code errorProfile}; see {@link #statusUnder}. */
    public String errorUnder(dev.consentry.core.directory.ErrorProfile profile) {
        return answersAsInvalidToken(profile) ? "InvalidAuthenticationToken" : error;
    }

    private boolean answersAsInvalidToken(dev.consentry.core.directory.ErrorProfile profile) {
        return (this == WRONG_AUDIENCE || this == CAE_CHALLENGE || this == CAE_LOCATION_CHALLENGE || this == AUTH_CONTEXT_REQUIRED) && profile == dev.consentry.core.directory.ErrorProfile.GRAPH_TODAY;
    }

    /** The public message template (safe to send to the caller). */
    public String publicMessageTemplate() {
        return publicMessage;
    }

    /** The explanation template, for the developer reading the diagnosis. */
    public String explanationTemplate() {
        return explanation;
    }

    /** The fix template. */
    public String fixTemplate() {
        return fix;
    }

    /** Every fact name used by the three templates, in order of first use. */
    public Set<String> facts() {
        Set<String> names = new LinkedHashSet<>();
        for (String t : new String[] {publicMessage, explanation, fix}) {
            Matcher m = FACT.matcher(t);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** A template with its facts shown as {@code <name>}, for reading a cause without a case at hand. */
    public static String showFacts(String template) {
        return FACT.matcher(template).replaceAll("<$1>");
    }

    /** Fills a template's {@code {fact}} placeholders; an absent fact renders as "(unknown)". */
    static String fill(String template, java.util.Map<String, String> facts) {
        Matcher m = FACT.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 32);
        while (m.find()) {
            String value = facts.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "(unknown)" : value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
