package dev.consentry.cli;

import static dev.consentry.cli.CommandLineTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.cli.CommandLineTest.Run;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.PathMatch;
import dev.consentry.core.permission.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code consentry permissions least --har FILE}, run in-process on a recording the test writes: delegated calls with
 * a token that holds more than they need, app-only calls, calls without a token, token endpoint entries and one route
 * Graph does not have.
 */
class PermissionsHarTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRAPH = "https://graph.microsoft.com";
    private static String delegated;
    private static String appOnly;

    @BeforeAll
    static void mintTokens() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("test").generate();
        delegated = sign(key, new JWTClaimsSet.Builder().claim("scp",
                "openid profile User.Read User.ReadWrite Mail.ReadWrite Mail.Send Calendars.ReadWrite Files.Read "
                + "User.ReadBasic.All GroupMember.Read.All Directory.ReadWrite.All").build());
        appOnly = sign(key, new JWTClaimsSet.Builder().claim("idtyp", "app").claim("roles", List.of(
                "User.ReadWrite.All", "Group.ReadWrite.All", "Application.ReadWrite.All", "Mail.Send", "Mail.Read",
                "Files.ReadWrite.All", "Sites.FullControl.All")).build());
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** The recording: method, URL and token (null: none) of each entry, in order. */
    static List<String[]> calls() {
        String user = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
        String group = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
        String app = "8c5a7e0c-1c5e-4a5b-9e7c-0f9f2d7b6d11";
        String d = delegated;
        String a = appOnly;
        List<String[]> c = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            c.add(new String[] {"GET", GRAPH + "/v1.0/me", d});
        }
        c.add(new String[] {"GET", GRAPH + "/v1.0/me/messages?$top=10", d});
        c.add(new String[] {"GET", GRAPH + "/v1.0/me/messages/AAMkAGI2", d});
        c.add(new String[] {"PATCH", GRAPH + "/v1.0/me/messages/AAMkAGI2", d});
        c.add(new String[] {"POST", GRAPH + "/v1.0/me/sendMail", d});
        c.add(new String[] {"GET", GRAPH + "/v1.0/me/events", d});
        c.add(new String[] {"POST", GRAPH + "/v1.0/me/events", d});
        c.add(new String[] {"DELETE", GRAPH + "/v1.0/me/events/AAMkAGE1", d});
        c.add(new String[] {"GET", GRAPH + "/beta/me/calendars", d});
        c.add(new String[] {"GET", GRAPH + "/v1.0/me/drive/root/children", d});
        c.add(new String[] {"GET", GRAPH + "/v1.0/users/" + user + "?$select=displayName", d});
        c.add(new String[] {"GET", GRAPH + "/v1.0/groups/" + group + "/members", d});
        c.add(new String[] {"GET", GRAPH + "/v1.0/users", a});
        c.add(new String[] {"GET", GRAPH + "/v1.0/me", a});
        c.add(new String[] {"PATCH", GRAPH + "/v1.0/users/" + user, a});
        c.add(new String[] {"GET", GRAPH + "/v1.0/groups", a});
        c.add(new String[] {"POST", GRAPH + "/v1.0/groups", a});
        c.add(new String[] {"DELETE", GRAPH + "/v1.0/groups/" + group, a});
        c.add(new String[] {"POST", GRAPH + "/v1.0/groups/" + group + "/members/$ref", a});
        c.add(new String[] {"GET", GRAPH + "/v1.0/applications", a});
        c.add(new String[] {"POST", GRAPH + "/v1.0/applications", a});
        c.add(new String[] {"PATCH", GRAPH + "/v1.0/applications/" + app, a});
        c.add(new String[] {"GET", GRAPH + "/v1.0/users/" + user + "/messages", a});
        c.add(new String[] {"POST", GRAPH + "/v1.0/users/" + user + "/sendMail", a});
        c.add(new String[] {"GET", GRAPH + "/v1.0/users/" + user + "/drive/root/children", a});
        c.add(new String[] {"GET", "http://localhost:8080/v1.0/organization", null});
        c.add(new String[] {"GET", "http://localhost:8080/beta/users/" + user + "/calendar/events", null});
        c.add(new String[] {"GET", GRAPH + "/v1.0/me/noSuchThing/42", d});
        c.add(new String[] {"POST", "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", null});
        c.add(new String[] {"GET", "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration", null});
        c.add(new String[] {"POST", "http://localhost:8080/contoso.onmicrosoft.com/oauth2/v2.0/token", null});
        c.add(new String[] {"GET", "https://api.contoso.example/orders/7", d});
        return c;
    }

    static ObjectNode entry(String method, String url, String token) {
        ObjectNode e = JSON.createObjectNode();
        e.put("startedDateTime", "2026-12-06T10:00:00.000Z");
        ObjectNode request = e.putObject("request");
        request.put("method", method).put("url", url).put("httpVersion", "HTTP/1.1");
        ArrayNode headers = request.putArray("headers");
        headers.addObject().put("name", "Accept").put("value", "application/json");
        if (token != null) {
            headers.addObject().put("name", "Authorization").put("value", "Bearer " + token);
        }
        e.putObject("response").put("status", 200).putArray("headers");
        return e;
    }

    /** Writes a HAR of {@code count} entries, cycling through {@link #calls()}, one entry at a time. */
    static void write(Path file, int count) throws Exception {
        List<String[]> calls = calls();
        try (JsonGenerator g = JSON.getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("log");
            g.writeStringField("version", "1.2");
            g.writeObjectFieldStart("creator");
            g.writeStringField("name", "PermissionsHarTest");
            g.writeStringField("version", "1");
            g.writeEndObject();
            g.writeArrayFieldStart("entries");
            for (int i = 0; i < count; i++) {
                String[] c = calls.get(i % calls.size());
                g.writeTree(entry(c[0], c[1], c[2]));
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static Path recording(Path dir) throws Exception {
        Path har = dir.resolve("calls.har");
        write(har, calls().size());
        return har;
    }

    @Test
    void textGroupsTheLeastPermissionsPerSchemeWithTheCallsTheyAreFor(@TempDir Path dir) throws Exception {
        Run r = run("permissions", "least", "--har", recording(dir).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("34 entries: 30 Graph calls (2 without a readable token, counted in both schemes), "
                        + "4 skipped (not Graph).")
                .contains("Delegated (16 calls): 6 permissions cover them\n")
                .contains("  User.Read\n    GET  /me  (3 calls)\n    GET  /organization\n    GET  /users/{id}\n")
                .contains("  Held and needed by no call: Directory.ReadWrite.All, GroupMember.Read.All, User.ReadBasic.All, "
                        + "User.ReadWrite\n")
                .contains("Application (15 calls): 8 permissions cover them\n")
                .contains("  Group.ReadWrite.All\n    GET     /groups\n    POST    /groups\n    DELETE  /groups/{id}\n"
                        + "    POST    /groups/{id}/members/$ref\n")
                .contains("  Allowed by no application permission:\n    GET  /me\n")
                .contains("Routes the catalogue does not know (1):\n  GET /v1.0/me/noSuchThing/42\n")
                .doesNotContain("openid").doesNotContain("login.microsoftonline.com");
    }

    @Test
    void jsonNamesTheLeastPrivilegedSetTheExcessTheSkippedAndTheUnknownRoutes(@TempDir Path dir) throws Exception {
        Run r = run("permissions", "least", "--har", recording(dir).toString(), "--output", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.path("entries").asInt()).isEqualTo(34);
        assertThat(json.path("graphCalls").asInt()).isEqualTo(30);
        assertThat(json.path("withoutToken").asInt()).isEqualTo(2);
        assertThat(json.path("skipped").asInt()).isEqualTo(4);

        // Each name checked with `consentry permissions show NAME --all`: it allows every call listed under it.
        JsonNode delegatedSide = json.path("delegated");
        assertThat(names(delegatedSide.path("permissions"))).containsExactly("Calendars.ReadWrite", "Files.Read",
                "GroupMember.ReadBasic.All", "Mail.ReadWrite", "Mail.Send", "User.Read");
        assertThat(calls(delegatedSide, "Calendars.ReadWrite")).containsExactly("GET /me/calendars", "GET /me/events",
                "POST /me/events", "DELETE /me/events/{id}", "GET /users/{id}/calendar/events");
        assertThat(calls(delegatedSide, "User.Read")).containsExactly("GET /me x3", "GET /organization", "GET /users/{id}");
        assertThat(names(delegatedSide.path("excess"))).containsExactly("Directory.ReadWrite.All", "GroupMember.Read.All",
                "User.ReadBasic.All", "User.ReadWrite");
        assertThat(delegatedSide.path("notAllowed").size()).isZero();

        JsonNode app = json.path("application");
        assertThat(app.path("calls").asInt()).isEqualTo(15);
        assertThat(names(app.path("permissions"))).containsExactly("Application.ReadWrite.OwnedBy", "Calendars.ReadBasic",
                "DeviceManagementServiceConfig.Read.All", "Files.Read.All", "Group.ReadWrite.All", "Mail.ReadBasic.All",
                "Mail.Send", "User.ReadWrite.All");
        assertThat(calls(app, "Application.ReadWrite.OwnedBy")).containsExactly("GET /applications", "POST /applications",
                "PATCH /applications/{id}");
        assertThat(calls(app, "User.ReadWrite.All")).containsExactly("GET /users", "PATCH /users/{id}");
        assertThat(calls(app, "DeviceManagementServiceConfig.Read.All")).containsExactly("GET /organization");
        assertThat(names(app.path("excess"))).containsExactly("Application.ReadWrite.All", "Files.ReadWrite.All",
                "Mail.Read", "Sites.FullControl.All");
        assertThat(app.path("notAllowed").path(0).path("method").asText()).isEqualTo("GET");
        assertThat(app.path("notAllowed").path(0).path("template").asText()).isEqualTo("/me");

        assertThat(json.path("unknownRoutes").size()).isEqualTo(1);
        assertThat(json.path("unknownRoutes").path(0).path("method").asText()).isEqualTo("GET");
        assertThat(json.path("unknownRoutes").path(0).path("path").asText()).isEqualTo("/v1.0/me/noSuchThing/42");
    }

    @Test
    void everyChosenPermissionIsTheLeastPrivilegedOneOfACallItCovers(@TempDir Path dir) throws Exception {
        JsonNode json = JSON.readTree(run("permissions", "least", "--har", recording(dir).toString(), "--output", "json").out());
        GraphPermissionCatalogue catalogue = GraphPermissionCatalogue.builtin();
        Map<String, Scheme> sides = Map.of("delegated", Scheme.DELEGATED_WORK, "application", Scheme.APPLICATION);
        sides.forEach((side, scheme) -> {
            for (JsonNode p : json.path(side).path("permissions")) {
                String name = p.path("name").asText();
                List<PathMatch.Matched> matches = new ArrayList<>();
                for (JsonNode c : p.path("calls")) {
                    String path = "/v1.0" + c.path("template").asText().replace("{id}", "x");
                    PathMatch.Matched m = (PathMatch.Matched) catalogue.match(c.path("method").asText(), path, scheme);
                    assertThat(m.sufficient()).as(side + " " + name + " for " + path).contains(name);
                    matches.add(m);
                }
                assertThat(matches).as(side + " " + name).anyMatch(m -> m.leastPrivileged().contains(name));
            }
        });
    }

    @Test
    void aCallWithoutATokenCountsInBothSchemes(@TempDir Path dir) throws Exception {
        Path har = dir.resolve("one.har");
        Files.writeString(har, "{\"log\":{\"version\":\"1.2\",\"entries\":[" + entry("GET", GRAPH + "/v1.0/users", null) + "]}}");
        JsonNode json = JSON.readTree(run("permissions", "least", "--har", har.toString(), "--output", "json").out());
        assertThat(names(json.path("delegated").path("permissions"))).containsExactly("User.ReadBasic.All");
        assertThat(names(json.path("application").path("permissions"))).containsExactly("User.ReadBasic.All");
    }

    @Test
    void aFileThatIsNoHarIsOneClearLineWithExitTwo(@TempDir Path dir) throws Exception {
        assertRefused(dir, "not json at all", "is not valid JSON or is cut short at line 1, column 1, after 0 entries read");
        assertRefused(dir, "{\"log\":{\"version\":\"1.2\",\"pages\":[]}}", "is not a HAR file: it has no log.entries array");
        assertRefused(dir, "[1, 2]", "is not a HAR file: its JSON is not an object with log.entries");
        assertRefused(dir, "", "is empty, not a HAR file");
        assertRefused(dir, "{\"log\":{\"entries\":[{\"response\":{\"status\":200}}]}}", "entry 1 has no request object");
        assertRefused(dir, "{\"log\":{\"entries\":[" + entry("GET", GRAPH + "/v1.0/me", null) + ","
                + entry("GET", "graph me please", null) + "]}}", "entry 2 has a request.url that is not a URL: \"graph me please\"");
        assertRefused(dir, "{\"log\":{\"entries\":[" + entry("GET", "/v1.0/me", null) + "]}}",
                "entry 1 has a request.url that is not an absolute http(s) URL: \"/v1.0/me\"");

        Path missing = dir.resolve("missing.har");
        Run none = run("permissions", "least", "--har", missing.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err().strip()).isEqualTo("consentry: no such file: " + missing);
    }

    @Test
    void aFileCutShortSaysWhereAndHowManyEntriesWereRead(@TempDir Path dir) throws Exception {
        Path whole = recording(dir);
        String text = Files.readString(whole);
        Path cut = dir.resolve("cut.har");
        // Cut in the middle of the 11th entry: 10 were read whole before it.
        int eleventh = nthIndexOf(text, "\"startedDateTime\"", 11);
        Files.writeString(cut, text.substring(0, eleventh + 40));
        Run r = run("permissions", "least", "--har", cut.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).startsWith("consentry: " + cut + " is not valid JSON or is cut short at line 1, column ")
                .contains(", after 10 entries read: Unexpected end-of-input").doesNotContain("\n").doesNotContain("Exception");
    }

    private static int nthIndexOf(String text, String what, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = text.indexOf(what, at + 1);
        }
        return at;
    }

    private static void assertRefused(Path dir, String content, String message) throws Exception {
        Path har = Files.createTempFile(dir, "bad", ".har");
        Files.writeString(har, content);
        Run r = run("permissions", "least", "--har", har.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).startsWith("consentry: " + har).contains(message).doesNotContain("\n")
                .doesNotContain("Exception");
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isObject() ? n.path("name").asText() : n.asText()));
        return out;
    }

    private static List<String> calls(JsonNode side, String permission) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : side.path("permissions")) {
            if (p.path("name").asText().equals(permission)) {
                p.path("calls").forEach(c -> out.add(c.path("method").asText() + " " + c.path("template").asText()
                        + (c.path("count").asInt() == 1 ? "" : " x" + c.path("count").asInt())));
            }
        }
        return out;
    }

    /**
     * Not a test: writes the recording used to measure the command on a large file (docs/performance.md), when
     * {@code -Dconsentry.har.out=FILE} is given ({@code -Dconsentry.har.calls=N}, 10,000 by default).
     */
    @Test
    @EnabledIfSystemProperty(named = "consentry.har.out", matches = ".+")
    void writeALargeRecording() throws Exception {
        write(Path.of(System.getProperty("consentry.har.out")), Integer.getInteger("consentry.har.calls", 10_000));
    }
}
