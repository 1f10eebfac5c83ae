package dev.consentry.core.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The object id of a directory object (user, group, application, service principal...), `oid` in tokens.
 *
 * <p>A typed wrapper so that ids of different kinds cannot be mixed up. Serialised as the lower-case
 * canonical GUID text.
 */
public record ObjectId(UUID value) implements Comparable<ObjectId> {
    public ObjectId {
        Objects.requireNonNull(value, "value");
    }

    /** Parses a canonical GUID; throws {@link IllegalArgumentException} otherwise. */
    @JsonCreator
    public static ObjectId of(String text) {
        return new ObjectId(Guid.parse(text).orElseThrow(
                () -> new IllegalArgumentException("not a GUID: '" + text + "'")));
    }

    /** Parses a canonical GUID, or empty when {@code text} is null or not one. */
    public static Optional<ObjectId> tryParse(String text) {
        return Guid.parse(text).map(ObjectId::new);
    }

    /** A new random id. */
    public static ObjectId random() {
        return new ObjectId(UUID.randomUUID());
    }

    @JsonValue
    @Override
    public String toString() {
        return Guid.format(value);
    }

    @Override
    public int compareTo(ObjectId other) {
        return value.compareTo(other.value);
    }
}
