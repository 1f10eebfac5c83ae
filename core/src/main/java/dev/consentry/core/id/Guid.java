package dev.consentry.core.id;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Parsing helpers for the GUIDs Microsoft uses as identifiers.
 *
 * <p>Guaranteed: {@link #parse(String)} accepts only the canonical 8-4-4-4-12 hexadecimal form
 * (any case, without braces), unlike {@link UUID#fromString(String)} which accepts shorter groups. It reads the
 * text once, without a pattern: Graph parses several ids per call.
 */
public final class Guid {
    private static final int LENGTH = 36;

    private Guid() {}

    /** Returns the GUID, or empty when {@code text} is null or not a canonical GUID. */
    public static Optional<UUID> parse(String text) {
        if (text == null || text.length() != LENGTH) {
            return Optional.empty();
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return Optional.empty();
                }
                continue;
            }
            int digit = Character.digit(c, 16);
            if (digit < 0 || c > 'f') { // Character.digit also reads non-ASCII digits
                return Optional.empty();
            }
            if (i < 19) {
                high = high << 4 | digit;
            } else {
                low = low << 4 | digit;
            }
        }
        return Optional.of(new UUID(high, low));
    }

    /** True when {@code text} is a canonical GUID. */
    public static boolean isGuid(String text) {
        return parse(text).isPresent();
    }

    /** The lower-case canonical text of a GUID, as Entra writes them. */
    public static String format(UUID id) {
        return id.toString().toLowerCase(Locale.ROOT);
    }
}
