package dev.consentry.identity.token;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.consentry.core.id.TenantId;
import java.text.ParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An access token whose signature, issuer and lifetime {@link TokenValidator} checked. Handlers take this
 * type, never a raw string, so an unchecked token cannot reach them.
 */
public final class VerifiedToken {
    private final JWTClaimsSet claims;
    private final TenantId tenantId;

    private VerifiedToken(JWTClaimsSet claims, TenantId tenantId) {
        this.claims = claims;
        this.tenantId = tenantId;
    }

    static VerifiedToken of(JWTClaimsSet claims) {
        TenantId tid = TenantId.tryParse(string(claims, "tid")).orElseThrow(() ->
                new IllegalArgumentException("the tid claim is missing or not a GUID"));
        if (claims.getIssuer() == null || claims.getAudience().isEmpty()) {
            throw new IllegalArgumentException("iss or aud is missing");
        }
        return new VerifiedToken(claims, tid);
    }

    private static String string(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    public TenantId tenantId() {
        return tenantId;
    }

    public String issuer() {
        return claims.getIssuer();
    }

    public List<String> audience() {
        return claims.getAudience();
    }

    /** "1.0" or "2.0". */
    public String version() {
        return Optional.ofNullable(string(claims, "ver")).orElse("1.0");
    }

    /** The client the token was issued to ({@code appid} in v1.0, {@code azp} in v2.0). */
    public Optional<String> clientId() {
        return Optional.ofNullable(string(claims, "appid")).or(() -> Optional.ofNullable(string(claims, "azp")));
    }

    /** The subject object id: the user for delegated tokens, the service principal for app-only ones. */
    public Optional<String> objectId() {
        return Optional.ofNullable(string(claims, "oid"));
    }

    /** True for an app-only token ({@code idtyp} "app", or no {@code scp}). */
    public boolean appOnly() {
        String idtyp = string(claims, "idtyp");
        return "app".equals(idtyp) || (idtyp == null && string(claims, "scp") == null);
    }

    /** The delegated scopes ({@code scp}); empty for app-only tokens. */
    public List<String> scopes() {
        String scp = string(claims, "scp");
        return scp == null || scp.isBlank() ? List.of() : Arrays.asList(scp.trim().split("\\s+"));
    }

    /** The application permissions ({@code roles}); empty when the claim is absent. */
    public List<String> roles() {
        try {
            List<String> roles = claims.getStringListClaim("roles");
            return roles == null ? List.of() : List.copyOf(roles);
        } catch (ParseException e) {
            return List.of();
        }
    }

    /** When the token was issued ({@code iat}, else {@code nbf}); empty when it has neither. */
    public Optional<java.time.Instant> issuedAt() {
        java.util.Date d = claims.getIssueTime() != null ? claims.getIssueTime() : claims.getNotBeforeTime();
        return Optional.ofNullable(d).map(java.util.Date::toInstant);
    }

    /** The raw claims, for the diagnosis. */
    public JWTClaimsSet claims() {
        return claims;
    }
}
