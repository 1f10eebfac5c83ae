package dev.consentry.graph.wire;

import dev.consentry.core.builtin.WellKnown;
import java.util.Objects;

/**
 * The one renderer of the {@code WWW-Authenticate: Bearer} challenges Consentry sends for Graph and
 * {@code /oidc/userinfo} (RFC 6750, section 3; wire spec, section 7.1). Graph's own challenge names the realm, the
 * authorize endpoint and Graph's client id, with every value quoted; {@code error}, {@code error_description} and
 * {@code claims} are added when given.
 *
 * <p>Guaranteed: the value is always a valid header. A description filled in at run time (a client's own text can
 * end up in it) that is not RFC 6750's {@code error_description} charset (%x20-21 / %x23-5B / %x5D-7E) or longer than
 * {@value #MAX_DESCRIPTION} characters is replaced by a fixed description of the error code, as Spring Security's
 * {@code BearerTokenErrors} falls back to its default error; a {@code claims} value must be base64 (it always is).
 *
 * @param origin the origin the caller used, for {@code authorization_uri}
 */
public record BearerChallenge(String origin) {
    static final int MAX_DESCRIPTION = 300;

    public BearerChallenge {
        Objects.requireNonNull(origin, "origin");
    }

    /** The challenge of a 401 without an error code: no token, or Graph's plain refusal of a token. */
    public String plain() {
        return base().toString();
    }

    /**
     * The challenge with an RFC 6750 error code ({@code invalid_token}, {@code invalid_request},
     * {@code insufficient_claims}), a description (null for none) and a claims challenge (base64, or null).
     */
    public String withError(String error, String description, String claims) {
        Objects.requireNonNull(error, "error");
        StringBuilder b = base().append(", error=\"").append(error).append('"');
        if (description != null) {
            b.append(", error_description=\"").append(isHeaderSafe(description) ? description : fallback(error)).append('"');
        }
        if (claims != null) {
            if (!claims.matches("[A-Za-z0-9+/=_-]*")) {
                throw new IllegalArgumentException("a claims challenge is base64");
            }
            b.append(", claims=\"").append(claims).append('"');
        }
        return b.toString();
    }

    /**
     * Graph's claims challenge of continuous access evaluation, in the form of its answers of 2025 (wire spec, section
     * 7.1; github.com/microsoftgraph/msgraph-sdk-powershell/issues/3322): {@code error_description} (when
     * {@code errorDescription} is header-safe), then {@code error="insufficient_claims"} and {@code claims}, standard
     * base64 (with padding) of {@code claimsJson}. (A capture of 2022 spelled the description {@code errorDescription} and
     * put it last.)
     */
    public String claimsChallenge(String claimsJson, String errorDescription) {
        String claims = java.util.Base64.getEncoder().encodeToString(claimsJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder b = base();
        if (errorDescription != null && isHeaderSafe(errorDescription)) {
            b.append(", error_description=\"").append(errorDescription).append('"');
        }
        return b.append(", error=\"insufficient_claims\", claims=\"").append(claims).append('"').toString();
    }

    private StringBuilder base() {
        return new StringBuilder(160).append("Bearer realm=\"\", authorization_uri=\"").append(origin)
                .append("/common/oauth2/authorize\", client_id=\"").append(WellKnown.GRAPH_APP_ID).append('"');
    }

    /** True when {@code s} may stand in a quoted {@code error_description} as it is. */
    static boolean isHeaderSafe(String s) {
        if (s.length() > MAX_DESCRIPTION) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static String fallback(String error) {
        return switch (error) {
            case "invalid_token" -> "The access token is not valid.";
            case "invalid_request" -> "The request is not valid.";
            case "insufficient_claims" -> "The access token lacks claims this resource requires.";
            default -> "The request was refused.";
        };
    }
}
