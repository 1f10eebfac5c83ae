package dev.consentry.cli;

import static dev.consentry.cli.CommandLineTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.PathMatch;
import dev.consentry.core.permission.Scheme;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.DemoTenant;
import dev.consentry.server.Consentry;
import dev.consentry.server.ServerConfig;
import dev.consentry.store.jdbc.JdbcStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code consentry permissions least --client-id}: an app's Graph calls as Consentry recorded them, covered by the
 * least privileged permissions and compared with what its registration requests and the tenant granted; from the
 * running server (allowed calls too) and from the data dir alone (the refusals).
 */
class PermissionsClientIdTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRunningServersRecordOfAnAppsCallsGivesItsLeastPrivilegeAndWhatItHoldsInExcess(@TempDir Path dir) throws Exception {
        JdbcStore store = JdbcStore.h2File(dir);
        DemoTenant demo = DemoTenant.create(Clock.systemUTC().instant(), new SecureRandom(), new SecretHasher(1_000));
        store.tenants().replace(demo.directory());
        Consentry consentry = Consentry.start(new ServerConfig("127.0.0.1", 0, Optional.empty(), Optional.of(dir),
                Clock.systemUTC()), store);
        String daemon = DemoTenant.DAEMON.toString();
        try {
            HttpClient http = RunningServerCommandsTest.trusting(consentry.caCertificate());
            String token = token(http, consentry, demo, daemon);
            List<Integer> statuses = new ArrayList<>();
            for (String path : new String[] {"/v1.0/users", "/v1.0/users", "/v1.0/groups"}) {
                statuses.add(http.send(HttpRequest.newBuilder(URI.create(consentry.baseUrl() + path))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            assertThat(statuses).containsExactly(200, 200, 403);

            CommandLineTest.Run json = run("permissions", "least", "--client-id", "Contoso Daemon", "--data-dir",
                    dir.toString(), "--output", "json");
            assertThat(json.exit()).as(json.err() + json.out()).isZero();
            JsonNode root = JSON.readTree(json.out());
            assertThat(root.path("app").path("appId").asText()).isEqualTo(daemon);
            assertThat(root.path("app").path("includesAllowedCalls").asBoolean()).isTrue();
            JsonNode application = root.path("application");
            assertThat(application.path("calls").asInt()).isEqualTo(3);
            assertThat(root.path("delegated").path("calls").asInt()).isZero();
            String forGroups = coveringPermission(application, "/groups");
            assertThat(leastPrivileged("/v1.0/groups")).as("the data's least privileged").contains(forGroups);
            assertThat(names(application.path("neededNotRequested"))).as("the refused call's permission is not requested")
                    .contains(forGroups);
            String forUsers = coveringPermission(application, "/users");
            assertThat(leastPrivileged("/v1.0/users")).contains(forUsers);
            // The daemon requests and holds User.Read.All: excess exactly when a less privileged permission covers /users.
            List<String> excess = forUsers.equals("User.Read.All") ? List.of() : List.of("User.Read.All");
            assertThat(names(application.path("requestedNotNeeded"))).containsExactlyElementsOf(excess);
            assertThat(names(application.path("grantedNotNeeded"))).containsExactlyElementsOf(excess);

            CommandLineTest.Run text = run("permissions", "least", "--client-id", daemon, "--data-dir", dir.toString());
            assertThat(text.exit()).as(text.err()).isZero();
            assertThat(text.out()).startsWith("Contoso Daemon (" + daemon + ") in tenant " + DemoTenant.TENANT
                    + ": 3 recorded Graph calls, 1 refused.").contains("Application (3 calls): ")
                    .contains("  Needed and not requested by the registration: ").contains("Delegated: no calls.")
                    .doesNotContain("only the refusals");

            CommandLineTest.Run unknown = run("permissions", "least", "--client-id", "Contoso Deamon", "--data-dir", dir.toString());
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("no application with client id or name Contoso Deamon")
                    .contains("did you mean Contoso Daemon?");
        } finally {
            consentry.close();
            store.close();
        }

        CommandLineTest.Run stored = run("permissions", "least", "--client-id", daemon, "--data-dir", dir.toString(),
                "--output", "json");
        assertThat(stored.exit()).as(stored.err()).isZero();
        JsonNode root = JSON.readTree(stored.out());
        assertThat(root.path("app").path("includesAllowedCalls").asBoolean()).isFalse();
        assertThat(root.path("application").path("calls").asInt()).as("the stored refusal alone").isEqualTo(1);
        CommandLineTest.Run storedText = run("permissions", "least", "--client-id", daemon, "--data-dir", dir.toString());
        assertThat(storedText.out()).contains("1 recorded Graph calls, 1 refused.").contains("only the refusals it stored count");
    }

    @Test
    void aHarAndAClientIdTogetherAreAUsageError(@TempDir Path dir) {
        CommandLineTest.Run both = run("permissions", "least", "--client-id", "x", "--har", dir.resolve("a.har").toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        CommandLineTest.Run neither = run("permissions", "least");
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required argument");
    }

    private static List<String> leastPrivileged(String path) {
        PathMatch m = GraphPermissionCatalogue.builtin().match("GET", path, Scheme.APPLICATION);
        return ((PathMatch.Matched) m).leastPrivileged();
    }

    private static String coveringPermission(JsonNode side, String template) {
        for (JsonNode p : side.path("permissions")) {
            for (JsonNode c : p.path("calls")) {
                if (c.path("template").asText().equals(template)) {
                    return p.path("name").asText();
                }
            }
        }
        throw new AssertionError("no permission covers " + template + ": " + side);
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A client-credentials token for Graph of the demo app {@code clientId}, from {@code consentry}. */
    static String token(HttpClient http, Consentry consentry, DemoTenant demo, String clientId) throws Exception {
        String secret = demo.credentials().stream().filter(c -> c.id().equals(clientId)).findFirst().orElseThrow().secret();
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret="
                + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "&scope="
                + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(consentry.baseUrl() + "/" + DemoTenant.TENANT
                + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }
}
