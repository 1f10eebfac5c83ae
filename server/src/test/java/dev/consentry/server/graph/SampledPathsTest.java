package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.User;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.SharedData;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Authorization over Microsoft's own permission data, not only the routes Consentry serves: 200 path templates
 * sampled (with a fixed seed) from {@code ../shared/data/graph-permissions/permissions.json}, each called over
 * HTTPS with a token holding only a least-privileged permission the data names for it (plus one of its
 * {@code AlsoRequires}), which must be allowed, and with a token holding only an unrelated permission, which must
 * be refused with 403, for delegated and for application tokens wherever the data has that scheme.
 *
 * <p>The data is read here, independently of the catalogue Consentry built from it. Templates with a query
 * string or a space are left out of the sample (they are not plain paths), and so are resource-specific consent
 * permissions (granted per team or chat, never carried in a token). The signed-in user (and the user any
 * {@code /users/{id}} names) is Adele, licensed for Exchange and SharePoint so that the licence stage passes.
 */
class SampledPathsTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static final int SAMPLE = 200;
    static final long SEED = 20261201L;
    static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}/]*}");
    /** Permissions far from most paths; the first one the data does not list for a case is its unrelated one. */
    static final List<String> UNRELATED = List.of("Bookings.Read.All", "Notes.Read.All", "Tasks.Read.All", "Calendars.Read",
            "AccessReview.Read.All", "Sites.Read.All");
    static String delegatedBase;
    static String applicationBase;

    /** One call: a method on a template with a scheme, the least permission (and an also-required one) and all sufficient. */
    record Case(String method, String template, String scheme, List<String> least, Set<String> sufficient) {
        @Override
        public String toString() {
            return method + " " + template + " (" + scheme + ": " + String.join(" + ", least) + ")";
        }
    }

    @BeforeAll
    static void licenceAdeleAndGetBaseTokens() throws Exception {
        UUID sku = UUID.fromString("c7df2760-2c81-4ef7-b578-5b5392b571df"); // Office 365 E5
        server.consentry().store().subscribedSkus().save(TestTenant.TENANT, new SubscribedSku("e5", sku, "ENTERPRISEPREMIUM",
                List.of(new SubscribedSku.ServicePlan(UUID.fromString("efb87545-963c-4e0d-99df-69c6916d9eb0"),
                                "EXCHANGE_S_ENTERPRISE", "Success", "User"),
                        new SubscribedSku.ServicePlan(UUID.fromString("5dbe027f-2339-4123-9542-606e4d348a72"),
                                "SHAREPOINTENTERPRISE", "Success", "User")), null));
        User adele = server.consentry().store().users().find(TestTenant.TENANT, TestTenant.ADELE).orElseThrow();
        server.consentry().store().users().save(TestTenant.TENANT, new User(adele.id(), adele.userPrincipalName(),
                adele.displayName(), adele.mail(), adele.userType(), adele.accountEnabled(), adele.passwordProfile(),
                adele.lastPasswordChangeDateTime(), List.of(new AssignedLicense(sku, List.of())), adele.additionalProperties()));
        delegatedBase = token(Map.of("grant_type", "password", "client_id", TestTenant.PUBLIC_APP.toString(),
                "username", TestTenant.ADELE_UPN, "password", TestTenant.ADELE_PASSWORD, "scope", "User.Read"));
        applicationBase = token(Map.of("grant_type", "client_credentials", "client_id", TestTenant.DAEMON.toString(),
                "client_secret", TestTenant.DAEMON_SECRET, "scope", "https://graph.microsoft.com/.default"));
    }

    static String token(Map<String, String> form) throws Exception {
        HttpResponse<String> r = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(form));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static Stream<Case> sampledCases() throws Exception {
        JsonNode permissions = JSON.readTree(Files.readAllBytes(SharedData.permissionsFile())).path("permissions");
        // (method, template lower-cased, scheme) -> sufficient permissions, and the least ones with what they also need
        Map<String, Set<String>> sufficient = new HashMap<>();
        Map<String, List<List<String>>> least = new TreeMap<>();
        Map<String, String> spelled = new HashMap<>();
        for (var p = permissions.fields(); p.hasNext(); ) {
            var permission = p.next();
            if (!permission.getValue().path("authorizationType").asText("oAuth2").equals("oAuth2")) {
                continue; // resource-specific consent (Teams): granted per team or chat, never a token claim
            }
            for (JsonNode set : permission.getValue().path("pathSets")) {
                for (var path = set.path("paths").fields(); path.hasNext(); ) {
                    var entry = path.next();
                    String template = entry.getKey();
                    if (template.contains("?") || template.contains(" ")) {
                        continue;
                    }
                    String marker = entry.getValue().asText();
                    List<String> also = new ArrayList<>();
                    Set<String> leastSchemes = new LinkedHashSet<>();
                    for (String part : marker.split(";")) {
                        if (part.startsWith("least=")) {
                            leastSchemes.addAll(List.of(part.substring(6).split(",")));
                        } else if (part.startsWith("AlsoRequires=")) {
                            also.addAll(List.of(part.substring(13).split(",")));
                        }
                    }
                    for (JsonNode method : set.path("methods")) {
                        for (JsonNode scheme : set.path("schemeKeys")) {
                            if (!scheme.asText().equals("DelegatedWork") && !scheme.asText().equals("Application")) {
                                continue;
                            }
                            String key = method.asText() + " " + template.toLowerCase(Locale.ROOT) + " " + scheme.asText();
                            spelled.putIfAbsent(key, template);
                            sufficient.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(permission.getKey());
                            if (leastSchemes.contains(scheme.asText())) {
                                List<String> held = new ArrayList<>(List.of(permission.getKey()));
                                if (!also.isEmpty()) {
                                    held.add(also.get(0));
                                }
                                least.computeIfAbsent(key, k -> new ArrayList<>()).add(held);
                            }
                        }
                    }
                }
            }
        }
        // Templates (lower-cased) with a least permission in some scheme; sample 200 of them.
        List<String> templates = least.keySet().stream().map(k -> k.split(" ")[1]).distinct().sorted().toList();
        List<String> shuffled = new ArrayList<>(templates);
        java.util.Collections.shuffle(shuffled, new Random(SEED));
        Set<String> chosen = new LinkedHashSet<>(shuffled.subList(0, SAMPLE));
        List<Case> cases = new ArrayList<>();
        for (String template : chosen) {
            for (String scheme : List.of("DelegatedWork", "Application")) {
                if (scheme.equals("Application") && template.startsWith("/me/drive")) {
                    // The data lists application permissions for /me/drive, and OneDrive answers an application token
                    // there with its 401 (drive-needs-user, acceptance.GraphDriveCausesTest): no token has a "me".
                    continue;
                }
                // One method per template and scheme: GET when the data has it, else the first in a fixed order.
                for (String method : List.of("GET", "POST", "PATCH", "PUT", "DELETE")) {
                    String key = method + " " + template + " " + scheme;
                    if (least.containsKey(key)) {
                        cases.add(new Case(method, spelled.get(key), scheme, least.get(key).get(0), sufficient.get(key)));
                        break;
                    }
                }
            }
        }
        assertThat(chosen).hasSize(SAMPLE);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampledCases")
    void theLeastPermissionIsAllowedAndAnUnrelatedOneIsNot(Case c) throws Exception {
        String path = "/v1.0" + concrete(c);
        HttpResponse<String> allowed = call(c.method(), path, tokenWith(c.scheme(), c.least()));
        JsonNode yes = diagnosis(allowed);
        assertThat(yes.path("decision").asText()).as(c + " -> " + allowed.statusCode() + " " + allowed.body()
                + " steps " + yes.path("steps")).isEqualTo("allow");
        assertThat(allowed.statusCode()).isNotIn(401, 403);

        String unrelated = UNRELATED.stream().filter(u -> !c.sufficient().contains(u)).findFirst().orElseThrow();
        HttpResponse<String> refused = call(c.method(), path, tokenWith(c.scheme(), List.of(unrelated)));
        JsonNode no = diagnosis(refused);
        assertThat(refused.statusCode()).as(c + " with " + unrelated + " -> " + refused.body()).isEqualTo(403);
        assertThat(no.path("decision").asText()).isEqualTo("deny");
    }

    /** The template with its placeholders filled: the user a {@code /users/{id}} names is the signed-in one. */
    static String concrete(Case c) {
        String path = c.template();
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.startsWith("/users/{id}")) {
            // Deleting /users/{id} is served: it would delete the signed-in user, so another one stands in.
            boolean deletesUser = c.method().equals("DELETE") && lower.equals("/users/{id}");
            path = "/users/" + (deletesUser ? TestTenant.MEGAN : TestTenant.ADELE) + path.substring("/users/{id}".length());
        }
        int[] n = {0};
        return PLACEHOLDER.matcher(path).replaceAll(m -> "00000000-0000-4000-8000-" + String.format("%012d", ++n[0]));
    }

    static String tokenWith(String scheme, List<String> permissions) throws Exception {
        return scheme.equals("Application")
                ? server.resigned(applicationBase, b -> b.claim("roles", permissions))
                : server.resigned(delegatedBase, b -> b.claim("scp", String.join(" ", permissions)));
    }

    static HttpResponse<String> call(String method, String path, String token) {
        HttpRequest.BodyPublisher body = method.equals("GET") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}");
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).method(method, body)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").build());
    }

    static JsonNode diagnosis(HttpResponse<String> r) throws Exception {
        String id = r.headers().firstValue("request-id").orElseThrow();
        return JSON.readTree(server.get("/consentry/diagnostics/" + id).body());
    }
}
