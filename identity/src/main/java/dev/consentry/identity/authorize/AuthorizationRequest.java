package dev.consentry.identity.authorize;

import dev.consentry.core.directory.Application;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.authorize.RedirectUriMatcher.Platform;
import dev.consentry.identity.code.AuthorizationCodes;
import dev.consentry.identity.protocol.ClaimsRequest;
import dev.consentry.identity.tenant.TenantPath;
import java.util.Locale;
import java.util.Optional;

/**
 * A validated request to {@code /{tenant}/oauth2/v2.0/authorize} (wire spec, section 1.4): the client
 * and its home tenant are known, the redirect URI matched the registration, and every parameter that
 * shapes the response was checked.
 *
 * @param query the raw query string the request came with, kept so the sign-in form can carry it on
 * @param platform the platform of the matched redirect URI (public ones must use PKCE S256)
 * @param wantsCode true for {@code response_type} containing {@code code}
 * @param wantsIdToken true for {@code response_type} containing {@code id_token}
 * @param codeChallenge the PKCE challenge, or null
 * @param codeChallengeMethod {@code S256} or {@code plain}, or null without a challenge
 * @param nonce the OpenID Connect nonce, or null
 * @param prompt the prompt, or null
 * @param loginHint the {@code login_hint}, or null
 * @param domainHint the {@code domain_hint}, or null
 * @param clientInfo true when the client asked for {@code client_info=1}
 * @param claims the {@code claims} parameter: authentication contexts asked for, client capabilities
 * @param adminConsent true for a request to the admin consent endpoint ({@code /{tenant}/v2.0/adminconsent}): a
 *     sign-in that ends in consent for the whole organization instead of a response with tokens
 */
public record AuthorizationRequest(String query, TenantPath tenant, Application client, TenantId clientHomeTenant,
                                   Platform platform, ReplyTarget reply, boolean wantsCode, boolean wantsIdToken,
                                   String scope, String codeChallenge, String codeChallengeMethod, String nonce,
                                   Prompt prompt, String loginHint, String domainHint, boolean clientInfo,
                                   ClaimsRequest claims, boolean adminConsent) {
    /** What the sign-in forms carry of an admin consent request before its query, to tell it from an authorize one. */
    public static final String ADMIN_CONSENT_PREFIX = "adminconsent:";

    /** The request as the sign-in and consent forms carry it: its query, marked when it is an admin consent request. */
    public String carried() {
        return adminConsent ? ADMIN_CONSENT_PREFIX + query : query;
    }

    /** The {@code prompt} values Consentry honours (wire spec, section 5). */
    public enum Prompt {
        LOGIN, NONE, SELECT_ACCOUNT, CONSENT;

        /** The prompt for a wire value; empty for any other. */
        public static Optional<Prompt> fromWire(String value) {
            for (Prompt p : values()) {
                if (p.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    /** What a code issued for this request is bound to. */
    public AuthorizationCodes.Binding codeBinding() {
        return new AuthorizationCodes.Binding(client.appId(), reply.redirectUri(), scope, codeChallenge, codeChallengeMethod,
                nonce);
    }

    /** The {@code login_hint}, lower-cased, or empty. */
    public Optional<String> hintedUser() {
        return Optional.ofNullable(loginHint).map(h -> h.toLowerCase(Locale.ROOT));
    }
}
