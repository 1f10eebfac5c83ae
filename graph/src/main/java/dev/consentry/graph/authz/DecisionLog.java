package dev.consentry.graph.authz;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The most recent decisions by request id, for {@code GET /consentry/diagnostics/{id}}: a fixed-size record,
 * so memory stays bounded however long Consentry runs; the oldest entry leaves when a new one comes.
 */
public final class DecisionLog {
    private final Map<String, Recorded> byId;

    /** One decision as it was answered. */
    public record Recorded(String requestId, String method, String path, Decision decision, int status, Instant at) {
        public Recorded {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(decision, "decision");
        }
    }

    public DecisionLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.byId = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void record(Recorded recorded) {
        byId.put(recorded.requestId(), recorded);
    }

    public synchronized Optional<Recorded> find(String requestId) {
        return Optional.ofNullable(byId.get(requestId));
    }

    /** Up to {@code limit} decisions, newest first. */
    public synchronized List<Recorded> newest(int limit) {
        List<Recorded> all = new ArrayList<>(byId.values());
        List<Recorded> out = new ArrayList<>(Math.min(limit, all.size()));
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            out.add(all.get(i));
        }
        return out;
    }
}
