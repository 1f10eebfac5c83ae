package dev.consentry.identity.protocol;

import java.util.Optional;

/** Reading an {@code Authorization: Bearer <token>} header (RFC 6750, section 2.1), the one parser of it. */
public final class Bearer {
    private static final String SCHEME = "Bearer ";

    private Bearer() {}

    /**
     * The token of the header: the scheme in any case, surrounding whitespace ignored; empty when the header is
     * absent, of another scheme, or carries no token.
     */
    public static Optional<String> token(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (h.length() < SCHEME.length() || !h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String token = h.substring(SCHEME.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /**
     * A token as a person pastes it: the token alone or a whole {@code Bearer <token>} value; surrounding whitespace
     * and the scheme (any case) are dropped. Empty text stays empty.
     */
    public static String pasted(String text) {
        return token(text).orElseGet(() -> text == null ? "" : text.strip());
    }
}
