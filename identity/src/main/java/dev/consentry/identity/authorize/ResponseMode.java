package dev.consentry.identity.authorize;

import java.util.Locale;
import java.util.Optional;

/**
 * How the authorization response travels to the redirect URI (OAuth 2.0 Multiple Response Type Encoding
 * Practices; OAuth 2.0 Form Post Response Mode): in the query, in the fragment, or as an auto-submitted
 * HTML form, which MSAL4J asks for.
 */
public enum ResponseMode {
    QUERY, FRAGMENT, FORM_POST;

    /** The constant's name in lower case, as OAuth spells the modes. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** The mode with that wire name, compared case-sensitively as Entra does; empty for any other. */
    public static Optional<ResponseMode> fromWire(String value) {
        for (ResponseMode m : values()) {
            if (m.wireName.equals(value)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName.toLowerCase(Locale.ROOT);
    }
}
