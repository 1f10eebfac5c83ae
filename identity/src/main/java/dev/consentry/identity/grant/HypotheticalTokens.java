package dev.consentry.identity.grant;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.client.ClientRegistrations;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.identity.resource.ResolvedResource;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.store.ApplicationStore;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Microsoft Graph access token this STS would issue now to an app, as itself or for a user, without anyone
 * signing in or authenticating: for the what-if question asked by tenant, client and user instead of with a token
 * (issue 12). The token is built by the same parts as a real issuance (the app roles the client holds, the delegated
 * permissions consented for the user with {@code .default}, the user's directory roles) and is never sent to anyone.
 *
 * <p>Not evaluated: the client's credential (a what-if assumes the app can authenticate) and conditional access (a
 * sign-in's place, device and second factor decide it; the delegated token states a password sign-in).
 */
public final class HypotheticalTokens {
    private static final String GRAPH = "https://graph.microsoft.com";
    private final Store store;
    private final ResourceResolver resources;
    private final DelegatedScopes scopes;
    private final AccessTokenFactory tokens;

    public HypotheticalTokens(Store store, AccessTokenFactory tokens) {
        this.store = store;
        this.resources = new ResourceResolver(store);
        this.scopes = new DelegatedScopes(store, resources);
        this.tokens = tokens;
    }

    /**
     * The token {@code clientId} would get for Microsoft Graph in {@code tenant} now: app-only when {@code user} is null
     * or blank, else for that user (user principal name or object id) with {@code .default}; or the STS's refusal (an
     * unknown or disabled app or user, an app without a credential asking as itself, a user who has not consented).
     */
    public Hypothetical graphToken(StsUrls urls, TenantId tenant, String clientId, String user, Instant now) {
        try {
            AuthenticatedClient client = client(tenant, clientId);
            ResolvedResource graph = resources.resolve(tenant, GRAPH);
            if (user == null || user.isBlank()) {
                if (client.application().passwordCredentials().isEmpty() && client.application().keyCredentials().isEmpty()) {
                    return new Hypothetical.Refused(Failure.of(Cause.CLIENT_CREDENTIAL_MISSING, "clientId", clientId));
                }
                List<String> roles = ClientCredentialsGrant.rolesOn(store, tenant, client, graph);
                return new Hypothetical.Token(tokens.appOnly(urls, tenant, client, graph, roles, now).compact());
            }
            User signedIn = user(tenant, user);
            DelegatedScopes.Granted granted = switch (scopes.resolve(tenant, client, signedIn, GRAPH + "/.default")) {
                case DelegatedScopes.Granted g -> g;
                case DelegatedScopes.ConsentNeeded needed -> throw needed.refusal(tenant).toException();
            };
            List<String> scp = new ArrayList<>(granted.permissions().isEmpty() ? granted.oidc() : granted.permissions());
            scp.remove("offline_access");
            return new Hypothetical.Token(tokens.delegated(urls, tenant, client, graph, signedIn, scp,
                    DelegatedIssuer.wids(store, tenant, signedIn), AuthContext.password(now), now).compact());
        } catch (FailureException e) {
            return new Hypothetical.Refused(e.failure());
        }
    }

    /** The client as if it authenticated: its registration and its service principal in {@code tenant}. */
    private AuthenticatedClient client(TenantId tenant, String clientId) {
        AppId appId = ClientRegistrations.parseClientId(clientId, tenant.toString());
        ApplicationStore.HomedApplication homed = store.applications().findByAppId(tenant, appId)
                .map(a -> new ApplicationStore.HomedApplication(tenant, a))
                .or(() -> store.applications().findByAppIdInAnyTenant(appId)).orElseThrow(() -> Failure.of(
                        Cause.CLIENT_NOT_FOUND, "clientId", clientId, "tenant", tenant.toString()).toException());
        Application app = homed.application();
        ServicePrincipal sp = store.servicePrincipals().findByAppId(tenant, appId).orElseThrow(() -> Failure.of(
                Cause.CLIENT_NOT_IN_TENANT, "clientId", clientId, "homeTenant", homed.tenant().toString(), "tenant",
                tenant.toString(), "signInAudience", app.signInAudience()).toException());
        if (!sp.accountEnabled()) {
            throw Failure.of(Cause.CLIENT_DISABLED, "clientId", clientId, "appName", SignInRules.appName(app), "tenant",
                    tenant.toString()).toException();
        }
        return new AuthenticatedClient(app, homed.tenant(), sp, AuthenticatedClient.Method.CLIENT_SECRET_POST);
    }

    /** The user by user principal name or object id. */
    private User user(TenantId tenant, String name) {
        Optional<User> found = store.users().findByUserPrincipalName(tenant, name)
                .or(() -> ObjectId.tryParse(name).flatMap(id -> store.users().find(tenant, id)));
        User u = found.orElseThrow(() -> Failure.of(Cause.USER_NOT_FOUND, "tenant", tenant.toString(), "username", name)
                .toException());
        if (!u.accountEnabled()) {
            throw Failure.of(Cause.USER_DISABLED, "username", name).toException();
        }
        return u;
    }

    /** What the STS would answer. */
    public sealed interface Hypothetical {
        /** It would issue this token. */
        record Token(String compact) implements Hypothetical {}

        /** It would refuse with this failure. */
        record Refused(Failure failure) implements Hypothetical {}
    }
}
