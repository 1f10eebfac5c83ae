package dev.consentry.identity.grant;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.EntraTime;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Check;
import dev.consentry.core.id.AppId;
import dev.consentry.core.session.RefreshTokenRecord;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.client.ClientAuthenticator;
import dev.consentry.identity.client.ClientRegistrations;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.token.RefreshTokens;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.store.Store;
import java.util.Map;

/**
 * The refresh token grant (RFC 6749, section 6): a client redeems the refresh token it holds for a new
 * access token (for the same or other consented scopes of one resource) and the next refresh token of the
 * family. The user must still be enabled; the token must be the family's current one; and the authority of the
 * request must still admit the user and the app, by the same rules as a sign-in ({@link SignInRules#checkUser}), so
 * a refresh token cannot carry a user into a tenant where they have no account.
 */
final class RefreshTokenGrant implements Grant {
    private final Store store;
    private final ClientAuthenticator clients;
    private final RefreshTokens refreshTokens;
    private final DelegatedIssuer issuer;

    RefreshTokenGrant(Store store, ClientAuthenticator clients, RefreshTokens refreshTokens, DelegatedIssuer issuer) {
        this.store = store;
        this.clients = clients;
        this.refreshTokens = refreshTokens;
        this.issuer = issuer;
    }

    @Override
    public Map<String, Object> issue(TokenCall call, TenantPath path) {
        String token = call.params().require("refresh_token");
        String clientIdText = ClientAuthenticator.requireClientId(call.params(), call.authorization());
        AppId clientId = ClientRegistrations.parseClientId(clientIdText, path.pathValue());
        RefreshTokenRecord record = refreshTokens.check(token, clientId, call.now());
        AuthenticatedClient client = clients.authenticate(record.tenant(), call.params(), call.authorization(),
                call.urls().assertionAudiences(call.tenantPathValue(), record.tenant()), call.now(), true);
        call.steps().passed(Check.CLIENT_AUTHENTICATION, ClientAuthenticator.describe(client));
        User user = store.users().find(record.tenant(), record.userId()).orElseThrow(() ->
                Failure.of(Cause.REFRESH_TOKEN_REVOKED, "revokedAt", "the deletion of the user", "issuedAt",
                        EntraTime.of(record.issuedAt()), "validFrom",
                        EntraTime.of(call.now())).toException());
        if (!user.enabled()) {
            throw Failure.of(Cause.USER_DISABLED, "username", user.userPrincipalName()).toException();
        }
        // The user's tenant is the record's: deleting a tenant deletes its users, so the lookup above covers it.
        SignInRules.checkUser(path, client.application(), client.homeTenant(), record.tenant(), user);
        String scope = call.params().get("scope").orElse(record.scope());
        return issuer.refresh(call, record.tenant(), client, user, scope, record);
    }
}
