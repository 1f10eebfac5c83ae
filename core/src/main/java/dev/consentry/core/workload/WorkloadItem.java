package dev.consentry.core.workload;

import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One item of a user's mail, calendar or files, kept as the Graph-shaped JSON object it is ({@code message},
 * {@code event}, {@code driveItem}), owned by one user.
 *
 * <p>Guaranteed: {@code body} holds {@code id} equal to {@link #id()}; {@code createdDateTime} orders a
 * user's items (newest first).
 */
public record WorkloadItem(ObjectId owner, Kind kind, String id, Instant createdDateTime, Map<String, Object> body) {
    public WorkloadItem {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdDateTime, "createdDateTime");
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put("id", id);
        body = java.util.Collections.unmodifiableMap(copy);
    }

    /** The kinds, with the user property that seeds them in a tenant file and the JSON property of their time. */
    public enum Kind {
        MESSAGE("messages", "receivedDateTime"),
        EVENT("events", "createdDateTime"),
        DRIVE_ITEM("driveItems", "createdDateTime");

        private final String userProperty;
        private final String timeProperty;

        Kind(String userProperty, String timeProperty) {
            this.userProperty = userProperty;
            this.timeProperty = timeProperty;
        }

        /** The property of a tenant file's user that lists this kind ({@code messages}, {@code events}, {@code driveItems}). */
        public String userProperty() {
            return userProperty;
        }
    }

    /**
     * The items a tenant file gives a user: the Graph objects under its {@code messages}, {@code events} and
     * {@code driveItems}. An object without an {@code id} gets one derived from the user and its position, so a
     * reload gives it the same id.
     *
     * @throws IllegalArgumentException naming the property path (such as {@code messages[2]}) of a value that is not
     *     an array of JSON objects, or of a time that is not ISO 8601
     */
    public static List<WorkloadItem> seedsOf(User user) {
        List<WorkloadItem> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            Object value = user.additionalProperties().get(kind.userProperty);
            if (value == null) {
                continue;
            }
            if (!(value instanceof List<?> list)) {
                throw new IllegalArgumentException(kind.userProperty + ": expected an array of " + kind.name().toLowerCase()
                        .replace("_i", "I") + " objects");
            }
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> raw)) {
                    throw new IllegalArgumentException(kind.userProperty + "[" + i + "]: expected a JSON object");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                raw.forEach((k, v) -> body.put(String.valueOf(k), v));
                String id = body.get("id") instanceof String s && !s.isBlank() ? s
                        : UUID.nameUUIDFromBytes((user.id() + "/" + kind.userProperty + "/" + i).getBytes(StandardCharsets.UTF_8))
                        .toString();
                Instant created = Instant.EPOCH.plusSeconds(i);
                Object time = body.get(kind.timeProperty);
                if (time != null) {
                    try {
                        created = Instant.parse(String.valueOf(time));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(kind.userProperty + "[" + i + "]." + kind.timeProperty
                                + ": expected an ISO 8601 time such as 2026-11-02T09:30:00Z", e);
                    }
                }
                out.add(new WorkloadItem(user.id(), kind, id, created, body));
            }
        }
        return out;
    }
}
