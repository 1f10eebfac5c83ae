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
}
