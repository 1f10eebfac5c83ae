package dev.consentry.server.diagnostics;

import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.explain.Step;
import dev.consentry.store.TraceChannel;
import dev.consentry.store.TraceEntry;
import dev.consentry.store.TraceStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * How recent requests were decided, on both channels: the STS handlers and Graph's front door record a
 * {@link Diagnosis} per request, and {@code GET /consentry/diagnostics/{id}} finds it by its request id, its STS trace
 * id or its correlation id.
 *
 * <p>Where: a refusal goes to the store's bounded {@link TraceStore}, so any node sharing the store can explain it; an
 * allowed request (a token issued, a Graph call served) stays in this node's memory ({@link LocalDiagnoses}), bounded
 * alike, as the value itself: it is serialised only if someone asks for it. Allowed requests are most of the traffic
 * and are rarely asked about; writing each to the database, or even rendering it as JSON, cost more than serving it
 * (see docs/performance.md), while the refusals people diagnose stay shared.
 *
 * <p>Guaranteed: recording never fails a request. A diagnosis too large to keep (a token holding every Graph
 * permission makes long step details) is kept with each text cut to {@value #CUT} characters: in memory when its
 * texts pass {@value #LONG} characters in all, in the store when its JSON passes {@link TraceEntry#MAX_BODY_BYTES}.
 */
public final class Traces {
    static final int CUT = 2_000;
    static final int LONG = TraceEntry.MAX_BODY_BYTES / 3;
    private final TraceStore shared;
    private final LocalDiagnoses local;
    private volatile Diagnosis latest;

    /** Refusals go to {@code shared}; allowed requests to a node-local store keeping the newest {@code capacity}. */
    public Traces(TraceStore shared, int capacity) {
        this.shared = shared;
        this.local = new LocalDiagnoses(capacity);
    }

    public void record(Diagnosis d) {
        latest = d;
        if (d.allowed()) {
            local.record(textLength(d) > LONG ? cut(d) : d);
            return;
        }
        String body = d.toJson();
        if (body.length() * 3L > TraceEntry.MAX_BODY_BYTES && body.getBytes(StandardCharsets.UTF_8).length > TraceEntry.MAX_BODY_BYTES) {
            body = cut(d).toJson();
        }
        shared.record(new TraceEntry(d.id(), d.traceId(), d.correlationId(),
                d.channel() == Diagnosis.Channel.STS ? TraceChannel.STS : TraceChannel.GRAPH, d.at(), body,
                d.clientId() == null || d.clientId().length() > TraceEntry.MAX_ID_LENGTH ? null : d.clientId()));
    }

    /** The decision this node recorded last, allowed or refused (for tests: the JUnit extension's control). */
    public Optional<Diagnosis> latest() {
        return Optional.ofNullable(latest);
    }

    /** The diagnosis whose request id, trace id or correlation id (newest first) is {@code id}. */
    public Optional<Diagnosis> find(String id) {
        if (id == null || id.isEmpty() || id.length() > TraceEntry.MAX_ID_LENGTH) {
            return Optional.empty();
        }
        return newest(local.byRequestId(id), shared.findByRequestId(id))
                .or(() -> newest(local.byTraceId(id), shared.findByTraceId(id)))
                .or(() -> newest(local.byCorrelationId(id), shared.findByCorrelationId(id).stream().findFirst()));
    }

    /**
     * The newest refusals of requests made by the app {@code clientId}, newest first, at most {@code limit} (and at most
     * {@link TraceStore#MAX_CORRELATED}): the store keeps every node's refusals.
     */
    public List<Diagnosis> recentFailures(String clientId, int limit) {
        return recentFailures(clientId == null ? List.of() : List.of(clientId), limit);
    }

    /** As {@link #recentFailures(String, int)}, of any of the apps {@code clientIds}: the newest first, at most {@code limit}. */
    public List<Diagnosis> recentFailures(List<String> clientIds, int limit) {
        List<TraceEntry> found = new java.util.ArrayList<>();
        for (String clientId : clientIds) {
            if (clientId != null && !clientId.isEmpty() && clientId.length() <= TraceEntry.MAX_ID_LENGTH) {
                found.addAll(shared.findByClientId(clientId, limit));
            }
        }
        return found.stream().sorted(java.util.Comparator.comparing(TraceEntry::at).reversed()).limit(Math.max(0, limit))
                .map(e -> Diagnosis.parse(e.body())).toList();
    }

    /**
     * The Graph calls of the app {@code clientId} still recorded: the allowed ones this node keeps in memory and the
     * newest refusals (at most {@link TraceStore#MAX_CORRELATED}) every node left in the store, each once.
     */
    public List<Diagnosis> graphCalls(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > TraceEntry.MAX_ID_LENGTH) {
            return List.of();
        }
        java.util.Map<String, Diagnosis> byId = new java.util.LinkedHashMap<>();
        for (Diagnosis d : local.byClientId(clientId)) {
            if (d.channel() == Diagnosis.Channel.GRAPH) {
                byId.put(d.id(), d);
            }
        }
        for (TraceEntry e : shared.findByClientId(clientId, TraceStore.MAX_CORRELATED)) {
            if (e.channel() == TraceChannel.GRAPH && !byId.containsKey(e.requestId())) {
                byId.put(e.requestId(), Diagnosis.parse(e.body()));
            }
        }
        return List.copyOf(byId.values());
    }

    /** The newer of a diagnosis kept here and one kept in the store. */
    private static Optional<Diagnosis> newest(Optional<Diagnosis> here, Optional<TraceEntry> stored) {
        if (here.isPresent() && (stored.isEmpty() || !here.get().at().isBefore(stored.get().at()))) {
            return here;
        }
        return stored.map(e -> Diagnosis.parse(e.body()));
    }

    private static long textLength(Diagnosis d) {
        long n = length(d.path()) + length(d.explanation()) + length(d.fix());
        for (Step s : d.steps()) {
            n += length(s.detail());
        }
        return n;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static Diagnosis cut(Diagnosis d) {
        List<Step> steps = d.steps().stream().map(s -> new Step(s.check(), s.outcome(), cut(s.detail()))).toList();
        return new Diagnosis(d.id(), d.channel(), d.traceId(), d.correlationId(), d.method(), cut(d.path()), d.at(),
                d.status(), d.allowed(), d.cause(), d.error(), cut(d.explanation()), cut(d.fix()), d.permission(), steps,
                d.leastPrivileged(), d.clientId(), cutValues(d.facts()), d.tenant());
    }

    private static java.util.Map<String, String> cutValues(java.util.Map<String, String> facts) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        facts.forEach((k, v) -> out.put(k, cut(v)));
        return out;
    }

    private static String cut(String s) {
        return s == null || s.length() <= CUT ? s : s.substring(0, CUT) + "...";
    }
}
