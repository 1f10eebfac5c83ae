package dev.consentry.store.jdbc;

import dev.consentry.core.session.AuthContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * An {@link AuthContext} in four columns: {@code amr} and {@code acrs} (the values joined by single spaces, {@code ''}
 * for none), {@code device_id} and {@code auth_time} (epoch milliseconds). A null context is four nulls, and a row whose
 * {@code auth_time} is null reads as no context. {@link AuthContext} holds single words only, so the text reads back
 * equal to what was written.
 */
final class AuthColumns {
    private AuthColumns() {}

    static String amr(AuthContext auth) {
        return auth == null ? null : String.join(" ", auth.amr());
    }

    static String acrs(AuthContext auth) {
        return auth == null ? null : String.join(" ", auth.acrs());
    }

    static String deviceId(AuthContext auth) {
        return auth == null ? null : auth.deviceId();
    }

    static Long authTime(AuthContext auth) {
        return auth == null ? null : auth.authTime().toEpochMilli();
    }

    /** The context in the given columns of the current row; null when its {@code auth_time} is null. */
    static AuthContext read(ResultSet rs, int amr, int acrs, int deviceId, int authTime) throws SQLException {
        Instant at = Sql.instant(rs, authTime);
        return at == null ? null : new AuthContext(words(rs.getString(amr)), words(rs.getString(acrs)),
                rs.getString(deviceId), at);
    }

    private static List<String> words(String joined) {
        return joined == null || joined.isBlank() ? List.of() : Arrays.asList(joined.strip().split(" +"));
    }
}
