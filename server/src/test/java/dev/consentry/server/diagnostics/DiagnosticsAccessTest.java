package dev.consentry.server.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may read {@code /consentry/diagnostics}: a decision shows directory facts, so only callers on this machine get
 * it, unless {@code serve --diagnostics-from-anywhere}. A caller behind a local proxy ({@code --trust-forwarded-for},
 * {@code X-Forwarded-For}) is the proxy's client, not this machine.
 */
class DiagnosticsAccessTest {
    @RegisterExtension
    static final RunningConsentry local = RunningConsentry.start(config(false));
    @RegisterExtension
    static final RunningConsentry open = RunningConsentry.start(config(true));
    private static final ObjectMapper JSON = new ObjectMapper();

    static ServerConfig config(boolean fromAnywhere) {
        return new ServerConfig("127.0.0.1", 0, Optional.empty(), Optional.empty(), Clock.systemUTC(), Optional.empty(), 100,
                Optional.empty(), true, fromAnywhere);
    }

    /** A refused Graph call's request id. */
    static String refusedCall(RunningConsentry server) {
        String token = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        HttpResponse<String> r = server.graph("GET", "/v1.0/groups/00000000-0000-0000-0000-000000000001/owners/$ref", token, null);
        return r.headers().firstValue("request-id").orElseThrow();
    }

    static HttpResponse<String> diagnosis(RunningConsentry server, String id, String forwardedFor) {
        return diagnosis(server, id, forwardedFor, null);
    }

    static HttpResponse<String> diagnosis(RunningConsentry server, String id, String forwardedFor, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/consentry/diagnostics/" + id)).GET();
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return server.send(b.build());
    }

    /** A Graph token of {@code upn} through the desktop app. */
    static String userToken(RunningConsentry server, String upn) {
        return server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), upn, TestTenant.ADELE_PASSWORD,
                java.util.Set.of("User.Read"));
    }

    @Test
    void anotherHostReadsADiagnosisWithTheTokenOfAUserWhoMayReadSignInLogsAndNotOtherwise() throws Exception {
        String id = refusedCall(local);
        HttpResponse<String> admin = diagnosis(local, id, "203.0.113.7", userToken(local, TestTenant.ADELE_UPN));
        assertThat(admin.statusCode()).as("a Global Administrator's token").isEqualTo(200);
        assertThat(JSON.readTree(admin.body()).path("id").asText()).isEqualTo(id);

        assertThat(diagnosis(local, id, "203.0.113.7", userToken(local, TestTenant.MEGAN_UPN)).statusCode())
                .as("a user without such a role").isEqualTo(403);
        String daemon = local.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        assertThat(diagnosis(local, id, "203.0.113.7", daemon).statusCode()).as("an app without AuditLog.Read.All")
                .isEqualTo(403);
        assertThat(diagnosis(local, id, "203.0.113.7", "not-a-token").statusCode()).isEqualTo(403);

        // A reader's token reads its own tenant's decisions only: a refusal at /common belongs to no tenant.
        HttpResponse<String> common = local.postForm("/common/oauth2/v2.0/token", "grant_type=client_credentials&client_id="
                + TestTenant.DAEMON + "&client_secret=x&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
        String commonId = JSON.readTree(common.body()).path("trace_id").asText();
        assertThat(diagnosis(local, commonId, null).statusCode()).as("this machine reads it").isEqualTo(200);
        assertThat(JSON.readTree(diagnosis(local, commonId, null).body()).path("tenant").asText()).isEqualTo("common");
        HttpResponse<String> notTheirs = diagnosis(local, commonId, "203.0.113.7", userToken(local, TestTenant.ADELE_UPN));
        assertThat(notTheirs.statusCode()).as("answered as an unknown id").isEqualTo(404);
        assertThat(JSON.readTree(admin.body()).path("tenant").asText()).isEqualTo(TestTenant.TENANT.toString());
        String adele = userToken(local, TestTenant.ADELE_UPN);
        assertThat(diagnosis(local, id, "203.0.113.7", adele.substring(0, adele.length() - 4) + "AAAA").statusCode())
                .as("a forged signature").isEqualTo(403);
    }

    @Test
    void aServerBoundBeyondLoopbackAsksEveryCallerForTheToken() throws Exception {
        try (RunningConsentry wide = RunningConsentry.start(new ServerConfig("0.0.0.0", 0,
                Optional.of(URI.create("https://localhost")), Optional.empty(), Clock.systemUTC(), Optional.empty(), 100,
                Optional.empty(), false, false))) {
            String id = refusedCall(wide);
            HttpResponse<String> local = diagnosis(wide, id, null);
            assertThat(local.statusCode()).as("even from this machine: a proxy here makes remote callers look local")
                    .isEqualTo(403);
            assertThat(diagnosis(wide, id, null, userToken(wide, TestTenant.ADELE_UPN)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void thisMachineReadsADiagnosisAndAnotherHostBehindTheLocalProxyIsRefused() throws Exception {
        String id = refusedCall(local);
        HttpResponse<String> mine = diagnosis(local, id, null);
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        assertThat(JSON.readTree(mine.body()).path("id").asText()).isEqualTo(id);
        assertThat(diagnosis(local, id, "127.0.0.1").statusCode()).as("a local client through the proxy").isEqualTo(200);

        HttpResponse<String> remote = diagnosis(local, id, "203.0.113.7");
        assertThat(remote.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(remote.body()).path("error").asText()).isEqualTo("forbidden");
        assertThat(remote.body()).contains("AuditLog.Read.All").contains("Security Reader").doesNotContain(id);
        assertThat(diagnosis(local, "unknown-id", "203.0.113.7").statusCode()).as("nor does it learn which ids exist")
                .isEqualTo(403);
    }

    @Test
    void anAppsRecentFailuresAreListedNewestFirstOnBothChannels() throws Exception {
        String graphFailure = refusedCall(local);
        HttpResponse<String> sts = local.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", "grant_type=client_credentials"
                + "&client_id=" + TestTenant.DAEMON + "&client_secret=wrong&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
        assertThat(sts.statusCode()).isEqualTo(401);
        String stsFailure = JSON.readTree(sts.body()).path("trace_id").asText();

        var listed = JSON.readTree(local.get("/consentry/diagnostics?client_id=" + TestTenant.DAEMON.toString().toUpperCase()
                + "&limit=2").body()).path("value");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).path("id").asText()).isEqualTo(stsFailure);
        assertThat(listed.get(0).path("channel").asText()).isEqualTo("sts");
        assertThat(listed.get(0).path("clientId").asText()).isEqualTo(TestTenant.DAEMON.toString());
        assertThat(listed.get(1).path("id").asText()).isEqualTo(graphFailure);
        assertThat(listed.get(1).path("decision").asText()).isEqualTo("deny");
        assertThat(JSON.readTree(local.get("/consentry/diagnostics?client_id=00000000-0000-0000-0000-00000000dead").body())
                .path("value")).isEmpty();

        for (String bad : new String[] {"", "?client_id=", "?client_id=x&limit=0", "?client_id=x&limit=101", "?client_id=x&limit=ten"}) {
            HttpResponse<String> r = local.get("/consentry/diagnostics" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("invalid_request");
        }
        assertThat(diagnosisList(local, "203.0.113.7").statusCode()).isEqualTo(403);
    }

    static HttpResponse<String> diagnosisList(RunningConsentry server, String forwardedFor) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/consentry/diagnostics?client_id="
                + TestTenant.DAEMON)).header("X-Forwarded-For", forwardedFor).GET().build());
    }

    @Test
    void theFlagServesThemToEveryCaller() {
        String id = refusedCall(open);
        HttpResponse<String> remote = diagnosis(open, id, "203.0.113.7");
        assertThat(remote.statusCode()).as(remote.body()).isEqualTo(200);
        assertThat(remote.body()).contains(id);
    }
}
