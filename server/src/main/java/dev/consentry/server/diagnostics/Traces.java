package dev.consentry.server.diagnostics;

import dev.consentry.core.explain.Diagnosis;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one record of how recent requests were decided, on both channels, written by the STS handlers and Graph's
 * front door and read by {@code GET /consentry/diagnostics/{id}}: a {@link Diagnosis} per request, found by its
 * request id, its STS trace id or its correlation id. Bounded (the oldest is forgotten first), so memory stays
 * flat under load.
 */
public final class Traces {
    private final int capacity;
    private final Map<String, Diagnosis> byId;
    private final Map<String, String> aliases;

    public Traces(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.byId = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Diagnosis> eldest) {
                return size() > Traces.this.capacity;
            }
        };
        // An alias may outlive its diagnosis (then it finds nothing); it never outnumbers the capacity.
        this.aliases = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > Traces.this.capacity;
            }
        };
    }

    public synchronized void record(Diagnosis d) {
        byId.put(d.id(), d);
        if (d.correlationId() != null && !d.correlationId().equals(d.id())) {
            aliases.put(d.correlationId(), d.id());
        }
    }

    /** The diagnosis whose request id, trace id or correlation id is {@code id}. */
    public synchronized Optional<Diagnosis> find(String id) {
        Diagnosis d = byId.get(id);
        if (d == null) {
            String alias = aliases.get(id);
            d = alias == null ? null : byId.get(alias);
        }
        return Optional.ofNullable(d);
    }
}
