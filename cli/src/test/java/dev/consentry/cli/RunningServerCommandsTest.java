package dev.consentry.cli;

import static dev.consentry.cli.CommandLineTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.DemoTenant;
import dev.consentry.server.Consentry;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.admin.ServerFile;
import dev.consentry.store.jdbc.JdbcStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against a data dir that a Consentry serves: they ask the server (found through {@code server.json}),
 * and the change is live at once: the next token reflects it, without a restart.
 */
class RunningServerCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static JdbcStore store;
    static Consentry consentry;
    static DemoTenant demo;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        store = JdbcStore.h2File(dir);
        demo = DemoTenant.create(Clock.systemUTC().instant(), new SecureRandom(), new SecretHasher(1_000));
        store.tenants().replace(demo.directory());
        consentry = Consentry.start(new ServerConfig("127.0.0.1", 0, Optional.empty(), Optional.of(dir), Clock.systemUTC()),
                store);
        http = trusting(consentry.caCertificate());
    }

    @AfterAll
    static void stop() {
        consentry.close();
        store.close();
    }

    @Test
    void theServerFileIsPrivateNamesThisServerAndGoesAtStop() throws Exception {
        Path file = dir.resolve(ServerFile.NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        ServerFile sf = ServerFile.read(dir).orElseThrow();
        assertThat(sf.baseUrl()).isEqualTo(consentry.baseUrl());
        assertThat(sf.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(sf.adminToken()).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void theCaIsNotRenewedUnderARunningServer() throws Exception {
        String before = Files.readString(dir.resolve("ca.pem"));
        CommandLineTest.Run refused = run("ca", "renew", "--data-dir", dir.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("serves " + dir + " with the current CA; stop it, renew, then start it again");
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(before);
    }

    @Test
    void theAdminApiRefusesACallerWithoutTheCredential() throws Exception {
        for (String token : new String[] {null, "Bearer not-the-token"}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(consentry.baseUrl() + "/consentry/admin/keys/rotate"))
                    .POST(HttpRequest.BodyPublishers.noBody());
            if (token != null) {
                b.header("Authorization", token);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("unauthorized");
        }
    }

    @Test
    void theAdminApiRefusesABodyItCannotUseWithA400AndChangesNothing() throws Exception {
        String credential = "Bearer " + ServerFile.read(dir).orElseThrow().adminToken();
        String before = JSON.readTree(run("tenant", "export", "--data-dir", dir.toString(), "--tenant",
                DemoTenant.TENANT.toString()).out()).toString();
        for (String[] pathBodyMessage : new String[][] {
                {"/consentry/admin/grants", "not json", "the grant request is not the JSON object expected"},
                {"/consentry/admin/grants", "null", "the grant request is not the JSON object expected"},
                {"/consentry/admin/grants", "{}", "a grant names an app and a permission"},
                {"/consentry/admin/grants", "{\"tenant\":\"contoso.onmicrosoft.com\",\"app\":\"Contoso Daemon\",\"permission\":\"Nope.Nope\"}",
                    "Microsoft Graph defines no permission Nope.Nope"},
                {"/consentry/admin/consents", "[1,2]", "the consent request is not the JSON object expected"},
                {"/consentry/admin/consents", "{\"tenant\":\"contoso.onmicrosoft.com\"}", "a consent names an app"},
                {"/consentry/admin/tenants", "{\"tenants\": 3}", "the tenant file was refused, nothing was imported"}}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(consentry.baseUrl() + pathBodyMessage[0]))
                    .header("Authorization", credential).POST(HttpRequest.BodyPublishers.ofString(pathBodyMessage[1])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(pathBodyMessage[1]).isIn(400, 404);
            assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).as(pathBodyMessage[1])
                    .startsWith(pathBodyMessage[2]);
        }
        assertThat(JSON.readTree(run("tenant", "export", "--data-dir", dir.toString(), "--tenant",
                DemoTenant.TENANT.toString()).out()).toString()).isEqualTo(before);
    }

    @Test
    void explainShowsTheRecordedDecisionOfARefusedAndOfAnAllowedCall() throws Exception {
        String token = token(DemoTenant.DAEMON.toString());
        HttpResponse<String> refused = graph(token, "/v1.0/applications/00000000-0000-0000-0000-000000000000/owners");
        String refusedId = refused.headers().firstValue("request-id").orElseThrow();
        CommandLineTest.Run why = run("explain", refusedId, "--data-dir", dir.toString());
        assertThat(why.exit()).as(why.err()).isEqualTo(1);
        assertThat(why.out()).contains("Recorded by Consentry: answered by Microsoft Graph")
                .contains("Refused: " + refused.statusCode()).contains("Why: ").contains("Fix: ").contains("NO  permission");

        HttpResponse<String> allowed = graph(token, "/v1.0/users");
        assertThat(allowed.statusCode()).isEqualTo(200);
        CommandLineTest.Run ok = run("explain", allowed.headers().firstValue("request-id").orElseThrow(), "--data-dir",
                dir.toString(), "--output", "json");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(JSON.readTree(ok.out()).path("decision").asText()).isEqualTo("allow");

        CommandLineTest.Run unknown = run("explain", "no-such-id", "--data-dir", dir.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no recorded decision has the id no-such-id");
    }

    @Test
    void aGrantThroughTheRunningServerIsInTheNextTokenAndGraphAllowsTheCall() throws Exception {
        String daemon = DemoTenant.DAEMON.toString();
        String before = token(daemon);
        assertThat(claims(before).path("roles").toString()).doesNotContain("Group.Read.All");
        assertThat(graph(before, "/v1.0/groups").statusCode()).isEqualTo(403);

        CommandLineTest.Run granted = run("grant", "--data-dir", dir.toString(), "--tenant", "contoso.onmicrosoft.com", "--app", daemon,
                "--permission", "Group.Read.All", "--type", "application");
        assertThat(granted.exit()).as(granted.err()).isZero();
        assertThat(granted.out()).startsWith("Granted Group.Read.All (application permission of Microsoft Graph, id ")
                .contains("added to its requiredResourceAccess and admin-consented");

        String after = token(daemon);
        assertThat(claims(after).path("roles").toString()).contains("Group.Read.All");
        assertThat(graph(after, "/v1.0/groups").statusCode()).isEqualTo(200);

        CommandLineTest.Run again = run("grant", "--data-dir", dir.toString(), "--tenant", "contoso.onmicrosoft.com", "--app", "Contoso Daemon",
                "--permission", "Group.Read.All", "--type", "application");
        assertThat(again.out()).contains("already holds Group.Read.All").contains("nothing changed");
    }

    @Test
    void aGrantThatCannotBeAppliedIsOneLineThatSaysWhy() {
        String daemon = DemoTenant.DAEMON.toString();
        CommandLineTest.Run typo = run("grant", "--data-dir", dir.toString(), "--tenant", "contoso.onmicrosoft.com", "--app", daemon, "--permission", "Group.Read.Al");
        assertThat(typo.exit()).isEqualTo(1);
        assertThat(typo.err().strip()).isEqualTo("consentry: Microsoft Graph defines no permission Group.Read.Al; "
                + "did you mean Group.Read.All?");
        CommandLineTest.Run both = run("grant", "--data-dir", dir.toString(), "--tenant", "contoso.onmicrosoft.com", "--app", daemon, "--permission", "User.Read.All");
        assertThat(both.exit()).isEqualTo(1);
        assertThat(both.err()).contains("is both an application and a delegated permission").contains("--type application");
        CommandLineTest.Run noApp = run("grant", "--data-dir", dir.toString(), "--tenant", "contoso.onmicrosoft.com", "--app", "Contoso Deamon",
                "--permission", "Group.Read.All", "--type", "application");
        assertThat(noApp.err()).contains("no application with client id or name Contoso Deamon")
                .contains("did you mean Contoso Daemon?");
        CommandLineTest.Run ownApi = run("grant", "--data-dir", dir.toString(), "--tenant", "contoso.onmicrosoft.com", "--app", "Contoso Web",
                "--resource", "Contoso API", "--permission", "access_as_user");
        assertThat(ownApi.exit()).as(ownApi.err()).isZero();
        assertThat(ownApi.out()).contains("access_as_user (delegated permission of Contoso API");
    }

    @Test
    void anImportThroughTheRunningServerIsServedAtOnce() throws Exception {
        String contoso = "7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01";
        JsonNode example = JSON.readTree(CommandLineTest.EXAMPLE.toFile());
        assertThat(example.path("tenants").get(0).path("id").asText()).isEqualTo(contoso);
        assertThat(discovery(contoso).statusCode()).isEqualTo(400);

        CommandLineTest.Run clash = run("tenant", "import", "--data-dir", dir.toString(), CommandLineTest.EXAMPLE.toString());
        assertThat(clash.exit()).isEqualTo(1);
        assertThat(clash.err().strip()).isEqualTo("consentry: the tenant file was refused, nothing was imported: the domain "
                + "contoso.onmicrosoft.com of tenant " + contoso + " already belongs to tenant " + DemoTenant.TENANT);

        Path fabrikam = dir.resolve("fabrikam.json");
        Files.writeString(fabrikam, Files.readString(CommandLineTest.EXAMPLE).replace("contoso", "fabrikam"));
        CommandLineTest.Run imported = run("tenant", "import", "--data-dir", dir.toString(), fabrikam.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.err()).contains("imported 1 tenant(s) into the Consentry at " + consentry.baseUrl());
        assertThat(discovery(contoso).statusCode()).isEqualTo(200);

        Path out = dir.resolve("export.json");
        CommandLineTest.Run exported = run("tenant", "export", "--data-dir", dir.toString(), "--tenant", contoso,
                "--out", out.toString());
        assertThat(exported.exit()).as(exported.err()).isZero();
        assertThat(JSON.readTree(out.toFile()).path("tenants").get(0).path("id").asText()).isEqualTo(contoso);

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"tenants\":[{\"id\":\"" + contoso + "\",\"users\":[{\"id\":\"nope\"}]}]}");
        CommandLineTest.Run refused = run("tenant", "import", "--data-dir", dir.toString(), bad.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("consentry: the tenant file was refused, nothing was imported:")
                .contains("$.tenants[0].users[0].id").doesNotContain("\n");
        assertThat(discovery(contoso).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyRotatedThroughTheRunningServerSignsTheNextToken() throws Exception {
        CommandLineTest.Run rotated = run("keys", "rotate", "--data-dir", dir.toString(), "--output", "json");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        String kid = JSON.readTree(rotated.out()).path("primaryKeyId").asText();
        String token = token(DemoTenant.DAEMON.toString());
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
        assertThat(header.path("kid").asText()).isEqualTo(kid);
        CommandLineTest.Run listed = run("keys", "list", "--data-dir", dir.toString());
        assertThat(listed.out().lines().findFirst().orElseThrow()).startsWith(kid + "  PRIMARY");
    }

    @Test
    void aDelegatedGrantJoinsTheClientsOneGrantForTheResource() throws Exception {
        CommandLineTest.Run granted = run("grant", "--data-dir", dir.toString(), "--tenant", "contoso.onmicrosoft.com", "--app",
                "Contoso Web", "--permission", "User.ReadBasic.All", "--type", "delegated");
        assertThat(granted.exit()).as(granted.err()).isZero();
        Path out = dir.resolve("after-delegated-grant.json");
        assertThat(run("tenant", "export", "--data-dir", dir.toString(), "--tenant", DemoTenant.TENANT.toString(), "--out",
                out.toString()).exit()).isZero();
        JsonNode tenant = JSON.readTree(out.toFile()).path("tenants").get(0);
        String webSp = null;
        for (JsonNode sp : tenant.path("servicePrincipals")) {
            if (sp.path("appId").asText().equals(DemoTenant.WEB_APP.toString())) {
                webSp = sp.path("id").asText();
            }
        }
        java.util.List<String> scopes = new java.util.ArrayList<>();
        for (JsonNode g : tenant.path("oauth2PermissionGrants")) {
            if (g.path("clientId").asText().equals(webSp) && g.path("consentType").asText().equals("AllPrincipals")
                    && g.path("scope").asText().contains("User.Read ")) {
                scopes.add(g.path("scope").asText());
            }
        }
        assertThat(scopes).containsExactly("User.Read openid profile offline_access User.ReadBasic.All");
    }

    @Test
    void revokingAdminConsentBringsBackTheNotConsented403AndGrantingItTheNextTokenThe200() throws Exception {
        String daemon = DemoTenant.DAEMON.toString();
        CommandLineTest.Run revoked = run("consent", "revoke", "--data-dir", dir.toString(), "--tenant",
                "contoso.onmicrosoft.com", "--app", daemon);
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.out()).startsWith("Admin consent revoked for Contoso Daemon")
                .contains("User.Read.All (application, Microsoft Graph)  revoked");

        String withoutConsent = token(daemon);
        assertThat(claims(withoutConsent).path("roles").toString()).doesNotContain("User.Read.All");
        HttpResponse<String> refused = graph(withoutConsent, "/v1.0/users");
        assertThat(refused.statusCode()).isEqualTo(403);
        String requestId = refused.headers().firstValue("request-id").orElseThrow();
        JsonNode diagnosis = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(consentry.baseUrl()
                + "/consentry/diagnostics/" + requestId)).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(diagnosis.path("cause").asText()).isEqualTo("permission-not-consented");

        CommandLineTest.Run granted = run("consent", "grant", "--data-dir", dir.toString(), "--tenant",
                "contoso.onmicrosoft.com", "--app", daemon, "--application");
        assertThat(granted.exit()).as(granted.err()).isZero();
        assertThat(granted.out()).contains("User.Read.All (application, Microsoft Graph)  granted");
        assertThat(graph(token(daemon), "/v1.0/users").statusCode()).isEqualTo(200);

        CommandLineTest.Run again = run("consent", "grant", "--data-dir", dir.toString(), "--tenant",
                "contoso.onmicrosoft.com", "--app", daemon);
        assertThat(again.out()).contains("User.Read.All (application, Microsoft Graph)  already granted")
                .doesNotContain("get a new one");
        CommandLineTest.Run none = run("consent", "grant", "--data-dir", dir.toString(), "--tenant",
                "contoso.onmicrosoft.com", "--app", daemon, "--delegated");
        assertThat(none.out()).contains("it requests no permission of the kinds asked for; nothing changed.");
        CommandLineTest.Run unknown = run("consent", "grant", "--data-dir", dir.toString(), "--tenant",
                "contoso.onmicrosoft.com", "--app", "Nobody");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("consentry: no application with client id or name Nobody");

        // Each change is in the tenant's audit log: who (the command line), what, and the values before and after.
        var log = store.audit().recent(DemoTenant.TENANT, 100);
        var removed = log.stream().filter(e -> e.activityDisplayName().equals("Remove app role assignment from service principal")
                && e.targetResources().get(0).modifiedProperties().stream()
                        .anyMatch(m -> "User.Read.All".equals(m.oldValue()))).findFirst().orElseThrow();
        var added = log.stream().filter(e -> e.activityDisplayName().equals("Add app role assignment to service principal")
                && e.targetResources().get(0).modifiedProperties().stream()
                        .anyMatch(m -> "User.Read.All".equals(m.newValue()))).findFirst().orElseThrow();
        assertThat(added.activityDateTime()).isAfterOrEqualTo(removed.activityDateTime());
        assertThat(log.indexOf(added)).as("newest first").isLessThan(log.indexOf(removed));
        assertThat(added.initiatedBy().kind()).isEqualTo("consentry");
        assertThat(added.targetResources().get(0).displayName()).isEqualTo("Contoso Daemon");
    }

    private static String token(String clientId) throws Exception {
        return PermissionsClientIdTest.token(http, consentry, demo, clientId);
    }

    private static JsonNode claims(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        return JSON.readTree(new ByteArrayInputStream(Base64.getUrlDecoder().decode(parts[1])));
    }

    private static HttpResponse<String> graph(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(consentry.baseUrl() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> discovery(String tenant) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(consentry.baseUrl() + "/" + tenant
                + "/v2.0/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpClient trusting(X509Certificate ca) throws Exception {
        return HttpClient.newBuilder().sslContext(dev.consentry.server.tls.TrustingClients.sslContext(ca)).build();
    }
}
