package dev.consentry.identity.grant;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.client.ClientAuthenticator;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.token.AccessTokenFactory.IssuedToken;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource owner password credentials grant (RFC 6749, section 4.3; Entra's ROPC): a client sends a
 * user's name and password and gets a delegated token for the consented scopes, an id token when
 * {@code openid} was asked for, and {@code client_info} when {@code client_info=1} (wire spec, section 2.5:
 * MSAL makes an account only from both). A public client may send no credential. No refresh token yet:
 * the refresh grant comes with the sign-in issue.
 */
final class PasswordGrant implements Grant {
    private final Store store;
    private final ClientAuthenticator clients;
    private final UserAuthenticator users;
    private final DelegatedScopes scopes;
    private final AccessTokenFactory tokens;

    PasswordGrant(Store store, ClientAuthenticator clients, UserAuthenticator users, DelegatedScopes scopes,
                  AccessTokenFactory tokens) {
        this.store = store;
        this.clients = clients;
        this.users = users;
        this.scopes = scopes;
        this.tokens = tokens;
    }

    @Override
    public Map<String, Object> issue(TokenCall call, TenantPath path) {
        String username = call.params().require("username");
        String password = call.params().require("password");
        AuthenticatedUser user = users.authenticate(path, username, password);
        var tenant = user.tenant().id();
        AuthenticatedClient client = clients.authenticate(tenant, call.params(), call.authorization(),
                call.urls().assertionAudiences(call.tenantPathValue(), tenant), call.now(), true);
        DelegatedScopes.Granted granted = scopes.resolve(tenant, client, user.user(),
                call.params().get("scope").orElse("openid profile"));
        List<String> wids = new ArrayList<>();
        for (RoleAssignment r : store.roleAssignments().listByPrincipal(tenant, user.user().id())) {
            if ("/".equals(r.directoryScopeId()) && !wids.contains(r.roleDefinitionId())) {
                wids.add(r.roleDefinitionId());
            }
        }
        wids.add(WellKnown.DEFAULT_USER_ROLE_TEMPLATE);
        List<String> scp = granted.permissions().isEmpty() ? new ArrayList<>(granted.oidc()) : granted.permissions();
        scp.remove("offline_access");
        IssuedToken token = tokens.delegated(call.urls(), tenant, client, granted.resource(), user.user(), scp, wids,
                List.of("pwd"), call.now());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("scope", granted.echo());
        body.put("expires_in", token.expiresIn());
        body.put("ext_expires_in", token.expiresIn());
        body.put("access_token", token.compact());
        if (granted.oidc().contains("openid")) {
            body.put("id_token", tokens.idToken(call.urls(), tenant, client, user.user(), granted.oidc().contains("email"),
                    null, call.now()));
        }
        if ("1".equals(call.params().get("client_info").orElse(null))) {
            String info = "{\"uid\":\"" + user.user().id() + "\",\"utid\":\"" + tenant + "\"}";
            body.put("client_info", Base64.getUrlEncoder().withoutPadding().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
        }
        return body;
    }
}
