package dev.consentry.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.store.TraceChannel;
import dev.consentry.store.TraceEntry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traces written behind: another node on the same database sees them soon, and closing writes what is pending. */
class JdbcTracesTest {
    static final AtomicInteger databases = new AtomicInteger();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static TraceEntry trace(String requestId, Instant at) {
        return new TraceEntry(requestId, "trace-" + requestId, "shared", TraceChannel.STS, at, "{\"r\":\"" + requestId + "\"}");
    }

    /** Two stores on one database, as two nodes would be. */
    static String sharedDatabase() {
        return "jdbc:h2:mem:traces" + databases.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    static void eventually(Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void anotherNodeSeesATraceWithinAboutASecondExactlyAsRecorded() throws Exception {
        String url = sharedDatabase();
        try (JdbcStore a = JdbcStore.open(url, "sa", ""); JdbcStore b = JdbcStore.open(url, "sa", "")) {
            TraceEntry e = new TraceEntry("Req-1", "Trace-1", "Corr-1", TraceChannel.GRAPH,
                    Instant.parse("2026-01-01T00:00:00.123456Z"), "{\"why\":[\"token-present\"]}");
            a.traces().record(e);
            long start = System.nanoTime();
            eventually(() -> assertThat(b.traces().findByRequestId("req-1")).contains(e));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000); // "about a second", with room for a busy machine
            assertThat(b.traces().findByTraceId("TRACE-1")).contains(e);
            assertThat(b.traces().findByCorrelationId("corr-1")).containsExactly(e);
        }
    }

    @Test
    void theSharedTableIsPrunedToTheCapacityAtEachWrite() throws Exception {
        String url = sharedDatabase();
        try (JdbcStore a = JdbcStore.open(url, "sa", "", 5); JdbcStore b = JdbcStore.open(url, "sa", "", 5)) {
            for (int i = 0; i < 5; i++) {
                a.traces().record(trace("a" + i, T0.plusSeconds(i)));
            }
            eventually(() -> assertThat(b.traces().findByCorrelationId("shared")).hasSize(5));
            for (int i = 0; i < 3; i++) {
                b.traces().record(trace("b" + i, T0.plusSeconds(10 + i)));
            }
            eventually(() -> assertThat(a.traces().findByCorrelationId("shared")).extracting(TraceEntry::requestId)
                    .containsExactly("b2", "b1", "b0", "a4", "a3"));
        }
    }

    @Test
    void closingWritesThePendingTraces(@TempDir Path dir) {
        try (JdbcStore store = JdbcStore.h2File(dir)) {
            for (int i = 0; i < 10; i++) {
                store.traces().record(trace("r" + i, T0.plusSeconds(i)));
            }
        }
        try (JdbcStore reopened = JdbcStore.h2File(dir)) {
            assertThat(reopened.traces().findByCorrelationId("shared")).hasSize(10);
            assertThat(reopened.traces().findByRequestId("r0")).contains(trace("r0", T0));
        }
    }
}
