package dev.consentry.identity.client;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.secret.VerifiedSecrets;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.store.ApplicationStore.HomedApplication;
import dev.consentry.store.Store;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Establishes which client calls the token endpoint and checks its credential (RFC 6749, section 2.3):
 * a client secret in the body ({@code client_secret_post}) or in HTTP Basic ({@code client_secret_basic},
 * with the form-encoded id and secret of section 2.3.1), or a certificate client assertion (RFC 7523).
 *
 * <p>Guaranteed: exactly one method may be used; the client must have an enabled service principal in
 * the tenant the request is for; the first failure is raised with its {@link Cause}. Secrets are
 * compared through {@link VerifiedSecrets} and never logged.
 */
public final class ClientAuthenticator {
    private final Store store;
    private final VerifiedSecrets secrets;
    private final ClientAssertionValidator assertions;

    public ClientAuthenticator(Store store) {
        this.store = store;
        this.secrets = new VerifiedSecrets();
        this.assertions = new ClientAssertionValidator(store.assertionReplay());
    }

    /**
     * Authenticates a confidential client.
     *
     * @param tenant the tenant the request is for
     * @param params the token request's body
     * @param authorization the {@code Authorization} header, or null
     * @param audiences the token endpoint URLs a client assertion may name, lower-case
     */
    public AuthenticatedClient authenticate(TenantId tenant, FormParameters params, String authorization,
                                            Set<String> audiences, Instant now) {
        return authenticate(tenant, params, authorization, audiences, now, false);
    }

    /**
     * Authenticates a client; with {@code publicClientAllowed}, an application registered as a public client
     * ({@code isFallbackPublicClient}, the portal's "allow public client flows") may send no credential.
     */
    public AuthenticatedClient authenticate(TenantId tenant, FormParameters params, String authorization,
                                            Set<String> audiences, Instant now, boolean publicClientAllowed) {
        return authenticate(tenant, params, authorization, audiences, now,
                app -> publicClientAllowed && Boolean.TRUE.equals(app.isFallbackPublicClient()));
    }

    /**
     * Authenticates a client that may send no credential when {@code mayBePublic} says so of its registration
     * (an authorization code redeemed for a redirect URI of the publicClient or spa platform, for instance).
     */
    public AuthenticatedClient authenticate(TenantId tenant, FormParameters params, String authorization,
                                            Set<String> audiences, Instant now,
                                            java.util.function.Predicate<Application> mayBePublic) {
        BasicCredentials basic = BasicCredentials.parse(authorization);
        Optional<String> bodyId = params.get("client_id");
        if (basic != null && bodyId.isPresent() && !bodyId.get().equals(basic.clientId())) {
            throw Failure.of(Cause.PARAMETER_INVALID, "parameter", "client_id", "problem",
                    "the client_id in the body differs from the one in the Authorization header").toException();
        }
        String clientIdText = basic != null ? basic.clientId()
                : bodyId.orElseThrow(() -> Failure.of(Cause.PARAMETER_MISSING, "parameter", "client_id").toException());
        AppId clientId = ClientRegistrations.parseClientId(clientIdText, tenant.toString());

        HomedApplication homed = findApplication(tenant, clientId);
        Application app = homed.application();
        ServicePrincipal sp = store.servicePrincipals().findByAppId(tenant, clientId).orElseThrow(() ->
                Failure.of(Cause.CLIENT_NOT_IN_TENANT, "clientId", clientId.toString(), "tenant", tenant.toString(),
                        "homeTenant", homed.tenant().toString(), "signInAudience", app.signInAudience()).toException());
        if (!sp.enabled()) {
            throw Failure.of(Cause.CLIENT_DISABLED, "clientId", clientId.toString(), "appName", SignInRules.appName(app),
                    "tenant", tenant.toString()).toException();
        }

        List<String> methods = new ArrayList<>(2);
        Optional<String> bodySecret = params.get("client_secret");
        Optional<String> assertion = params.get("client_assertion");
        bodySecret.ifPresent(s -> methods.add("client_secret"));
        if (basic != null) {
            methods.add("HTTP Basic");
        }
        if (assertion.isPresent() || params.get("client_assertion_type").isPresent()) {
            methods.add("client_assertion");
        }
        if (methods.size() > 1) {
            throw Failure.of(Cause.CLIENT_AUTHENTICATION_AMBIGUOUS, "methods", String.join(" and ", methods))
                    .toException();
        }
        if (methods.isEmpty()) {
            if (mayBePublic.test(app)) {
                return new AuthenticatedClient(app, homed.tenant(), sp, AuthenticatedClient.Method.NONE);
            }
            throw Failure.of(Cause.CLIENT_CREDENTIAL_MISSING, "clientId", clientId.toString()).toException();
        }
        if (!methods.get(0).equals("client_assertion")) {
            String secret = basic != null ? basic.secret() : bodySecret.get();
            checkSecret(homed.tenant(), app, secret, now);
            return new AuthenticatedClient(app, homed.tenant(), sp, basic != null
                    ? AuthenticatedClient.Method.CLIENT_SECRET_BASIC : AuthenticatedClient.Method.CLIENT_SECRET_POST);
        }
        String type = params.get("client_assertion_type").orElse("");
        if (!ClientAssertionValidator.JWT_BEARER.equals(type)) {
            throw Failure.of(Cause.CLIENT_ASSERTION_TYPE_INVALID, "assertionType", type).toException();
        }
        assertions.validate(app, assertion.orElseThrow(() ->
                Failure.of(Cause.PARAMETER_MISSING, "parameter", "client_assertion").toException()), audiences, now);
        return new AuthenticatedClient(app, homed.tenant(), sp, AuthenticatedClient.Method.PRIVATE_KEY_JWT);
    }

    /** The registration: in the tenant itself, else a multi-tenant app of another tenant. */
    private HomedApplication findApplication(TenantId tenant, AppId clientId) {
        Optional<Application> local = store.applications().findByAppId(tenant, clientId);
        if (local.isPresent()) {
            return new HomedApplication(tenant, local.get());
        }
        HomedApplication elsewhere = store.applications().findByAppIdInAnyTenant(clientId).orElseThrow(() ->
                Failure.of(Cause.CLIENT_NOT_FOUND, "clientId", clientId.toString(), "tenant", tenant.toString())
                        .toException());
        if ("AzureADMyOrg".equals(elsewhere.application().signInAudience())) {
            throw Failure.of(Cause.CLIENT_NOT_IN_TENANT, "clientId", clientId.toString(), "tenant", tenant.toString(),
                    "homeTenant", elsewhere.tenant().toString(), "signInAudience",
                    elsewhere.application().signInAudience()).toException();
        }
        return elsewhere;
    }

    private void checkSecret(TenantId home, Application app, String secret, Instant now) {
        String clientId = app.appId().toString();
        PasswordCredential matched = secrets.match(app.passwordCredentials(), secret).orElseThrow(() -> {
            List<String> hints = app.passwordCredentials().stream().map(c -> String.valueOf(c.hint()) + "...").toList();
            return Failure.of(Cause.CLIENT_SECRET_INVALID, "clientId", clientId,
                    "secretCount", String.valueOf(app.passwordCredentials().size()),
                    "hints", hints.isEmpty() ? "none" : String.join(", ", hints)).toException();
        });
        if (!matched.validAt(now)) {
            throw Failure.of(Cause.CLIENT_SECRET_EXPIRED, "clientId", clientId, "hint", String.valueOf(matched.hint()),
                    "endDateTime", String.valueOf(matched.endDateTime())).toException();
        }
        upgrade(home, app, matched, secret);
    }

    /**
     * The secret hashed again at today's cost when its stored hash is cheaper, as a user's password is at sign-in
     * ({@link VerifiedSecrets#upgrade}: once at a time, only over the hash that was verified).
     */
    private void upgrade(TenantId home, Application app, PasswordCredential matched, String secret) {
        secrets.upgrade("secret:" + home + ":" + app.appId() + ":" + matched.keyId(), matched.secretHash(), secret, stronger ->
                store.applications().find(home, app.id()).flatMap(current -> {
                    List<PasswordCredential> credentials = new java.util.ArrayList<>(current.passwordCredentials());
                    for (int i = 0; i < credentials.size(); i++) {
                        PasswordCredential c = credentials.get(i);
                        if (java.util.Objects.equals(c.keyId(), matched.keyId()) && matched.secretHash().equals(c.secretHash())) {
                            credentials.set(i, new PasswordCredential(c.keyId(), c.displayName(), c.hint(), null, stronger,
                                    c.startDateTime(), c.endDateTime(), c.additionalProperties()));
                            Application upgraded = current.withCredentials(credentials, current.keyCredentials());
                            store.applications().save(home, upgraded);
                            return Optional.of(upgraded);
                        }
                    }
                    return Optional.empty();
                }));
    }

    /**
     * The client id of a token request: the body's {@code client_id}, else the one of the HTTP Basic header. A client
     * that authenticates with Basic ({@code client_secret_basic}, Spring Security's default) need not repeat it in the
     * body (RFC 6749, sections 2.3.1 and 4.1.3).
     */
    public static String requireClientId(FormParameters params, String authorization) {
        Optional<String> body = params.get("client_id");
        if (body.isPresent()) {
            return body.get();
        }
        BasicCredentials basic = BasicCredentials.parse(authorization);
        if (basic != null) {
            return basic.clientId();
        }
        throw Failure.of(Cause.PARAMETER_MISSING, "parameter", "client_id").toException();
    }

    /** The id and secret of an HTTP Basic header, form-decoded as RFC 6749, section 2.3.1 asks. */
    record BasicCredentials(String clientId, String secret) {
        static BasicCredentials parse(String header) {
            if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidBasic();
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw invalidBasic();
            }
            try {
                return new BasicCredentials(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                        URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw invalidBasic();
            }
        }

        private static RuntimeException invalidBasic() {
            return Failure.of(Cause.PARAMETER_INVALID, "parameter", "Authorization", "problem",
                    "the Basic credentials are not base64 of '<client id>:<secret>'").toException();
        }
    }

    /** The client as a diagnosis step shows it: app id, name and how it authenticated (never the credential). */
    public static String describe(AuthenticatedClient client) {
        return client.application().appId() + " (" + client.application().displayName() + ") by " + switch (client.method()) {
            case NONE -> "no credential (public client)";
            case CLIENT_SECRET_POST -> "a client secret in the body";
            case CLIENT_SECRET_BASIC -> "a client secret in HTTP Basic";
            case PRIVATE_KEY_JWT -> "a certificate (client assertion)";
        };
    }
}
