package dev.consentry.core.cause;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An instant as Entra writes one inside its AADSTS texts: UTC with seven fractional digits and {@code Z}
 * ({@code 2026-05-05T07:58:49.1784343Z}), as in AADSTS700024's "Current time", AADSTS70043's issue date and AADSTS50173's
 * grant and TokensValidFrom dates (captures quoted in the cause catalogue's sources).
 */
public final class EntraTime {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private EntraTime() {}

    public static String of(Instant t) {
        return FORMAT.format(t);
    }
}
