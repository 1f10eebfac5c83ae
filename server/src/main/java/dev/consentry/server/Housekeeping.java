package dev.consentry.server;

import dev.consentry.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes spent sign-in state so the store does not grow without bound: authorization codes and device
 * authorizations are removed {@link #GRACE} after they expire (the grace keeps a late replay answered as a
 * replay, not as an unknown code). Runs every {@link #PERIOD} on one daemon thread; several nodes sharing a
 * store may all run it, as each deletion is idempotent.
 */
final class Housekeeping implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMinutes(10);
    static final Duration GRACE = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private final Store store;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    private Housekeeping(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consentry-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    static Housekeeping start(Store store, Clock clock) {
        Housekeeping h = new Housekeeping(store, clock);
        h.timer.scheduleWithFixedDelay(h::runSafely, PERIOD.toMinutes(), PERIOD.toMinutes(), TimeUnit.MINUTES);
        return h;
    }

    /** One pass at {@code now}; returns how many records it deleted. */
    int runOnce(Instant now) {
        Instant before = now.minus(GRACE);
        return store.authorizationCodes().deleteExpired(before) + store.deviceCodes().deleteExpired(before);
    }

    private void runSafely() {
        try {
            int deleted = runOnce(clock.instant());
            if (deleted > 0) {
                LOG.debug("housekeeping deleted {} expired codes", deleted);
            }
        } catch (RuntimeException e) {
            LOG.error("housekeeping failed; it runs again in {}", PERIOD, e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
