package dev.consentry.identity.token;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Who issued a token, as its {@code iss} and {@code tid} claims say, for explanations of tokens that were only decoded
 * (nothing here is verified). Microsoft Entra ID's issuers (Microsoft identity platform, "Access token claims
 * reference", {@code iss}): {@code https://sts.windows.net/{tid}/} for v1.0 tokens and
 * {@code https://login.microsoftonline.com/{tid}/v2.0} for v2.0 tokens, with the national clouds' hosts; an issuer of
 * the same shape on another host is Consentry's own (or another emulator's). Other identity providers are named when
 * their issuer is recognisable (Google's {@code https://accounts.google.com}; Keycloak's {@code /realms/{name}} path).
 *
 * @param description one phrase naming the issuer, for a diagnosis step
 */
public record TokenIssuer(Kind kind, String issuer, String description) {
    /** Personal Microsoft accounts' tenant (Microsoft identity platform, "ID token claims reference", {@code tid}). */
    public static final String PERSONAL_ACCOUNTS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    private static final Set<String> ENTRA_V1_HOSTS = Set.of("sts.windows.net", "sts.chinacloudapi.cn");
    private static final Set<String> ENTRA_V2_HOSTS = Set.of("login.microsoftonline.com", "login.microsoft.com",
            "login.windows.net", "login.microsoftonline.us", "login.partner.microsoftonline.cn", "login.chinacloudapi.cn");

    public enum Kind {
        /** Microsoft Entra ID, the v1.0 endpoint's issuer. */
        ENTRA_V1,
        /** Microsoft Entra ID, the v2.0 endpoint's issuer. */
        ENTRA_V2,
        /** Entra's issuer shape on a host that is not Microsoft's: Consentry itself, or another emulator. */
        ENTRA_SHAPED,
        GOOGLE,
        KEYCLOAK,
        OTHER
    }

    /** True when the issuer is Entra's (or in Entra's shape) for the tenant of personal Microsoft accounts. */
    public boolean personalAccount() {
        return entraShaped() && issuer.toLowerCase(Locale.ROOT).contains("/" + PERSONAL_ACCOUNTS_TENANT + "/");
    }

    /** True when Microsoft Graph could accept the token's issuer: Entra's, or an emulator's in Entra's shape. */
    public boolean entraShaped() {
        return kind == Kind.ENTRA_V1 || kind == Kind.ENTRA_V2 || kind == Kind.ENTRA_SHAPED;
    }

    /** The issuer of {@code claims}. */
    public static TokenIssuer of(JWTClaimsSet claims) {
        return of(claims.getIssuer(), TokenView.string(claims, "tid"));
    }

    /** The issuer named by an {@code iss} and a {@code tid} claim (either may be null). */
    public static TokenIssuer of(String iss, String tid) {
        if (iss == null || iss.isBlank()) {
            return new TokenIssuer(Kind.OTHER, "", "no issuer (the token has no iss claim)");
        }
        URI uri;
        try {
            uri = URI.create(iss);
        } catch (IllegalArgumentException e) {
            return new TokenIssuer(Kind.OTHER, iss, "an issuer that is not a URL (" + iss + ")");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String path = uri.getPath() == null ? "" : uri.getPath();
        boolean personal = PERSONAL_ACCOUNTS_TENANT.equalsIgnoreCase(tid);
        String whose = personal ? "personal Microsoft accounts" : "tenant " + tid;
        if (tid != null && "https".equals(uri.getScheme()) && path.equalsIgnoreCase("/" + tid + "/")) {
            return ENTRA_V1_HOSTS.contains(host)
                    ? new TokenIssuer(Kind.ENTRA_V1, iss, "Microsoft Entra ID (v1.0 issuer) for " + whose)
                    : new TokenIssuer(Kind.ENTRA_SHAPED, iss, "an issuer shaped as Entra's v1.0 one at " + host + " for " + whose);
        }
        if (tid != null && "https".equals(uri.getScheme()) && path.equalsIgnoreCase("/" + tid + "/v2.0")) {
            return ENTRA_V2_HOSTS.contains(host)
                    ? new TokenIssuer(Kind.ENTRA_V2, iss, "Microsoft Entra ID (v2.0 issuer) for " + whose)
                    : new TokenIssuer(Kind.ENTRA_SHAPED, iss, "an issuer shaped as Entra's v2.0 one at " + host + " for " + whose);
        }
        if (host.equals("accounts.google.com")) {
            return new TokenIssuer(Kind.GOOGLE, iss, "Google (" + iss + ")");
        }
        if (path.contains("/realms/")) {
            return new TokenIssuer(Kind.KEYCLOAK, iss, "a Keycloak realm (" + iss + ")");
        }
        if (ENTRA_V1_HOSTS.contains(host) || ENTRA_V2_HOSTS.contains(host)) {
            return new TokenIssuer(Kind.OTHER, iss, "a Microsoft issuer (" + iss + ") that names no tenant matching tid "
                    + tid);
        }
        return new TokenIssuer(Kind.OTHER, iss, "another identity provider (" + iss + ")");
    }
}
