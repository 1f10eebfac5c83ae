package dev.consentry.store.memory;

import dev.consentry.store.TraceEntry;
import dev.consentry.store.TraceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Traces in memory: a map by request id, bounded by an index in time order (the oldest goes first), with indexes by
 * trace, correlation and client id. Every operation is a few map updates under one short lock.
 */
final class MemoryTraces implements TraceStore {
    /** Oldest first; the request key breaks ties, so the order is total. */
    private static final Comparator<TraceEntry> OLDEST_FIRST = Comparator.comparing(TraceEntry::at)
            .thenComparing(e -> TraceStore.key(e.requestId()));

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, TraceEntry> byRequest = new HashMap<>();
    private final TreeSet<Age> byAge = new TreeSet<>();
    private final Map<String, Set<String>> byTrace = new HashMap<>();
    private final Map<String, Set<String>> byCorrelation = new HashMap<>();
    private final Map<String, Set<String>> byClient = new HashMap<>();

    /** An entry's place in time order, with its request key computed once. */
    private record Age(Instant at, String request) implements Comparable<Age> {
        static final Comparator<Age> ORDER = Comparator.comparing(Age::at).thenComparing(Age::request);

        @Override
        public int compareTo(Age other) {
            return ORDER.compare(this, other);
        }
    }

    /** An empty trace store that keeps the newest {@code capacity} entries. */
    MemoryTraces(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a trace store keeps at least one entry, not " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void record(TraceEntry entry) {
        String request = TraceStore.key(entry.requestId());
        lock.lock();
        try {
            TraceEntry old = byRequest.put(request, entry);
            if (old != null) {
                unindex(old, request);
            }
            byAge.add(new Age(entry.at(), request));
            index(byTrace, entry.traceId(), request);
            index(byCorrelation, entry.correlationId(), request);
            index(byClient, entry.clientId(), request);
            while (byRequest.size() > capacity) {
                String oldest = byAge.first().request();
                unindex(byRequest.remove(oldest), oldest);
            }
        } finally {
            lock.unlock();
        }
    }

    private void unindex(TraceEntry entry, String request) {
        byAge.remove(new Age(entry.at(), request));
        forget(byTrace, entry.traceId(), request);
        forget(byCorrelation, entry.correlationId(), request);
        forget(byClient, entry.clientId(), request);
    }

    private static void index(Map<String, Set<String>> index, String id, String request) {
        if (id != null) {
            index.computeIfAbsent(TraceStore.key(id), k -> new HashSet<>()).add(request);
        }
    }

    private static void forget(Map<String, Set<String>> index, String id, String request) {
        if (id != null) {
            index.computeIfPresent(TraceStore.key(id), (k, requests) -> requests.remove(request) && requests.isEmpty() ? null : requests);
        }
    }

    @Override
    public Optional<TraceEntry> findByRequestId(String requestId) {
        lock.lock();
        try {
            return Optional.ofNullable(byRequest.get(TraceStore.key(requestId)));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<TraceEntry> findByTraceId(String traceId) {
        return newest(byTrace, traceId, 1).stream().findFirst();
    }

    @Override
    public List<TraceEntry> findByCorrelationId(String correlationId) {
        return newest(byCorrelation, correlationId, MAX_CORRELATED);
    }

    @Override
    public List<TraceEntry> findByClientId(String clientId, int limit) {
        return newest(byClient, clientId, Math.max(0, Math.min(limit, MAX_CORRELATED)));
    }

    private List<TraceEntry> newest(Map<String, Set<String>> index, String id, int limit) {
        List<TraceEntry> found = new ArrayList<>();
        lock.lock();
        try {
            for (String request : index.getOrDefault(TraceStore.key(id), Set.of())) {
                found.add(byRequest.get(request));
            }
        } finally {
            lock.unlock();
        }
        found.sort(OLDEST_FIRST.reversed());
        return List.copyOf(found.subList(0, Math.min(limit, found.size())));
    }
}
