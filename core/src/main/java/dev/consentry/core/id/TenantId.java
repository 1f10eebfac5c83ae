package dev.consentry.core.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A directory (tenant) id: the `tid` claim and the GUID in issuer URLs.
 *
 * <p>A typed wrapper so that ids of different kinds cannot be mixed up. Serialised as the lower-case
 * canonical GUID text.
 */
public record TenantId(UUID value) implements Comparable<TenantId> {
    public TenantId {
        Objects.requireNonNull(value, "value");
    }

    /** Parses a canonical GUID; throws {@link IllegalArgumentException} otherwise. */
    @JsonCreator
    public static TenantId of(String text) {
        return new TenantId(Guid.parse(text).orElseThrow(
                () -> new IllegalArgumentException("not a GUID: '" + text + "'")));
    }

    /** Parses a canonical GUID, or empty when {@code text} is null or not one. */
    public static Optional<TenantId> tryParse(String text) {
        return Guid.parse(text).map(TenantId::new);
    }

    /** A new random id. */
    public static TenantId random() {
        return new TenantId(UUID.randomUUID());
    }

    @JsonValue
    @Override
    public String toString() {
        return Guid.format(value);
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }
}
