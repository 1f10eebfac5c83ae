package dev.consentry.identity.grant;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.explain.Check;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.client.ClientAuthenticator;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import java.util.Map;

/**
 * The resource owner password credentials grant (RFC 6749, section 4.3; Entra's ROPC): a client sends a
 * user's name and password and gets the delegated response of {@link DelegatedIssuer}. A public client may
 * send no credential.
 */
final class PasswordGrant implements Grant {
    private final ClientAuthenticator clients;
    private final UserAuthenticator users;
    private final DelegatedIssuer issuer;

    PasswordGrant(ClientAuthenticator clients, UserAuthenticator users, DelegatedIssuer issuer) {
        this.clients = clients;
        this.users = users;
        this.issuer = issuer;
    }

    @Override
    public Map<String, Object> issue(TokenCall call, TenantPath path) {
        String username = call.params().require("username");
        String password = call.params().require("password");
        // Noted before the password is checked, so that a wrong password is logged as this user's failed sign-in.
        AuthenticatedUser found = users.find(path, username);
        call.signIn().user(found.tenant().id(), found.user());
        AuthenticatedUser user = users.authenticate(path, username, password, call.clientAddress(), call.now());
        var tenant = user.tenant().id();
        // Through a tenant's own authority the client is that tenant's (a user of another tenant is then refused by
        // SignInRules with AADSTS50020, not told that the app is missing from the user's home tenant).
        var clientTenant = path instanceof TenantPath.Specific s ? s.id() : tenant;
        AuthenticatedClient client = clients.authenticate(clientTenant, call.params(), call.authorization(),
                call.urls().assertionAudiences(call.tenantPathValue(), clientTenant), call.now(), true);
        call.steps().passed(Check.CLIENT_AUTHENTICATION, ClientAuthenticator.describe(client));
        if (tenant.equals(WellKnown.CONSUMERS_TENANT_ID)) {
            throw Failure.of(Cause.PERSONAL_ACCOUNT_NOT_ALLOWED, "username", username, "reason",
                    "the password grant (ROPC) does not support personal Microsoft accounts").toException();
        }
        SignInRules.checkUser(path, client.application(), client.homeTenant(), user.tenant().id(), user.user());
        // The password was checked just now, by this request: that is the whole sign-in.
        return issuer.respond(call, tenant, client, user.user(), call.params().get("scope").orElse("openid profile"),
                AuthContext.password(call.now()));
    }
}
