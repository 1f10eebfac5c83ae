package dev.consentry.core.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a sign-in proved, as the tokens it leads to state it: the authentication methods ({@code amr}, RFC 8176
 * names: {@code pwd}, {@code mfa}, ...), the authentication context class references satisfied ({@code acrs}), the
 * device it came from (null when none is known) and when the credentials were entered ({@code auth_time}).
 */
public record AuthContext(List<String> amr, List<String> acrs, String deviceId, Instant authTime) {
    public AuthContext {
        amr = List.copyOf(amr);
        acrs = List.copyOf(acrs);
        Objects.requireNonNull(authTime, "authTime");
    }

    /** A sign-in with a password only, at {@code at}. */
    public static AuthContext password(Instant at) {
        return new AuthContext(List.of("pwd"), List.of(), null, at);
    }
}
