package dev.consentry.server.diagnostics;

import dev.consentry.core.explain.Diagnosis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The newest allowed requests this node answered, kept as {@link Diagnosis} values: the hot path of every served call,
 * so recording is one map update under a short lock, and nothing is serialised until someone asks.
 *
 * <p>Guaranteed: at most {@code capacity} entries; the one recorded longest ago goes first; a request id recorded
 * again replaces its entry. Ids compare case-insensitively. A lookup by request id is a map lookup; a lookup by trace
 * or correlation id walks the entries (these lookups come from a person asking, not from traffic).
 */
final class LocalDiagnoses {
    private static final Comparator<Diagnosis> NEWEST_FIRST = Comparator.comparing(Diagnosis::at).reversed();

    private final Map<String, Diagnosis> byRequest;

    LocalDiagnoses(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a trace store keeps at least one entry, not " + capacity);
        }
        this.byRequest = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Diagnosis> eldest) {
                return size() > capacity;
            }
        };
    }

    void record(Diagnosis d) {
        String key = key(d.id());
        synchronized (byRequest) {
            if (byRequest.put(key, d) != null) { // rare (ids are new per request): a replaced entry takes the newest place
                byRequest.remove(key);
                byRequest.put(key, d);
            }
        }
    }

    Optional<Diagnosis> byRequestId(String id) {
        synchronized (byRequest) {
            return Optional.ofNullable(byRequest.get(key(id)));
        }
    }

    Optional<Diagnosis> byTraceId(String id) {
        return newest(Diagnosis::traceId, id);
    }

    Optional<Diagnosis> byCorrelationId(String id) {
        return newest(Diagnosis::correlationId, id);
    }

    /** Every kept diagnosis of a request made by the app {@code clientId}, in no particular order. */
    List<Diagnosis> byClientId(String clientId) {
        List<Diagnosis> found = new ArrayList<>();
        synchronized (byRequest) {
            for (Diagnosis d : byRequest.values()) {
                if (clientId.equalsIgnoreCase(d.clientId())) {
                    found.add(d);
                }
            }
        }
        return found;
    }

    private Optional<Diagnosis> newest(Function<Diagnosis, String> idOf, String id) {
        List<Diagnosis> found = new ArrayList<>();
        synchronized (byRequest) {
            for (Diagnosis d : byRequest.values()) {
                if (id.equalsIgnoreCase(idOf.apply(d))) {
                    found.add(d);
                }
            }
        }
        return found.stream().min(NEWEST_FIRST);
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
