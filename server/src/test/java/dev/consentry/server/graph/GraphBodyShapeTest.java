package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.models.PasswordProfile;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request bodies checked against Graph's v1.0 metadata before any resource reads them, through the Graph SDK and raw
 * HTTP with the daemon's app-only token: an undeclared property, a value of the wrong JSON type (top level, nested,
 * in an array), an object or array where another kind of value belongs, a null the metadata forbids and an
 * enumeration value that is no member are each refused with Graph's code and text, the store unchanged, and the
 * diagnosis of the call names the property's path; a name in another case, annotations and a derived type's
 * properties under its {@code @odata.type} are accepted.
 */
class GraphBodyShapeTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static GraphServiceClient graph;
    static String appToken;

    @BeforeAll
    static void grantTheDaemon() throws Exception {
        server.grant(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), "application", "User.ReadWrite.All", "Policy.Read.All", "Policy.ReadWrite.ConditionalAccess");
        appToken = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        graph = GraphSdk.client(server, () -> appToken);
    }

    static HttpResponse<String> http(String method, String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + appToken).header("Content-Type", "application/json").build());
    }

    /** Asserts Graph's error and returns the facts of the call's diagnosis. */
    static JsonNode refused(HttpResponse<String> r, String code, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isEqualTo(message);
        String requestId = r.headers().firstValue("request-id").orElseThrow();
        return JSON.readTree(server.get("/consentry/diagnostics/" + requestId).body()).path("facts");
    }

    static User megan() {
        return graph.users().byUserId(TestTenant.MEGAN.toString()).get(c -> c.queryParameters.select =
                new String[] {"jobTitle", "accountEnabled", "businessPhones", "displayName"});
    }

    @Test
    void anUndeclaredPropertySentByTheSdkIsRefusedAndNoUserIsCreated() {
        User draft = new User();
        draft.setAccountEnabled(true);
        draft.setDisplayName("Colour Fan");
        draft.setMailNickname("colourfan");
        draft.setUserPrincipalName("colourfan@" + TestTenant.DOMAIN);
        PasswordProfile password = new PasswordProfile();
        password.setPassword("Colour-Passw0rd!");
        draft.setPasswordProfile(password);
        draft.setAdditionalData(Map.of("favouriteColour", "blue"));
        ODataError e = GraphSdk.refused(() -> graph.users().post(draft), 400, "Request_BadRequest");
        assertThat(e.getError().getMessage()).isEqualTo("Invalid property 'favouriteColour'.");
        assertThat(graph.users().get(c -> c.queryParameters.filter = "displayName eq 'Colour Fan'").getValue()).isEmpty();
    }

    @Test
    void wrongJsonTypesAreRefusedWithTheirPathInTheDiagnosisAndChangeNothing() throws Exception {
        String before = megan().getJobTitle();
        String path = "/v1.0/users/" + TestTenant.MEGAN;

        JsonNode facts = refused(http("PATCH", path, "{\"jobTitle\":\"Never stored\",\"accountEnabled\":\"yes\"}"),
                "Request_BadRequest", "Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
        assertThat(facts.path("property").asText()).isEqualTo("accountEnabled");
        assertThat(facts.path("expected").asText()).isEqualTo("Edm.Boolean");

        facts = refused(http("PATCH", path, "{\"employeeOrgData\":{\"division\":\"Sales\",\"costCenter\":42}}"),
                "Request_BadRequest", "Cannot convert the literal '42' to the expected type 'Edm.String'.");
        assertThat(facts.path("property").asText()).isEqualTo("employeeOrgData.costCenter");

        facts = refused(http("PATCH", path, "{\"businessPhones\":[\"+1 555 0100\", 5550101]}"), "Request_BadRequest",
                "Cannot convert the literal '5550101' to the expected type 'Edm.String'.");
        assertThat(facts.path("property").asText()).isEqualTo("businessPhones[1]");

        refused(http("PATCH", path, "{\"displayName\":true}"), "Request_BadRequest",
                "Cannot convert the literal 'True' to the expected type 'Edm.String'.");
        refused(http("PATCH", path, "{\"businessPhones\":\"+1 555 0100\"}"), "Request_BadRequest",
                "An unexpected 'PrimitiveValue' node was found when reading from the JSON reader. A 'StartArray' node was expected.");
        facts = refused(http("PATCH", path, "{\"employeeOrgData\":\"Sales\"}"), "Request_BadRequest",
                "An unexpected 'PrimitiveValue' node was found when reading from the JSON reader. A 'StartObject' node was expected.");
        assertThat(facts.path("expected").asText()).isEqualTo("microsoft.graph.employeeOrgData");
        refused(http("PATCH", path, "{\"jobTitle\":{\"text\":\"Director\"}}"), "Request_BadRequest",
                "An unexpected 'StartObject' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected.");
        refused(http("PATCH", path, "{\"birthday\":null}"), "Request_BadRequest", "A null value was found for the property "
                + "named 'birthday', which has the expected type 'Edm.DateTimeOffset[Nullable=False]'. The expected type "
                + "'Edm.DateTimeOffset[Nullable=False]' does not allow null values.");
        refused(http("PATCH", path, "{\"businessPhones\":[null]}"), "Request_BadRequest", "A null value was found with "
                + "the expected type 'Edm.String[Nullable=False]'. The expected type 'Edm.String[Nullable=False]' does not "
                + "allow null values.");
        refused(http("PATCH", path, "{\"birthday\":\"last spring\"}"), "Request_BadRequest",
                "Cannot convert the literal 'last spring' to the expected type 'Edm.DateTimeOffset'.");
        facts = refused(http("PATCH", path, "{\"employeeOrgData\":{\"divison\":\"Sales\"}}"), "Request_BadRequest",
                "Invalid property 'divison'.");
        assertThat(facts.path("property").asText()).isEqualTo("employeeOrgData.divison");
        assertThat(facts.path("type").asText()).isEqualTo("microsoft.graph.employeeOrgData");

        assertThat(megan().getJobTitle()).isEqualTo(before);
    }

    @Test
    void namesInAnotherCaseAndAnnotationsAreAcceptedAsGraphSpellsThem() throws Exception {
        HttpResponse<String> r = http("PATCH", "/v1.0/users/" + TestTenant.MEGAN,
                "{\"@odata.type\":\"#microsoft.graph.user\",\"JobTitle\":\"Case-blind\",\"BusinessPhones\":[\"+1 555 0199\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        User after = megan();
        assertThat(after.getJobTitle()).isEqualTo("Case-blind");
        assertThat(after.getBusinessPhones()).containsExactly("+1 555 0199");
    }

    @Test
    void aDerivedTypesPropertiesAreCheckedUnderItsODataTypeAndOtherWorkloadsUseTheODataReadersText() throws Exception {
        String locations = "/v1.0/identity/conditionalAccess/namedLocations";
        JsonNode facts = refused(http("POST", locations, "{\"@odata.type\":\"#microsoft.graph.ipNamedLocation\","
                + "\"displayName\":\"Office\",\"isTrusted\":true,\"trustLevel\":\"high\",\"ipRanges\":[{\"@odata.type\":"
                + "\"#microsoft.graph.iPv4CidrRange\",\"cidrAddress\":\"203.0.113.0/24\"}]}"), "BadRequest",
                "The property 'trustLevel' does not exist on type 'microsoft.graph.ipNamedLocation'. Make sure to only use "
                + "property names that are defined by the type or mark the type as open type.");
        assertThat(facts.path("property").asText()).isEqualTo("trustLevel");
        refused(http("POST", locations, "{\"@odata.type\":\"#microsoft.graph.ipNamedLocation\",\"displayName\":\"Office\","
                + "\"isTrusted\":\"yes\",\"ipRanges\":[]}"), "BadRequest",
                "Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
        facts = refused(http("POST", locations, "{\"@odata.type\":\"#microsoft.graph.ipNamedLocation\",\"displayName\":"
                + "\"Office\",\"ipRanges\":[{\"@odata.type\":\"#microsoft.graph.iPv4CidrRange\",\"cidr\":\"203.0.113.0/24\"}]}"),
                "BadRequest", "The property 'cidr' does not exist on type 'microsoft.graph.iPv4CidrRange'. Make sure to only "
                + "use property names that are defined by the type or mark the type as open type.");
        assertThat(facts.path("property").asText()).isEqualTo("ipRanges[0].cidr");
        assertThat(server.consentry().store().namedLocations().list(TestTenant.TENANT)).isEmpty();
    }

    @Test
    void anEnumerationValueMustBeOneOfItsMembers() throws Exception {
        JsonNode facts = refused(http("POST", "/v1.0/identity/conditionalAccess/policies", "{\"displayName\":\"Block legacy\","
                + "\"state\":\"sometimes\",\"conditions\":{\"clientAppTypes\":[\"exchangeActiveSync\"]}}"), "BadRequest",
                "Cannot convert the literal 'sometimes' to the expected type 'microsoft.graph.conditionalAccessPolicyState'.");
        assertThat(facts.path("property").asText()).isEqualTo("state");
        refused(http("POST", "/v1.0/identity/conditionalAccess/policies", "{\"displayName\":\"Block legacy\","
                + "\"state\":\"disabled\",\"conditions\":{\"clientAppTypes\":[\"fax\"]}}"), "BadRequest",
                "Cannot convert the literal 'fax' to the expected type 'microsoft.graph.conditionalAccessClientApp'.");
        assertThat(server.consentry().store().conditionalAccessPolicies().list(TestTenant.TENANT)).isEmpty();
    }
}
