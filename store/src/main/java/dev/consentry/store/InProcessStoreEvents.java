package dev.consentry.store;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StoreEvents} within one process: listeners in a copy-on-write list (subscribing is rare, publishing is
 * frequent), called in subscription order on the publishing thread.
 */
final class InProcessStoreEvents implements StoreEvents {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessStoreEvents.class);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** One subscription; its identity, not the consumer's, is what closing removes. */
    private final class Listener implements Subscription {
        final Consumer<StoreEvent> consumer;

        Listener(Consumer<StoreEvent> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void close() {
            listeners.remove(this);
        }
    }

    @Override
    public Subscription subscribe(Consumer<StoreEvent> listener) {
        Listener subscription = new Listener(Objects.requireNonNull(listener, "listener"));
        listeners.add(subscription);
        return subscription;
    }

    @Override
    public void publish(StoreEvent event) {
        Objects.requireNonNull(event, "event");
        for (Listener listener : listeners) {
            try {
                listener.consumer.accept(event);
            } catch (RuntimeException e) {
                // a broken cache must not fail the write that already committed, nor starve the other listeners
                LOG.error("a store event listener failed on {}; the other listeners still get it", event, e);
            }
        }
    }
}
