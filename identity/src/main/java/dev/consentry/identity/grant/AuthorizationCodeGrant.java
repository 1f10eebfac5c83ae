package dev.consentry.identity.grant;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Check;
import dev.consentry.core.id.AppId;
import dev.consentry.core.session.AuthorizationCodeRecord;
import dev.consentry.identity.authorize.RedirectUriMatcher;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.client.ClientAuthenticator;
import dev.consentry.identity.client.ClientRegistrations;
import dev.consentry.identity.code.AuthorizationCodes;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.token.RefreshTokens;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.store.Store;
import java.util.Map;

/**
 * The authorization code grant (RFC 6749, section 4.1.3; RFC 7636, section 4.5): the code is spent first,
 * then checked against the client, the redirect URI, the tenant and the PKCE verifier; a client whose
 * redirect URI is on the publicClient or spa platform sends no credential, a web one must authenticate.
 * The scopes are the authorize request's unless the token request names its own (MSAL sends them again).
 */
final class AuthorizationCodeGrant implements Grant {
    private final Store store;
    private final ClientAuthenticator clients;
    private final AuthorizationCodes codes;
    private final RefreshTokens refreshTokens;
    private final DelegatedIssuer issuer;

    AuthorizationCodeGrant(Store store, ClientAuthenticator clients, AuthorizationCodes codes, RefreshTokens refreshTokens,
                           DelegatedIssuer issuer) {
        this.store = store;
        this.clients = clients;
        this.codes = codes;
        this.refreshTokens = refreshTokens;
        this.issuer = issuer;
    }

    @Override
    public Map<String, Object> issue(TokenCall call, TenantPath path) {
        String code = call.params().require("code");
        String redirectUri = call.params().require("redirect_uri");
        String clientIdText = ClientAuthenticator.requireClientId(call.params(), call.authorization());
        AppId clientId = ClientRegistrations.parseClientId(clientIdText, path.pathValue());
        checkOrigin(call, clientId, redirectUri);
        AuthorizationCodeRecord record = codes.redeem(code, clientId, redirectUri,
                call.params().get("code_verifier").orElse(null), path, call.now());
        AuthenticatedClient client = clients.authenticate(record.tenant(), call.params(), call.authorization(),
                call.urls().assertionAudiences(call.tenantPathValue(), record.tenant()), call.now(),
                app -> RedirectUriMatcher.match(app, redirectUri).map(RedirectUriMatcher.Platform::isPublic).orElse(false));
        call.steps().passed(Check.CLIENT_AUTHENTICATION, ClientAuthenticator.describe(client));
        User user = store.users().find(record.tenant(), record.userId()).orElseThrow(() ->
                Failure.of(Cause.AUTHORIZATION_CODE_INVALID, "problem", "its user was deleted").toException());
        UserAuthenticator.checkState(user);
        String scope = call.params().get("scope").orElse(record.scope());
        Map<String, Object> body = issuer.respond(call, record.tenant(), client, user, scope, record.auth(), record.nonce());
        Object refresh = body.get("refresh_token");
        if (refresh != null) {
            refreshTokens.familyOf(refresh.toString()).ifPresent(f -> codes.linkRefreshFamily(code, f));
        }
        return body;
    }

    /**
     * A code issued to a redirect URI of the spa platform is redeemed only by the page (with Origin), and a browser page
     * redeems only such a code: checked before the code is spent, so a corrected request can still redeem it.
     */
    private void checkOrigin(TokenCall call, AppId clientId, String redirectUri) {
        boolean spa = store.applications().findByAppIdInAnyTenant(clientId)
                .flatMap(homed -> RedirectUriMatcher.match(homed.application(), redirectUri))
                .map(p -> p == RedirectUriMatcher.Platform.SPA).orElse(false);
        if (spa && call.origin() == null) {
            throw Failure.of(Cause.SPA_REDEMPTION_NOT_CROSS_ORIGIN, "redirectUri", redirectUri).toException();
        }
        if (!spa && call.origin() != null) {
            throw Failure.of(Cause.CROSS_ORIGIN_NOT_SPA, "origin", call.origin(), "what", "the code was issued to "
                    + redirectUri + ", which is not a redirect URI of the spa platform").toException();
        }
    }
}
