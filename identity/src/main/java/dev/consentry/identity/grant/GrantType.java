package dev.consentry.identity.grant;

import java.util.Optional;

/**
 * The {@code grant_type} values of the v2.0 token endpoint (wire spec, section 1.5), with whether
 * this version implements them.
 */
public enum GrantType {
    CLIENT_CREDENTIALS("client_credentials", true),
    AUTHORIZATION_CODE("authorization_code", false),
    REFRESH_TOKEN("refresh_token", false),
    PASSWORD("password", true),
    JWT_BEARER("urn:ietf:params:oauth:grant-type:jwt-bearer", false),
    DEVICE_CODE("urn:ietf:params:oauth:grant-type:device_code", false);

    private final String wireName;
    private final boolean implemented;

    GrantType(String wireName, boolean implemented) {
        this.wireName = wireName;
        this.implemented = implemented;
    }

    public String wireName() {
        return wireName;
    }

    public boolean implemented() {
        return implemented;
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
