package dev.consentry.store;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one bounded home of "what was decided for this request", for both channels (STS and Graph), so that a request
 * can be explained later by its request id, its {@code trace_id} or its client's correlation id, on any node.
 *
 * <p>Guaranteed by every implementation (checked by {@code StoreContract}):
 * <ul>
 *   <li>bounded: it keeps at most the capacity it was built with (10,000 by default); beyond it the entries with the
 *       oldest {@link TraceEntry#at()} go, so memory and table size stay flat under any load;</li>
 *   <li>ids compare case-insensitively; a lookup returns the entry as it was recorded;</li>
 *   <li>{@link #record} is cheap enough for every request: it never waits for a database.</li>
 * </ul>
 *
 * <p><b>The one exception to the store's durability guarantee</b> ({@link Store}): a trace is written behind the
 * request. The JDBC store buffers recorded entries and writes them in batches from one background thread (about every
 * 200 ms, sooner under load), so a trace recorded just before a crash may be lost, other nodes on the same database
 * see a trace within about a second, and pruning to the capacity happens at those writes, not at each record. The
 * node that recorded an entry finds it at once. Closing the store writes what is still buffered.
 */
public interface TraceStore {

    /** The capacity of a store built without one. */
    int DEFAULT_CAPACITY = 10_000;

    /** The most entries {@link #findByCorrelationId} returns. */
    int MAX_CORRELATED = 100;

    /** The form an id is kept and looked up under: ids compare case-insensitively. */
    static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    /**
     * Keeps {@code entry}, replacing any entry with the same request id (case-insensitive). Never blocks on I/O; the
     * entry itself refuses a body over {@link TraceEntry#MAX_BODY_BYTES}.
     */
    void record(TraceEntry entry);

    /** The entry with that request id; empty when none is kept. */
    Optional<TraceEntry> findByRequestId(String requestId);

    /** The newest entry with that trace id; empty when none is kept. */
    Optional<TraceEntry> findByTraceId(String traceId);

    /** The entries with that correlation id, newest first, at most {@link #MAX_CORRELATED}; empty when none. */
    List<TraceEntry> findByCorrelationId(String correlationId);

    /**
     * The newest entries that name {@code clientId} (case-insensitive), newest first, at most {@code limit} (itself at
     * most {@link #MAX_CORRELATED}); empty when none.
     */
    List<TraceEntry> findByClientId(String clientId, int limit);
}
