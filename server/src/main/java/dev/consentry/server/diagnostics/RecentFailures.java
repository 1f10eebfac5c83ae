package dev.consentry.server.diagnostics;

import dev.consentry.core.cause.Failure;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The most recent STS failures, by trace id, with their exact cause and facts: what the public error
 * body deliberately does not say. Bounded (oldest forgotten first), so memory stays flat under load.
 * The diagnosis API of a later slice reads it.
 */
public final class RecentFailures {
    private final int capacity;
    private final Map<String, Recorded> byTraceId;

    public RecentFailures(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.byTraceId = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
                return size() > RecentFailures.this.capacity;
            }
        };
    }

    public synchronized void record(String traceId, Failure failure, String method, String path, Instant at) {
        byTraceId.put(traceId, new Recorded(traceId, failure, method, path, at));
    }

    public synchronized Optional<Recorded> find(String traceId) {
        return Optional.ofNullable(byTraceId.get(traceId));
    }

    /** One recorded failure. */
    public record Recorded(String traceId, Failure failure, String method, String path, Instant at) {}
}
