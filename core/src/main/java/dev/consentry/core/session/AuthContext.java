package dev.consentry.core.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a sign-in proved, as the tokens it leads to state it: the authentication methods ({@code amr}, RFC 8176
 * names: {@code pwd}, {@code mfa}, ...), the authentication context class references satisfied ({@code acrs}), the
 * device it came from (null when none is known) and when the credentials were entered ({@code auth_time}).
 *
 * <p>Guaranteed: both lists are immutable, in the order given, and hold only non-empty values without whitespace, so
 * a list written as its values joined by single spaces (as the stores keep it) reads back equal. {@code acrs} is
 * empty when no context class was asked for or satisfied. {@code authTime} is never null.
 */
public record AuthContext(List<String> amr, List<String> acrs, String deviceId, Instant authTime) {
    public AuthContext {
        amr = words("amr", amr);
        acrs = words("acrs", acrs);
        Objects.requireNonNull(authTime, "authTime");
    }

    /** A sign-in with a password only, at {@code at}. */
    public static AuthContext password(Instant at) {
        return new AuthContext(List.of("pwd"), List.of(), null, at);
    }

    /**
     * This context after a second factor proved at {@code at}: {@code amr} gains {@code mfa} (RFC 8176; Entra's tokens
     * after a password and an authenticator code hold {@code pwd} and {@code mfa}), and {@code authTime} becomes
     * {@code at}, when the user last authenticated. Already holding {@code mfa}, only the time changes.
     */
    public AuthContext withSecondFactor(Instant at) {
        List<String> methods = new java.util.ArrayList<>(amr);
        if (!methods.contains("mfa")) {
            methods.add("mfa");
        }
        return new AuthContext(methods, acrs, deviceId, at);
    }

    /** This context from the device {@code deviceId} (null for none); everything else unchanged. */
    public AuthContext withDevice(String deviceId) {
        return java.util.Objects.equals(deviceId, this.deviceId) ? this : new AuthContext(amr, acrs, deviceId, authTime);
    }

    /** True when the sign-in proved a second factor ({@code amr} holds {@code mfa}). */
    public boolean multiFactor() {
        return amr.contains("mfa");
    }

    private static List<String> words(String name, List<String> values) {
        List<String> copy = List.copyOf(Objects.requireNonNull(values, name));
        for (String v : copy) {
            if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(name + " values are single words; got '" + v + "'");
            }
        }
        return copy;
    }
}
