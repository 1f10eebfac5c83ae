package dev.consentry.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} a test moves by hand, so that a boundary ("a code that expires exactly now is expired")
 * is reached without sleeping and without writing back-dated records into a store.
 *
 * <p>Two kinds: {@link #at(Instant)} stands still until the test sets or advances it; {@link #ticking()}
 * follows the system clock plus an offset the test changes, for a running server whose other tests need
 * time to pass as usual. Guaranteed: every method is safe to call from any thread (the state is one atomic
 * reference); a still clock reads the same instant until it is set or advanced.
 */
public final class MutableClock extends Clock {
    private final ZoneId zone;
    private final boolean ticking;
    /** The instant itself for a still clock, the offset from the system clock (as an instant after the epoch) for a ticking one. */
    private final AtomicReference<Instant> state;

    private MutableClock(ZoneId zone, boolean ticking, AtomicReference<Instant> state) {
        this.zone = zone;
        this.ticking = ticking;
        this.state = state;
    }

    /** A clock standing still at {@code instant}, in UTC. */
    public static MutableClock at(Instant instant) {
        return new MutableClock(ZoneOffset.UTC, false, new AtomicReference<>(Objects.requireNonNull(instant, "instant")));
    }

    /** A clock standing still at {@code iso} (for example {@code 2026-12-01T12:00:00Z}), in UTC. */
    public static MutableClock at(String iso) {
        return at(Instant.parse(iso));
    }

    /** A clock that follows the system clock, until a test advances or sets it (then it keeps ticking from there). */
    public static MutableClock ticking() {
        return new MutableClock(ZoneOffset.UTC, true, new AtomicReference<>(Instant.EPOCH));
    }

    @Override
    public Instant instant() {
        Instant s = state.get();
        return ticking ? Instant.now().plus(Duration.between(Instant.EPOCH, s)) : s;
    }

    /** Moves the clock to {@code instant}. */
    public void set(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        state.set(ticking ? Instant.EPOCH.plus(Duration.between(Instant.now(), instant)) : instant);
    }

    /** Moves the clock forward by {@code amount} (backward when it is negative); returns the new reading. */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        state.updateAndGet(s -> s.plus(amount));
        return instant();
    }

    /** Takes a ticking clock back to the system time (a still clock back to where it was made is the test's business). */
    public void reset() {
        if (!ticking) {
            throw new IllegalStateException("a still clock has no system time to return to; use set(...)");
        }
        state.set(Instant.EPOCH);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same clock (moving one moves the other) seen in another zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new MutableClock(zone, ticking, state);
    }

    @Override
    public String toString() {
        return "MutableClock[" + (ticking ? "ticking, " : "") + instant() + "]";
    }
}
