package dev.consentry.core.id;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Parsing helpers for the GUIDs Microsoft uses as identifiers.
 *
 * <p>Guaranteed: {@link #parse(String)} accepts only the canonical 8-4-4-4-12 hexadecimal form
 * (any case, without braces), unlike {@link UUID#fromString(String)} which accepts shorter groups.
 */
public final class Guid {
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Guid() {}

    /** Returns the GUID, or empty when {@code text} is null or not a canonical GUID. */
    public static Optional<UUID> parse(String text) {
        if (text == null || text.length() != 36 || !CANONICAL.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
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
