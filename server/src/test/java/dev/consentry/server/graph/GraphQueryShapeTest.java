package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.consentry.core.directory.Group;
import dev.consentry.core.id.ObjectId;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code $filter}, {@code $select} and {@code $orderby} checked against Graph's v1.0 metadata of the collection's
 * type, through real HTTP and the Graph SDK with the daemon's app-only token: an undeclared property, a literal of a
 * type the property cannot be compared with, a declared property the directory does not filter or sort by, and a
 * sort of a filtered list without the advanced query parameters are each refused as Graph refuses them; users and
 * groups sort by the properties the directory sorts by, ascending and descending.
 */
class GraphQueryShapeTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static GraphServiceClient graph;
    static String appToken;

    @BeforeAll
    static void grantTheDaemonAndAddGroups() throws Exception {
        server.grant(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), "application", "Directory.Read.All");
        for (String name : List.of("sales", "Accounts", "Marketing")) {
            server.consentry().store().groups().save(TestTenant.TENANT, new Group(ObjectId.random(), name, true, false,
                    List.of(), List.of(), Map.of("mailNickname", name.toLowerCase())));
        }
        appToken = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        graph = GraphSdk.client(server, () -> appToken);
    }

    static HttpResponse<String> get(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery)).GET()
                .header("Authorization", "Bearer " + appToken);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return server.send(b.build());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void refused(HttpResponse<String> r, String code, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isEqualTo(message);
    }

    static List<String> names(HttpResponse<String> r, String property) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        JSON.readTree(r.body()).path("value").forEach(v -> out.add(v.path(property).asText()));
        return out;
    }

    @Test
    void filterLiteralsMustHaveThePropertysType() throws Exception {
        refused(get("/v1.0/users?$filter=" + enc("accountEnabled eq 'true'")), "BadRequest", "A binary operator with "
                + "incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'.");
        refused(get("/v1.0/users?$filter=" + enc("displayName eq 5")), "BadRequest", "A binary operator with "
                + "incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'.");
        assertThat(get("/v1.0/users?$filter=" + enc("accountEnabled eq true")).statusCode()).isEqualTo(200);
        assertThat(get("/v1.0/users?$filter=" + enc("mail eq null")).statusCode()).isEqualTo(200);
    }

    @Test
    void undeclaredPropertiesAreNotFoundOnTheTypeAndDeclaredOnesTheDirectoryCannotFilterAreUnsupported() throws Exception {
        String notFound = "Could not find a property named 'favouriteColour' on type 'microsoft.graph.user'.";
        refused(get("/v1.0/users?$filter=" + enc("favouriteColour eq 'blue'")), "BadRequest", notFound);
        refused(get("/v1.0/users?$filter=" + enc("startswith(favouriteColour,'b')")), "BadRequest", notFound);
        refused(get("/v1.0/users?$orderby=favouriteColour"), "BadRequest", notFound);
        refused(get("/v1.0/users?$select=displayName,favouriteColour"), "BadRequest", notFound);
        refused(get("/v1.0/users?$filter=" + enc("officeLocation eq 'Seattle'")), "Request_UnsupportedQuery",
                "Unsupported or invalid query filter clause specified for property 'officeLocation' of resource 'User'.");
        // A property Graph declares and Consentry does not keep is selected, and answered without a value.
        JsonNode selected = JSON.readTree(get("/v1.0/users/" + TestTenant.MEGAN + "?$select=displayName,aboutMe").body());
        assertThat(selected.path("displayName").asText()).isNotBlank();
        assertThat(selected.has("aboutMe")).isTrue();
    }

    @Test
    void usersSortByDisplayNameAndUserPrincipalNameBothWays() throws Exception {
        List<String> ascending = names(get("/v1.0/users?$orderby=displayName&$select=displayName"), "displayName");
        List<String> expected = new ArrayList<>(ascending);
        expected.sort(String.CASE_INSENSITIVE_ORDER);
        assertThat(ascending).hasSizeGreaterThan(1).isEqualTo(expected);
        List<String> descending = names(get("/v1.0/users?$orderby=" + enc("displayName desc") + "&$select=displayName"),
                "displayName");
        expected.sort(String.CASE_INSENSITIVE_ORDER.reversed());
        assertThat(descending).isEqualTo(expected);

        List<User> byUpn = graph.users().get(c -> {
            c.queryParameters.orderby = new String[] {"userPrincipalName desc"};
            c.queryParameters.select = new String[] {"userPrincipalName"};
        }).getValue();
        List<String> upns = byUpn.stream().map(User::getUserPrincipalName).toList();
        assertThat(upns).isSortedAccordingTo(Comparator.comparing(String::toLowerCase, Comparator.reverseOrder()));

        ODataError e = GraphSdk.refused(() -> graph.users().get(c -> c.queryParameters.orderby = new String[] {"createdDateTime"}),
                400, "Request_UnsupportedQuery");
        assertThat(e.getError().getMessage()).isEqualTo("Unsupported sort property 'createdDateTime' for 'User'.");
    }

    @Test
    void aFilteredListSortsOnlyAsAnAdvancedQuery() throws Exception {
        String query = "/v1.0/users?$filter=" + enc("accountEnabled eq true") + "&$orderby=displayName";
        refused(get(query), "Request_UnsupportedQuery", "Sorting not supported for current query.");
        List<String> sorted = names(get(query + "&$count=true&$select=displayName", "ConsistencyLevel", "eventual"),
                "displayName");
        assertThat(sorted).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
    }

    @Test
    void groupsSortByDisplayNameOnly() throws Exception {
        List<String> groups = names(get("/v1.0/groups?$orderby=" + enc("displayName desc")), "displayName");
        assertThat(groups).containsSubsequence("sales", "Marketing", "Accounts")
                .isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER.reversed());
        refused(get("/v1.0/groups?$orderby=mail"), "Request_UnsupportedQuery", "Unsupported sort property 'mail' for 'Group'.");
        refused(get("/v1.0/groups?$orderby=" + enc("displayName sideways")), "BadRequest",
                "Invalid $orderby clause 'displayName sideways': a property name, optionally followed by asc or desc, expected.");
    }
}
