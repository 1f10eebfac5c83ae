package dev.consentry.identity.token;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.consentry.core.id.TenantId;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an access token says, read from its claims: either a {@link VerifiedToken} (signature, issuer and lifetime
 * checked by {@link TokenValidator}) or an {@link UnverifiedToken} (only decoded, by
 * {@link TokenReader#unsafeDecodeWithoutSignature}, to explain a token Consentry did not issue). Code that acts on
 * a token (serving Graph data, issuing on behalf of a user) takes {@code VerifiedToken}; code that only reasons
 * about claims (the permission, user-rights and licence stages) takes this type. The split follows Tink's
 * {@code VerifiedJwt}: the unsafe path has a name that cannot be taken by accident.
 *
 * <p>Guaranteed for both kinds: {@link #tenantId()} is a GUID from {@code tid}, {@link #issuer()} and
 * {@link #audience()} are present.
 */
public abstract sealed class TokenView permits VerifiedToken, UnverifiedToken {
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");
    private final JWTClaimsSet claims;
    private final TenantId tenantId;
    // Read from the claims once: a verified token is kept and asked for these on every Graph call it makes.
    private final List<String> audience;
    private final Optional<String> clientId;
    private final Optional<String> objectId;
    private final boolean appOnly;
    private final List<String> scopes;
    private final List<String> roles;
    private final Instant expires;
    private final Instant notBefore;

    TokenView(JWTClaimsSet claims) {
        TenantId tid = TenantId.tryParse(string(claims, "tid")).orElseThrow(() ->
                new IllegalArgumentException("the tid claim is missing or not a GUID"));
        if (claims.getIssuer() == null || claims.getAudience().isEmpty()) {
            throw new IllegalArgumentException("iss or aud is missing");
        }
        this.claims = claims;
        this.tenantId = tid;
        this.audience = List.copyOf(claims.getAudience());
        this.clientId = Optional.ofNullable(string(claims, "appid")).or(() -> Optional.ofNullable(string(claims, "azp")));
        this.objectId = Optional.ofNullable(string(claims, "oid"));
        String idtyp = string(claims, "idtyp");
        String scp = string(claims, "scp");
        this.appOnly = "app".equals(idtyp) || (idtyp == null && scp == null);
        this.scopes = scp == null || scp.isBlank() ? List.of() : List.of(SPACES.split(scp.trim()));
        this.roles = strings("roles");
        this.expires = claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
        this.notBefore = claims.getNotBeforeTime() == null ? null : claims.getNotBeforeTime().toInstant();
    }

    static String string(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    /** True only for a token whose signature, issuer and lifetime were checked. */
    public abstract boolean verified();

    public TenantId tenantId() {
        return tenantId;
    }

    public String issuer() {
        return claims.getIssuer();
    }

    public List<String> audience() {
        return audience;
    }

    /** "1.0" or "2.0". */
    public String version() {
        return Optional.ofNullable(string(claims, "ver")).orElse("1.0");
    }

    /** The client the token was issued to ({@code appid} in v1.0, {@code azp} in v2.0). */
    public Optional<String> clientId() {
        return clientId;
    }

    /** The subject object id: the user for delegated tokens, the service principal for app-only ones. */
    public Optional<String> objectId() {
        return objectId;
    }

    /** True for an app-only token ({@code idtyp} "app", or no {@code scp}). */
    public boolean appOnly() {
        return appOnly;
    }

    /** The delegated scopes ({@code scp}); empty for app-only tokens. */
    public List<String> scopes() {
        return scopes;
    }

    /** The application permissions ({@code roles}); empty when the claim is absent. */
    public List<String> roles() {
        return roles;
    }

    /** How the user authenticated ({@code amr}, v1.0 tokens only); empty when the claim is absent. */
    public List<String> amr() {
        return strings("amr");
    }

    /** The authentication context classes the user satisfied ({@code acrs}); empty when the claim is absent. */
    public List<String> acrs() {
        return strings("acrs");
    }

    /** A claim that is an array of strings; empty when it is absent or not such an array. */
    private List<String> strings(String name) {
        try {
            List<String> values = claims.getStringListClaim(name);
            return values == null ? List.of() : List.copyOf(values);
        } catch (ParseException e) {
            return List.of();
        }
    }

    /** When the token expires ({@code exp}); empty when it has none. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expires);
    }

    /** When the token starts to be valid ({@code nbf}); empty when it has none. */
    public Optional<Instant> notBefore() {
        return Optional.ofNullable(notBefore);
    }

    /** When the token was issued ({@code iat}, else {@code nbf}); empty when it has neither. */
    public Optional<Instant> issuedAt() {
        return claims.getIssueTime() != null ? Optional.of(claims.getIssueTime().toInstant()) : notBefore();
    }

    /** The raw claims, for the diagnosis. */
    public JWTClaimsSet claims() {
        return claims;
    }
}
