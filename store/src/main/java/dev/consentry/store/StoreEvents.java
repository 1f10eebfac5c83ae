package dev.consentry.store;

import java.util.function.Consumer;

/**
 * The store's change feed: the one place where caches learn that stored facts changed. The store publishes
 * {@link StoreEvent.DirectoryChanged} and {@link StoreEvent.SigningKeysChanged} itself, after each write that changed
 * something has committed (a write that fails, or changes nothing, announces nothing); callers publish what the store
 * cannot infer, such as {@link StoreEvent.UserSessionsRevoked}.
 *
 * <p>In process, delivery is synchronous, on the publishing thread, after the commit, to the listeners in the order
 * they subscribed. A listener that throws is logged and skipped: the write and the other listeners go on. Listeners
 * should therefore be quick (drop a cache entry, not rebuild it). An implementation that also carries events between
 * nodes (PostgreSQL LISTEN/NOTIFY) delivers other nodes' events the same way, on its own thread.
 */
public interface StoreEvents {

    /**
     * Calls {@code listener} with every event published from now on, until the returned subscription is closed. A
     * listener subscribed twice is called twice.
     */
    Subscription subscribe(Consumer<StoreEvent> listener);

    /** Delivers {@code event} to every current listener. */
    void publish(StoreEvent event);

    /** A listener's place in the feed; closing it (any number of times) stops delivery to it. */
    interface Subscription extends AutoCloseable {
        /**
         * Stops delivery: no publish that starts after this returns reaches the listener (one already under way on
         * another thread may still).
         */
        @Override
        void close();
    }

    /** A feed for one process, as both store implementations use today. */
    static StoreEvents inProcess() {
        return new InProcessStoreEvents();
    }
}
