package dev.consentry.server.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.explain.Step;
import dev.consentry.store.memory.InMemoryStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where a diagnosis is kept: a refusal in the shared store, which every node reads; an allowed request in this node's
 * memory only. Both are found through {@link Traces#find}, by request, trace or correlation id.
 */
class TracesTest {
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private final InMemoryStore shared = new InMemoryStore();
    private final Traces traces = new Traces(shared.traces(), 10);

    static Diagnosis allowed(String id, String traceId, String correlationId, Instant at) {
        return Diagnosis.allowed(id, Diagnosis.Channel.STS, traceId, correlationId, "POST", "/t/oauth2/v2.0/token", at, 200,
                null, List.of(Step.passed(Check.ISSUED, "an access token")), Map.of());
    }

    static Diagnosis refused(String id, String traceId, String correlationId, Instant at) {
        return Diagnosis.refused(id, Diagnosis.Channel.STS, traceId, correlationId, "POST", "/t/oauth2/v2.0/token", at, 401,
                Failure.of(Cause.CLIENT_SECRET_INVALID, "clientId", "c", "secretCount", "1", "hints", "abc"), List.of(), Map.of());
    }

    @Test
    void aRefusalIsSharedAndAnAllowedRequestStaysOnThisNode() {
        traces.record(refused("r1", "t1", "c1", T0));
        traces.record(allowed("r2", "t2", "c2", T0));

        assertThat(shared.traces().findByRequestId("r1")).as("a refusal, for every node").isPresent();
        assertThat(shared.traces().findByRequestId("r2")).as("an allowed request, for this node only").isEmpty();
        for (String id : List.of("r1", "t1", "c1")) {
            assertThat(traces.find(id)).as(id).map(Diagnosis::id).contains("r1");
        }
        for (String id : List.of("r2", "t2", "c2")) {
            assertThat(traces.find(id)).as(id).map(Diagnosis::id).contains("r2");
        }
    }

    @Test
    void aCorrelationIdNamesItsNewestRequestWhereverItIsKept() {
        traces.record(refused("r1", "t1", "op", T0));
        traces.record(allowed("r2", "t2", "op", T0.plusSeconds(1)));
        assertThat(traces.find("op")).map(Diagnosis::id).contains("r2");
        traces.record(refused("r3", "t3", "op", T0.plusSeconds(2)));
        assertThat(traces.find("op")).map(Diagnosis::id).contains("r3");
    }

    @Test
    void thisNodeKeepsTheNewestAllowedRequestsUpToItsCapacity() {
        for (int i = 0; i < 11; i++) {
            traces.record(allowed("R" + i, "T" + i, "C" + i, T0.plusSeconds(i)));
        }
        assertThat(traces.find("r0")).as("the oldest of eleven, with room for ten").isEmpty();
        assertThat(traces.find("t0")).isEmpty();
        assertThat(traces.find("r1")).map(Diagnosis::id).contains("R1");
        assertThat(traces.find("c10")).map(Diagnosis::id).contains("R10");
    }

    @Test
    void aRecordedAgainRequestIdReplacesItsEntryAndTakesTheNewestPlace() {
        traces.record(allowed("r0", "t-old", null, T0));
        for (int i = 1; i < 10; i++) {
            traces.record(allowed("r" + i, null, null, T0.plusSeconds(i)));
        }
        traces.record(allowed("R0", "t-new", null, T0.plusSeconds(10)));
        traces.record(allowed("r10", null, null, T0.plusSeconds(11)));
        assertThat(traces.find("r0")).map(Diagnosis::traceId).contains("t-new");
        assertThat(traces.find("t-old")).isEmpty();
        assertThat(traces.find("r1")).as("the oldest now").isEmpty();
    }

    @Test
    void anAllowedRequestWithHugeDetailsIsKeptWithEachTextCut() {
        String huge = "Mail.Read ".repeat(5_000);
        traces.record(Diagnosis.allowed("r1", Diagnosis.Channel.GRAPH, null, null, "GET", "/v1.0/me", T0, 200, "User.Read",
                List.of(Step.passed(Check.ISSUED, huge)), Map.of()));
        traces.record(Diagnosis.allowed("r2", Diagnosis.Channel.GRAPH, null, null, "GET", "/v1.0/me", T0, 200, "User.Read",
                List.of(Step.passed(Check.ISSUED, huge.substring(0, 5_000))), Map.of()));
        assertThat(traces.find("r1").orElseThrow().steps().get(0).detail()).hasSize(Traces.CUT + 3).endsWith("...");
        assertThat(traces.find("r2").orElseThrow().steps().get(0).detail()).as("long, not huge").hasSize(5_000);
    }
}
