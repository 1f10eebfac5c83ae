package dev.consentry.identity.grant;

import java.util.Optional;

/**
 * The {@code grant_type} values of the v2.0 token endpoint (wire spec, section 1.5); which ones are
 * served is decided by the grants {@code TokenEndpoint} registers.
 */
public enum GrantType {
    CLIENT_CREDENTIALS("client_credentials"),
    AUTHORIZATION_CODE("authorization_code"),
    REFRESH_TOKEN("refresh_token"),
    PASSWORD("password"),
    JWT_BEARER("urn:ietf:params:oauth:grant-type:jwt-bearer"),
    DEVICE_CODE("urn:ietf:params:oauth:grant-type:device_code");

    private final String wireName;

    GrantType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The grant type with that wire name; MSAL4J's short {@code device_code} counts as the RFC 8628 one. */
    public static Optional<GrantType> fromWire(String value) {
        if ("device_code".equals(value)) {
            return Optional.of(DEVICE_CODE);
        }
        for (GrantType g : values()) {
            if (g.wireName.equals(value)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
