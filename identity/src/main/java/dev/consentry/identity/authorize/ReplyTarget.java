package dev.consentry.identity.authorize;

import java.util.Objects;

/**
 * Where and how an authorization response (or a redirectable error) is delivered: a redirect URI that
 * matched the registration, the response mode, and the client's {@code state} to echo (null when none).
 */
public record ReplyTarget(String redirectUri, ResponseMode mode, String state) {
    public ReplyTarget {
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(mode, "mode");
    }
}
