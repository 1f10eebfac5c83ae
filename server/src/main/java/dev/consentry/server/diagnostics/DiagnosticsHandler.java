package dev.consentry.server.diagnostics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.graph.authz.Decision;
import dev.consentry.graph.authz.DecisionLog;
import dev.consentry.graph.authz.Step;
import dev.consentry.server.Services;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /consentry/diagnostics/{request-id}}: the recorded decision of a Graph call as the product brief
 * (section 3) gives it: {@code id}, {@code decision}, {@code status}, {@code cause}, {@code steps},
 * {@code fix}, {@code leastPrivileged}; 404 with a JSON error when the id is unknown or no longer kept.
 *
 * <pre>curl --cacert .consentry/ca.pem https://localhost:8443/consentry/diagnostics/&lt;request-id&gt;</pre>
 */
public final class DiagnosticsHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Services services;

    public DiagnosticsHandler(Services services) {
        this.services = services;
    }

    public void get(Context ctx) {
        String id = ctx.pathParam("id");
        ctx.contentType("application/json").header("Cache-Control", "no-store");
        var found = services.decisions().find(id);
        if (found.isEmpty()) {
            ctx.status(404).result(write(Map.of("error", "not_found", "error_description",
                    "No recorded Graph decision has this request id (Consentry keeps the most recent ones).")));
            return;
        }
        ctx.status(200).result(write(render(found.get())));
    }

    static Map<String, Object> render(DecisionLog.Recorded r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.requestId());
        out.put("method", r.method());
        out.put("path", r.path());
        out.put("at", r.at().toString());
        Decision d = r.decision();
        out.put("decision", d instanceof Decision.Allow ? "allow" : "deny");
        out.put("status", r.status());
        if (d instanceof Decision.Deny deny) {
            out.put("cause", deny.failure().cause().slug());
            out.put("explanation", deny.failure().explanation());
            out.put("fix", deny.failure().fix());
        } else {
            out.put("cause", null);
            out.put("permission", ((Decision.Allow) d).permission());
            out.put("fix", null);
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step s : d.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("check", s.check());
            step.put("passed", s.passed());
            step.put("detail", s.detail());
            steps.add(step);
        }
        out.put("steps", steps);
        Map<String, Object> least = new LinkedHashMap<>();
        least.put("delegated", d.leastPrivileged().getOrDefault("DelegatedWork", List.of()));
        least.put("delegatedPersonal", d.leastPrivileged().getOrDefault("DelegatedPersonal", List.of()));
        least.put("application", d.leastPrivileged().getOrDefault("Application", List.of()));
        out.put("leastPrivileged", least);
        return out;
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of plain values always serialises", e);
        }
    }
}
