package dev.consentry.core.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Failure;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The explanation of one answered request, on either channel (product brief, section 3): what was asked, what was
 * answered, why (the cause, its explanation for the tenant's developer and the fix) and every step taken. The one
 * value that the diagnosis API renders today and the CLI and pages render later; it is kept in the trace store as
 * the JSON of {@link #toJson()} and read back with {@link #parse(String)}, which round-trip.
 *
 * <p>JSON shape (stable; fields may be added, never renamed):
 * {@code {"id","channel","traceId","correlationId","method","path","at","status","decision","cause","error",
 * "explanation","fix","permission","steps":[{"check","outcome","passed","detail"}],
 * "leastPrivileged":{"delegated":[],"delegatedPersonal":[],"application":[]},"clientId","facts":{}}}.
 *
 * @param id the request id ({@code request-id} of Graph, {@code x-ms-request-id}/{@code trace_id} of the STS)
 * @param traceId the STS {@code trace_id}, or null
 * @param correlationId the caller's correlation id ({@code client-request-id}), or null
 * @param cause the refusal's cause slug; null for an allowed call
 * @param error the wire code of the refusal ({@code invalid_grant}, {@code Authorization_RequestDenied}); null when allowed
 * @param explanation the filled explanation; null when allowed
 * @param fix the filled fix; null when allowed
 * @param permission the permission that allowed a Graph call; null otherwise
 * @param leastPrivileged the least privileged permissions per scheme name ({@code DelegatedWork},
 *     {@code DelegatedPersonal}, {@code Application}); empty when not applicable
 * @param clientId the app that made the request, as it named itself ({@code client_id}) or as its token names it
 *     ({@code appid}/{@code azp}); null when unknown
 * @param facts the refusal's named facts, the values its explanation and fix were filled from ({@code first},
 *     {@code type} and {@code command} of a missing permission, {@code needed} of a missing role), so that a script
 *     can apply the fix without reading prose; empty when allowed. Facts never hold a secret ({@link Failure}).
 */
public record Diagnosis(String id, Channel channel, String traceId, String correlationId, String method, String path,
                        Instant at, int status, boolean allowed, String cause, String error, String explanation, String fix,
                        String permission, List<Step> steps, Map<String, List<String>> leastPrivileged, String clientId,
                        Map<String, String> facts, String tenant) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the request was answered. */
    public enum Channel {
        STS,
        GRAPH;

        /** The constant's name in lower case. */
        private final String wireName = name().toLowerCase(Locale.ROOT);

        public String wireName() {
            return wireName;
        }

        static Channel fromWire(String s) {
            for (Channel c : values()) {
                if (c.wireName.equals(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown channel '" + s + "'");
        }
    }

    public Diagnosis {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(at, "at");
        steps = List.copyOf(steps);
        leastPrivileged = Map.copyOf(leastPrivileged);
        facts = facts == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /**
     * A refusal with {@code failure}, its steps and (for Graph) the least privileged permissions. The last step is
     * always a failed one: when the steps end without it (a refusal found before any check recorded itself), the
     * failure's own step ({@link Steps#failedWith}) is added.
     */
    public static Diagnosis refused(String id, Channel channel, String traceId, String correlationId, String method,
                                    String path, Instant at, int status, Failure failure, List<Step> steps,
                                    Map<String, List<String>> leastPrivileged) {
        List<Step> taken = steps.isEmpty() || !steps.get(steps.size() - 1).failed()
                ? new Steps().addAll(steps).failedWith(failure).toList() : steps;
        return new Diagnosis(id, channel, traceId, correlationId, method, path, at, status, false,
                failure.cause().slug(), failure.cause().error(), failure.explanation(), failure.fix(), null, taken,
                leastPrivileged, null, failure.facts(), null);
    }

    /** An allowed call or an issued token; {@code permission} is null on the STS. */
    public static Diagnosis allowed(String id, Channel channel, String traceId, String correlationId, String method,
                                    String path, Instant at, int status, String permission, List<Step> steps,
                                    Map<String, List<String>> leastPrivileged) {
        return new Diagnosis(id, channel, traceId, correlationId, method, path, at, status, true, null, null, null,
                null, permission, steps, leastPrivileged, null, Map.of(), null);
    }

    /** This diagnosis, naming the app that made the request ({@code client_id} of the STS, the token's app at Graph). */
    public Diagnosis withClientId(String client) {
        return new Diagnosis(id, channel, traceId, correlationId, method, path, at, status, allowed, cause, error,
                explanation, fix, permission, steps, leastPrivileged, client, facts, tenant);
    }

    /**
     * This diagnosis, naming the tenant it belongs to: the token's tenant id at Graph, the authority's tenant (an id, a
     * verified domain, or {@code common}) at the STS. A reader with a token reads only its own tenant's decisions.
     */
    public Diagnosis withTenant(String tenant) {
        return new Diagnosis(id, channel, traceId, correlationId, method, path, at, status, allowed, cause, error,
                explanation, fix, permission, steps, leastPrivileged, clientId, facts, tenant);
    }

    /**
     * This diagnosis with {@code more} facts beside its own: what the data layer refused in an allowed call (the
     * path of a body's property and the type it needs), which Graph's wire text may not name.
     */
    public Diagnosis withFacts(Map<String, String> more) {
        if (more.isEmpty()) {
            return this; // every Graph call passes its refusal's facts, most of them none: no copy
        }
        Map<String, String> all = new LinkedHashMap<>(facts);
        all.putAll(more);
        return new Diagnosis(id, channel, traceId, correlationId, method, path, at, status, allowed, cause, error,
                explanation, fix, permission, steps, leastPrivileged, clientId, all, tenant);
    }

    /** The failed step, if any. */
    public Optional<Step> failedStep() {
        return steps.stream().filter(Step::failed).findFirst();
    }

    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("channel", channel.wireName());
        out.put("traceId", traceId);
        out.put("correlationId", correlationId);
        out.put("method", method);
        out.put("path", path);
        out.put("at", at.toString());
        out.put("status", status);
        out.put("decision", allowed ? "allow" : "deny");
        out.put("cause", cause);
        out.put("error", error);
        out.put("explanation", explanation);
        out.put("fix", fix);
        out.put("permission", permission);
        List<Map<String, Object>> list = new ArrayList<>(steps.size());
        for (Step s : steps) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("check", s.check().wireName());
            step.put("outcome", s.outcome().wireName());
            step.put("passed", s.passed());
            step.put("detail", s.detail());
            list.add(step);
        }
        out.put("steps", list);
        Map<String, Object> least = new LinkedHashMap<>();
        least.put("delegated", leastPrivileged.getOrDefault("DelegatedWork", List.of()));
        least.put("delegatedPersonal", leastPrivileged.getOrDefault("DelegatedPersonal", List.of()));
        least.put("application", leastPrivileged.getOrDefault("Application", List.of()));
        out.put("leastPrivileged", least);
        out.put("clientId", clientId);
        out.put("tenant", tenant);
        out.put("facts", facts);
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of plain values always serialises", e);
        }
    }

    /** Reads what {@link #toJson()} wrote; refuses anything else with IllegalArgumentException. */
    public static Diagnosis parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            List<Step> steps = new ArrayList<>();
            for (JsonNode s : n.path("steps")) {
                Check check = Check.fromWire(s.path("check").asText())
                        .orElseThrow(() -> new IllegalArgumentException("unknown check " + s.path("check")));
                Outcome outcome = Outcome.valueOf(s.path("outcome").asText().toUpperCase(java.util.Locale.ROOT));
                steps.add(new Step(check, outcome, s.path("detail").asText()));
            }
            Map<String, List<String>> least = new LinkedHashMap<>();
            JsonNode l = n.path("leastPrivileged");
            putList(least, "DelegatedWork", l.path("delegated"));
            putList(least, "DelegatedPersonal", l.path("delegatedPersonal"));
            putList(least, "Application", l.path("application"));
            return new Diagnosis(n.path("id").asText(), Channel.fromWire(n.path("channel").asText()), text(n, "traceId"),
                    text(n, "correlationId"), text(n, "method"), text(n, "path"), Instant.parse(n.path("at").asText()),
                    n.path("status").asInt(), "allow".equals(n.path("decision").asText()), text(n, "cause"),
                    text(n, "error"), text(n, "explanation"), text(n, "fix"), text(n, "permission"), steps, least,
                    text(n, "clientId"), facts(n.path("facts")), text(n, "tenant"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a recorded diagnosis: " + e.getMessage(), e);
        }
    }

    private static void putList(Map<String, List<String>> out, String scheme, JsonNode array) {
        if (array.isArray() && !array.isEmpty()) {
            List<String> values = new ArrayList<>();
            array.forEach(v -> values.add(v.asText()));
            out.put(scheme, values);
        }
    }

    private static Map<String, String> facts(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
