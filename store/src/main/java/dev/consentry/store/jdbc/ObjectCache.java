package dev.consentry.store.jdbc;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Directory objects read by id, kept until they are written: only for a database that no other process writes
 * (the embedded H2 file, which H2 locks), where every write passes through this store. Graph reads the
 * signed-in user on every {@code /me}; this spares the query and the JSON parsing. PostgreSQL, shared by
 * several nodes, is read every time.
 *
 * <p>A read caches its value only if no write ended while it ran (writers count, then invalidate), so a value
 * read before a write committed never outlives the write. Bounded: at {@link #LIMIT} entries it starts empty, so
 * that a directory of any size costs the heap a few megabytes here (the launcher caps the heap at 112 MB).
 */
final class ObjectCache {
    static final int LIMIT = 10_000;
    private final ConcurrentHashMap<String, Optional<Object>> values = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    @SuppressWarnings("unchecked")
    <T> Optional<T> find(String key, Supplier<Optional<T>> read) {
        Optional<Object> hit = values.get(key);
        if (hit != null) {
            return (Optional<T>) hit;
        }
        long before = writes.get();
        Optional<T> value = read.get();
        if (values.size() >= LIMIT) {
            values.clear();
        }
        values.compute(key, (k, old) -> writes.get() == before ? (Optional<Object>) value : old);
        return value;
    }

    /** After a write of one object, committed or not. */
    void written(String key) {
        writes.incrementAndGet();
        values.remove(key);
    }

    /** After a write of a whole tenant, committed or not. */
    void writtenAll() {
        writes.incrementAndGet();
        values.clear();
    }
}
