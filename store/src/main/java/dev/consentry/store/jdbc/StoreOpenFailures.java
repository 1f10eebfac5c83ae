package dev.consentry.store.jdbc;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Why a database could not be opened, in one line that says what to do: the messages of {@code consentry} when the
 * embedded database is held by another process, or {@code --store} names no JDBC database, an unreachable one, or one
 * that refuses the credentials. The driver's own words follow when no known case fits.
 */
final class StoreOpenFailures {
    /** H2's "Database may be already in use" (the file lock of another process). */
    private static final int H2_DATABASE_IN_USE = 90020;

    private StoreOpenFailures() {}

    static String describe(Throwable failure, String url, String description) {
        SQLException sql = find(failure, SQLException.class);
        if (!url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return "the store '" + description + "' is not a JDBC URL; give one such as "
                    + "jdbc:postgresql://localhost:5432/consentry?user=consentry&password=...";
        }
        if (sql != null && sql.getErrorCode() == H2_DATABASE_IN_USE && url.startsWith("jdbc:h2:file:")) {
            return description + " is in use by another process (a 'consentry serve' on this data dir?); stop it, or "
                    + "run this command while it serves so it is asked instead, or choose another --data-dir";
        }
        String reason = firstLine(sql == null ? failure : sql);
        if (reason.toLowerCase(Locale.ROOT).contains("driver")) {
            return "no database driver accepts the store URL " + description + " (Consentry has H2 and PostgreSQL); "
                    + "give one such as jdbc:postgresql://localhost:5432/consentry?user=consentry&password=...";
        }
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        if (state.startsWith("28")) {
            return "the database refused the user name or password of " + description + " (" + firstLine(sql) + ")";
        }
        if (state.equals("3D000")) {
            return "the database of " + description + " does not exist; create it first (" + firstLine(sql) + ")";
        }
        if (state.startsWith("08") || find(failure, ConnectException.class) != null) {
            return "cannot reach the database of " + description + "; is it running, and are host and port right? ("
                    + reason + ")";
        }
        return "could not open the database " + description + ": " + reason;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
