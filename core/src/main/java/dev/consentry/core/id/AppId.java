package dev.consentry.core.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An application (client) id: `appId` of an application and of its service principals, `client_id` on the wire.
 *
 * <p>A typed wrapper so that ids of different kinds cannot be mixed up. Serialised as the lower-case
 * canonical GUID text.
 */
public record AppId(UUID value) implements Comparable<AppId> {
    public AppId {
        Objects.requireNonNull(value, "value");
    }

    /** Parses a canonical GUID; throws {@link IllegalArgumentException} otherwise. */
    @JsonCreator
    public static AppId of(String text) {
        return new AppId(Guid.parse(text).orElseThrow(
                () -> new IllegalArgumentException("not a GUID: '" + text + "'")));
    }

    /** Parses a canonical GUID, or empty when {@code text} is null or not one. */
    public static Optional<AppId> tryParse(String text) {
        return Guid.parse(text).map(AppId::new);
    }

    /** A new random id. */
    public static AppId random() {
        return new AppId(UUID.randomUUID());
    }

    @JsonValue
    @Override
    public String toString() {
        return Guid.format(value);
    }

    @Override
    public int compareTo(AppId other) {
        return value.compareTo(other.value);
    }
}
