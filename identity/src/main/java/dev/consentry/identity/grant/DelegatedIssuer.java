package dev.consentry.identity.grant;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Check;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.RefreshTokenRecord;
import dev.consentry.identity.access.AccessDecision;
import dev.consentry.identity.access.AccessRequest;
import dev.consentry.identity.access.ConditionalAccess;
import dev.consentry.identity.authorize.AuthorizeFlow;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.protocol.ClientInfo;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.token.AccessTokenFactory.IssuedToken;
import dev.consentry.identity.token.RefreshTokens;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token response of every grant that acts for a user (wire spec, section 1.5): the delegated access
 * token for the consented scopes, an id token when {@code openid} was asked for, a refresh token when
 * {@code offline_access} was (the next of its family when a refresh token was redeemed), and
 * {@code client_info} when the client asked with {@code client_info=1}.
 *
 * <p>Guaranteed: the access token and the refresh token state the {@link AuthContext} the grant hands in, which is
 * what the user's sign-in proved; a refresh token redemption hands in the context its family started with.
 */
final class DelegatedIssuer {
    private final Store store;
    private final DelegatedScopes scopes;
    private final AccessTokenFactory tokens;
    private final RefreshTokens refreshTokens;
    private final ConditionalAccess conditionalAccess;

    DelegatedIssuer(Store store, DelegatedScopes scopes, AccessTokenFactory tokens, RefreshTokens refreshTokens) {
        this.store = store;
        this.scopes = scopes;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.conditionalAccess = new ConditionalAccess(store);
    }

    /** The response for {@code user}, whose sign-in proved {@code auth}, signed in to {@code client}: a new family. */
    Map<String, Object> respond(TokenCall call, TenantId tenant, AuthenticatedClient client, User user, String scope,
                                AuthContext auth) {
        return respond(call, tenant, client, user, scope, auth, null);
    }

    /** As above, with the id token's {@code nonce} (the authorize request's), or null. */
    Map<String, Object> respond(TokenCall call, TenantId tenant, AuthenticatedClient client, User user, String scope,
                                AuthContext auth, String nonce) {
        return issue(call, tenant, client, user, scope, auth, null, nonce);
    }

    /**
     * The response for the redemption of {@code redeemed}: the sign-in context is the one its family started with, and
     * the refresh token, if any, is the next of that family.
     */
    Map<String, Object> refresh(TokenCall call, TenantId tenant, AuthenticatedClient client, User user, String scope,
                                RefreshTokenRecord redeemed) {
        return issue(call, tenant, client, user, scope, redeemed.auth(), redeemed, null);
    }

    private Map<String, Object> issue(TokenCall call, TenantId tenant, AuthenticatedClient client, User user, String scope,
                                      AuthContext auth, RefreshTokenRecord redeemed, String nonce) {
        call.signIn().user(tenant, user);
        call.signIn().client(client.application().appId().toString(), client.application().displayName());
        DelegatedScopes.Granted granted = switch (scopes.resolve(tenant, client, user, scope)) {
            case DelegatedScopes.Granted g -> g;
            // No page to ask on at the token endpoint: the client must send the user to authorize.
            case DelegatedScopes.ConsentNeeded needed -> throw needed.refusal(tenant).toException();
        };
        call.steps().passed(Check.SCOPE, "'" + scope + "' names "
                + (granted.resource() == null ? "no resource beyond OpenID Connect" : granted.resource().displayName()))
                .passed(Check.CONSENT, granted.permissions().isEmpty() ? "no permission of the resource asked for"
                        : "consented: " + String.join(" ", granted.permissions()));
        if (granted.resource() != null) {
            call.signIn().resource(granted.resource().appId().toString(), granted.resource().displayName());
        }
        List<String> contexts = call.claims().acrs();
        checkAccess(call, tenant, client, user, granted, auth, contexts);
        auth = AuthorizeFlow.withContexts(auth, contexts);
        List<String> wids = wids(store, tenant, user);
        List<String> scp = new ArrayList<>(granted.permissions().isEmpty() ? granted.oidc() : granted.permissions());
        scp.remove("offline_access");
        IssuedToken token = tokens.delegated(call.urls(), tenant, client, granted.resource(), user, scp, wids, auth, call.now(),
                call.claims().challengeCapable());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("scope", granted.echo());
        body.put("expires_in", token.expiresIn());
        body.put("ext_expires_in", token.expiresIn());
        if (token.expiresIn() > 7200) {
            // A long-lived (continuous access) token: when the client should renew it, as Entra says for such tokens.
            body.put("refresh_in", token.expiresIn() / 2);
        }
        body.put("access_token", token.compact());
        if (granted.oidc().contains("offline_access")) {
            body.put("refresh_token", redeemed == null
                    ? refreshTokens.issue(tenant, client.application().appId(), user.id(), auth, scope, call.now())
                    : refreshTokens.rotate(redeemed, scope, call.now()));
        }
        if (granted.oidc().contains("openid")) {
            body.put("id_token", tokens.idToken(call.urls(), tenant, client, user, granted.oidc().contains("email"), nonce,
                    call.now()));
        }
        if ("1".equals(call.params().get("client_info").orElse(null))) {
            body.put("client_info", ClientInfo.encode(user.id(), tenant));
        }
        return body;
    }

    /** The token's {@code wids}: the directory roles {@code user} holds tenant-wide, and the default user role. */
    static List<String> wids(Store store, TenantId tenant, User user) {
        List<String> wids = new ArrayList<>();
        for (RoleAssignment r : store.roleAssignments().listByPrincipal(tenant, user.id())) {
            if ("/".equals(r.directoryScopeId()) && !wids.contains(r.roleDefinitionId())) {
                wids.add(r.roleDefinitionId());
            }
        }
        wids.add(WellKnown.DEFAULT_USER_ROLE_TEMPLATE);
        return wids;
    }

    /** The registered device the sign-in came from ({@code deviceid}), if the directory still has it. */
    private dev.consentry.core.directory.Device device(TenantId tenant, AuthContext auth) {
        return auth.deviceId() == null ? null : store.devices().findByDeviceId(tenant, auth.deviceId()).orElse(null);
    }

    /**
     * The tenant's conditional access policies for this issuance ({@link ConditionalAccess}): a token for the browser
     * flow's code or for a modern client's grant, for the resource asked for (the client itself for a sign-in only).
     * Every outcome goes into the decision record; an enforced policy that fails refuses the token as Entra does:
     * AADSTS53003 for a block, AADSTS50076 for a missing second factor, AADSTS53000 for a device, each naming the
     * failing policies in its {@code claims} ({@code capolids}), except on the password grant, whose observed answer
     * carries none.
     */
    private void checkAccess(TokenCall call, TenantId tenant, AuthenticatedClient client, User user,
                             DelegatedScopes.Granted granted, AuthContext auth, List<String> contexts) {
        AppId resource = granted.resource() == null ? client.application().appId() : granted.resource().appId();
        String grantType = call.params().get("grant_type").orElse("");
        AccessRequest request = new AccessRequest(tenant, user, client.application().appId(), resource,
                "authorization_code".equals(grantType) ? AccessRequest.BROWSER : AccessRequest.MODERN_CLIENT, auth,
                device(tenant, auth), contexts, call.now(), call.clientAddress());
        AccessDecision access = conditionalAccess.evaluate(request);
        call.signIn().conditionalAccess(access.outcomes());
        if (access.outcomes().isEmpty()) {
            return;
        }
        if (access.allowed()) {
            call.steps().passed(Check.CONDITIONAL_ACCESS, access.record());
            return;
        }
        String resourceName = granted.resource() == null ? DelegatedScopes.appName(client) : granted.resource().displayName();
        throw conditionalAccess.refusal(access, request, resourceName, !"password".equals(grantType)).toException();
    }
}
