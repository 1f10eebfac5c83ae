package dev.consentry.graph.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Graph's error shape and 401 challenge, as the Graph SDKs parse them (wire spec, sections 6.1 and 7.1). */
class GraphErrorTest {
    static final Instant DATE = Instant.parse("2026-12-01T12:34:56.789Z");

    @Test
    void bodyHasGraphsShapeAndDateFormat() throws Exception {
        GraphError e = new GraphError(Failure.of(Cause.TOKEN_EXPIRED, "problem", "exp 2026-12-01T10:00:00Z"), "req-1", "client-1",
                DATE, "https://localhost:8443");
        JsonNode body = new ObjectMapper().readTree(e.toJson());
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.path("error").path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(body.path("error").path("message").asText()).isEqualTo("Lifetime validation failed, the token is expired.");
        JsonNode inner = body.path("error").path("innerError");
        assertThat(inner.path("date").asText()).isEqualTo("2026-12-01T12:34:56");
        assertThat(inner.path("request-id").asText()).isEqualTo("req-1");
        assertThat(inner.path("client-request-id").asText()).isEqualTo("client-1");
        assertThat(inner.path("consentry-diagnosis").asText()).isEqualTo("https://localhost:8443/consentry/diagnosis/req-1");
        assertThat(new String(e.toJson())).as("the detail stays in the diagnosis").doesNotContain("2026-12-01T10:00:00Z");
        assertThat(e.status()).isEqualTo(401);
    }

    @Test
    void only401sCarryTheBearerChallenge() {
        GraphError unauthorized = new GraphError(Failure.of(Cause.TOKEN_MISSING), "r", "r", DATE, "https://localhost:8443");
        assertThat(unauthorized.wwwAuthenticate()).isEqualTo("Bearer realm=\"\", authorization_uri=\"https://localhost:8443"
                + "/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
        GraphError forbidden = new GraphError(Failure.of(Cause.WRONG_AUDIENCE, "audience", "x"), "r", "r", DATE, "https://h");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.wwwAuthenticate()).isNull();
    }

    @Test
    void underGraphTodayAWrongAudienceIsA401InvalidAuthenticationToken() throws Exception {
        Failure wrongAudience = Failure.of(Cause.WRONG_AUDIENCE, "audience", "api://orders");
        GraphError today = new GraphError(wrongAudience, dev.consentry.core.directory.ErrorProfile.GRAPH_TODAY, "r", "r", DATE,
                "https://h");
        assertThat(today.status()).isEqualTo(401);
        assertThat(today.wwwAuthenticate()).startsWith("Bearer ");
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode error = json.readTree(today.toJson(dev.consentry.graph.authz.Workload.EXCHANGE))
                .path("error");
        assertThat(error.path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(error.path("message").asText()).isEqualTo("Access token validation failure. Invalid audience.");
        GraphError expiredToday = new GraphError(Failure.of(Cause.PERMISSION_NOT_REQUESTED),
                dev.consentry.core.directory.ErrorProfile.GRAPH_TODAY, "r", "r", DATE, "https://h");
        assertThat(expiredToday.status()).as("only the audience differs between the profiles").isEqualTo(403);
    }

    @Test
    void accessDeniedTakesTheWorkloadsCode() throws Exception {
        GraphError denied = new GraphError(Failure.of(Cause.PERMISSION_NOT_REQUESTED), "r", "r", DATE, "https://h");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(denied.toJson(dev.consentry.graph.authz.Workload.EXCHANGE)).path("error").path("code").asText())
                .isEqualTo("ErrorAccessDenied");
        assertThat(json.readTree(denied.toJson(dev.consentry.graph.authz.Workload.FILES)).path("error").path("code").asText())
                .isEqualTo("accessDenied");
        GraphError expired = new GraphError(Failure.of(Cause.TOKEN_EXPIRED), "r", "r", DATE, "https://h");
        assertThat(json.readTree(expired.toJson(dev.consentry.graph.authz.Workload.EXCHANGE)).path("error").path("code").asText())
                .as("token problems keep their code").isEqualTo("InvalidAuthenticationToken");
        for (dev.consentry.graph.authz.Workload w : dev.consentry.graph.authz.Workload.values()) {
            assertThat(denied.code(w)).as("the code the log line shows, for " + w)
                    .isEqualTo(json.readTree(denied.toJson(w)).path("error").path("code").asText());
        }
    }

    @Test
    void stsCausesAreNotGraphErrors() {
        assertThatThrownBy(() -> new GraphError(Failure.of(Cause.PASSWORD_INVALID), "r", "r", DATE, "https://h"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
