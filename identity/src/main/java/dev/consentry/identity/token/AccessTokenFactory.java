package dev.consentry.identity.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.Base64URL;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.Digests;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.identity.resource.ResolvedResource;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what goes into an access token (the claims policy) and has it signed by the primary key.
 *
 * <p>Claim sets follow the access-token claims reference (wire spec, section 4): the resource's accepted
 * version decides v1.0 ({@code iss} {@code https://sts.windows.net/{tid}/}, {@code appid},
 * {@code appidacr}, header {@code x5t}) or v2.0 ({@code iss} {@code {origin}/{tid}/v2.0}, {@code azp},
 * {@code azpacr}, {@code aud} = the API's app id). App-only tokens carry {@code idtyp} "app",
 * {@code oid} = {@code sub} = the client's service principal, and {@code roles} only when the client
 * holds app roles on the resource, as Entra does. Delegated tokens state what the user's sign-in proved: v1.0 tokens
 * carry its authentication methods as {@code amr} (v2.0 access tokens have no {@code amr}, as Entra's), and both
 * versions carry {@code acrs}, the authentication context classes satisfied, only when there is at least one.
 */
public final class AccessTokenFactory {
    /** Entra back-dates {@code iat} and {@code nbf} by five minutes against clock skew. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);
    /** Client-credentials tokens: {@code expires_in} 3599, as Entra answers. */
    public static final int APP_TOKEN_EXPIRES_IN = 3599;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningKeys keys;

    public AccessTokenFactory(SigningKeys keys) {
        this.keys = keys;
    }

    /** An app-only access token for {@code client} on {@code resource}, in tenant {@code tenant}. */
    public IssuedToken appOnly(StsUrls urls, TenantId tenant, AuthenticatedClient client, ResolvedResource resource,
                               List<String> roles, Instant now) {
        int version = resource.accessTokenVersion();
        Instant expires = now.plusSeconds(APP_TOKEN_EXPIRES_IN);
        String oid = client.servicePrincipal().id().toString();
        Map<String, Object> c = envelope(urls, tenant, resource, now, expires);
        c.put("aio", opaque(24));
        if (version == 2) {
            c.put("azp", client.application().appId().toString());
            c.put("azpacr", client.method().acr());
        } else {
            c.put("app_displayname", client.application().displayName());
            c.put("appid", client.application().appId().toString());
            c.put("appidacr", client.method().acr());
            c.put("idp", StsUrls.issuerV1(tenant));
        }
        c.put("idtyp", "app");
        c.put("oid", oid);
        c.put("rh", opaque(16));
        if (!roles.isEmpty()) {
            c.put("roles", roles);
        }
        c.put("sub", oid);
        c.put("tid", tenant.toString());
        c.put("uti", opaque(16));
        c.put("ver", version == 2 ? "2.0" : "1.0");
        return new IssuedToken(sign(c, version), expires, APP_TOKEN_EXPIRES_IN);
    }

    /** The claims every access token starts with: audience, issuer of the resource's version, and lifetime. */
    private static Map<String, Object> envelope(StsUrls urls, TenantId tenant, ResolvedResource resource, Instant now,
                                                Instant expires) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("aud", resource.audience());
        c.put("iss", resource.accessTokenVersion() == 2 ? urls.issuerV2(tenant) : StsUrls.issuerV1(tenant));
        c.put("iat", now.minus(BACKDATE).getEpochSecond());
        c.put("nbf", now.minus(BACKDATE).getEpochSecond());
        c.put("exp", expires.getEpochSecond());
        return c;
    }

    /** Delegated tokens live 60 to 90 minutes, at random, as Entra's (wire spec, section 4.1). */
    static int delegatedLifetimeSeconds() {
        return 3600 + RANDOM.nextInt(1801);
    }

    /**
     * A continuous access evaluation token's lifetime: 24 to 28 hours (Microsoft Learn, "Continuous access evaluation":
     * "long-lived tokens up to 28 hours"), since the resource refuses it at once after a critical event.
     */
    static int continuousAccessLifetimeSeconds() {
        return 86_400 + RANDOM.nextInt(14_401);
    }

    /** The resources that evaluate access continuously, and so get long-lived tokens for clients that declare cp1. */
    static final java.util.Set<dev.consentry.core.id.AppId> CONTINUOUS_ACCESS_RESOURCES = java.util.Set.of(
            dev.consentry.core.builtin.WellKnown.GRAPH_APP_ID);

    /** As {@link #delegated(StsUrls, TenantId, AuthenticatedClient, ResolvedResource, dev.consentry.core.directory.User,
     * List, List, AuthContext, Instant, boolean)}, for a client that declared no capability. */
    public IssuedToken delegated(StsUrls urls, TenantId tenant, AuthenticatedClient client, ResolvedResource resource,
                                 dev.consentry.core.directory.User user, List<String> scp, List<String> wids,
                                 AuthContext auth, Instant now) {
        return delegated(urls, tenant, client, resource, user, scp, wids, auth, now, false);
    }

    /**
     * A delegated access token: {@code user} signed in to {@code client}, holding {@code scp} on {@code resource}.
     *
     * @param wids the directory role template ids of the user
     * @param auth what the user's sign-in proved: its {@code amr} and {@code acrs} become the token's
     * @param challengeCapable the client declared {@code cp1}: for a resource that evaluates access continuously, the
     *     token says so ({@code xms_cc}) and lives 24 to 28 hours
     */
    public IssuedToken delegated(StsUrls urls, TenantId tenant, AuthenticatedClient client, ResolvedResource resource,
                                 dev.consentry.core.directory.User user, List<String> scp, List<String> wids,
                                 AuthContext auth, Instant now, boolean challengeCapable) {
        int version = resource.accessTokenVersion();
        boolean continuous = challengeCapable && CONTINUOUS_ACCESS_RESOURCES.contains(resource.appId());
        int lifetime = continuous ? continuousAccessLifetimeSeconds() : delegatedLifetimeSeconds();
        Instant expires = now.plusSeconds(lifetime);
        Map<String, Object> c = envelope(urls, tenant, resource, now, expires);
        if (version == 1) {
            c.put("acr", "1");
        }
        if (!auth.acrs().isEmpty()) {
            c.put("acrs", auth.acrs());
        }
        c.put("aio", opaque(24));
        if (version == 1) {
            if (!auth.amr().isEmpty()) {
                c.put("amr", auth.amr());
            }
            c.put("app_displayname", client.application().displayName());
            c.put("appid", client.application().appId().toString());
            c.put("appidacr", client.method().acr());
        } else {
            c.put("azp", client.application().appId().toString());
            c.put("azpacr", client.method().acr());
        }
        if (auth.deviceId() != null) {
            c.put("deviceid", auth.deviceId());
        }
        c.put("idtyp", "user");
        if (user.displayName() != null) {
            c.put("name", user.displayName());
        }
        c.put("oid", user.id().toString());
        if (version == 2) {
            c.put("preferred_username", user.userPrincipalName());
        }
        c.put("rh", opaque(16));
        c.put("scp", String.join(" ", scp));
        c.put("sub", pairwiseSubject(user.id().toString(), client.application().appId().toString()));
        c.put("tid", tenant.toString());
        if (version == 1) {
            c.put("unique_name", user.userPrincipalName());
            c.put("upn", user.userPrincipalName());
        }
        c.put("uti", opaque(16));
        c.put("ver", version == 2 ? "2.0" : "1.0");
        c.put("wids", wids);
        if (continuous) {
            c.put("xms_cc", List.of("cp1"));
        }
        return new IssuedToken(sign(c, version), expires, lifetime);
    }

    /** The OpenID Connect id token (v2.0) for {@code client}: {@code aud} = the client id, an hour long. */
    public String idToken(StsUrls urls, TenantId tenant, AuthenticatedClient client, dev.consentry.core.directory.User user,
                          boolean withEmail, String nonce, Instant now) {
        return idToken(urls, tenant, client, user, withEmail, nonce, null, now);
    }

    /**
     * The id token of a hybrid authorize response ({@code code id_token}), which also carries {@code c_hash}:
     * base64url of the left half of the SHA-256 of the code (OpenID Connect Core, section 3.3.2.11).
     */
    public String idToken(StsUrls urls, TenantId tenant, AuthenticatedClient client, dev.consentry.core.directory.User user,
                          boolean withEmail, String nonce, String code, Instant now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("aud", client.application().appId().toString());
        c.put("iss", urls.issuerV2(tenant));
        c.put("iat", now.getEpochSecond());
        c.put("nbf", now.getEpochSecond());
        c.put("exp", now.plusSeconds(3600).getEpochSecond());
        c.put("aio", opaque(24));
        if (code != null) {
            c.put("c_hash", leftHalfHash(code));
        }
        if (withEmail && user.mail() != null) {
            c.put("email", user.mail());
        }
        if (user.displayName() != null) {
            c.put("name", user.displayName());
        }
        if (nonce != null) {
            c.put("nonce", nonce);
        }
        c.put("oid", user.id().toString());
        c.put("preferred_username", user.userPrincipalName());
        c.put("rh", opaque(16));
        c.put("sub", pairwiseSubject(user.id().toString(), client.application().appId().toString()));
        c.put("tid", tenant.toString());
        c.put("uti", opaque(16));
        c.put("ver", "2.0");
        return sign(c, 2);
    }

    /**
     * Entra's {@code sub} for users is pairwise: the same user has another subject in every application.
     * This is the {@code sub} of the user's id tokens and delegated access tokens for {@code clientId}, so the
     * userinfo endpoint answers the subject the client already holds (OpenID Connect Core 1.0, section 5.3.2).
     */
    public static String pairwiseSubject(String userId, String clientId) {
        return Digests.sha256Url(userId + "|" + clientId); // 43 characters, as Entra's subjects
    }

    private String sign(Map<String, Object> claims, int version) {
        SigningKeys.ActiveKey key = keys.primary();
        JWSHeader.Builder h = new JWSHeader.Builder(key.algorithm()).type(JOSEObjectType.JWT).keyID(key.kid());
        if (version == 1) {
            setV1Thumbprint(h, key.kid());
        }
        try {
            JWSObject jws = new JWSObject(h.build(), new Payload(JSON.writeValueAsString(claims)));
            jws.sign(key.signer());
            return jws.serialize();
        } catch (JsonProcessingException | JOSEException e) {
            throw new IllegalStateException("signing a token failed", e);
        }
    }

    /** v1.0 tokens repeat the key id as {@code x5t} (wire spec, section 1.3); Nimbus marks the setter deprecated. */
    @SuppressWarnings("deprecation")
    private static void setV1Thumbprint(JWSHeader.Builder header, String kid) {
        header.x509CertThumbprint(new Base64URL(kid));
    }

    /** base64url of the left-most 128 bits of SHA-256 of the ASCII value: {@code c_hash} and {@code at_hash}. */
    static String leftHalfHash(String value) {
        byte[] d = Digests.sha256(value.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return Digests.base64Url(java.util.Arrays.copyOf(d, 16));
    }

    /** A random opaque value of {@code bytes} bytes, base64url, as Entra's {@code aio}, {@code rh}, {@code uti}. */
    static String opaque(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A signed token with its expiry. */
    public record IssuedToken(String compact, Instant expiresAt, int expiresIn) {}
}
