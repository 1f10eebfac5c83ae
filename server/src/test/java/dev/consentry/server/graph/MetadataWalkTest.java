package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.AppConsentRequest;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.AuthenticationContextClassReference;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Device;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.NamedLocation;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.metadata.GraphMetadata;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.Scheme;
import dev.consentry.graph.resource.GraphData;
import dev.consentry.graph.resource.GraphRoutes;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.server.testing.WorkloadTenant;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.TenantBuilder;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every GET route Consentry serves in {@code v1.0}, walked over real HTTP with a tenant that has data behind each of
 * them, and every object answered checked against Graph's published v1.0 metadata ({@link GraphMetadata}): each
 * property exists on the type (the route's type, or the one {@code @odata.type} names, which must be that type or
 * derived from it), each value has the JSON form of its Edm type (strings, Booleans, numbers, ISO 8601 times, GUIDs,
 * enumeration members, complex values recursively, arrays), {@code @odata.context} is the one Graph answers for the
 * route, and the values Graph never reads back (passwords, client secrets, certificate keys) are absent or null.
 *
 * <p>A collection's items are followed into their own URLs. Which routes Consentry serves is asked of the product
 * itself ({@link #theWalkCoversEveryServedGetRoute}): a route served but missing from {@link #ROUTES} fails the test.
 */
class MetadataWalkTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static final GraphMetadata METADATA = GraphMetadata.v1();
    static final String CONTEXT_BASE = "https://graph.microsoft.com/v1.0/$metadata#";
    static final ObjectId GROUP = ObjectId.of("dddddddd-eeee-4fff-8000-0000000000a1");
    static final ObjectId DEVICE = ObjectId.of("dddddddd-eeee-4fff-8000-0000000000b1");
    static final String DEVICE_ID = "0f7e7e1c-5a3e-4c4e-9a1b-2b6f0c7d8e9f";
    static final String CONSENT_REQUEST = "7ea0b9a3-3d55-4c10-9c2a-6c1f0e0d2a11";
    static final String AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
    /** Microsoft Graph's application permissions the daemon holds here: enough to read every served route. */
    static final List<String> APP_PERMISSIONS = List.of("Directory.ReadWrite.All", "User.ReadWrite.All", "Mail.ReadWrite",
            "Calendars.ReadWrite", "Files.ReadWrite.All", "Policy.Read.All", "Policy.ReadWrite.ConditionalAccess",
            "AuditLog.Read.All", "RoleManagement.ReadWrite.Directory", "Device.ReadWrite.All",
            "UserAuthenticationMethod.ReadWrite.All", "Application.ReadWrite.All", "ConsentRequest.ReadWrite.All",
            "DelegatedPermissionGrant.ReadWrite.All", "Group.ReadWrite.All", "Organization.Read.All",
            "AppRoleAssignment.ReadWrite.All", "Policy.ReadWrite.PermissionGrant",
            "Application.Read.All");
    /** What Adele's desktop app may do on her behalf (she is a Global Administrator). */
    static final String USER_SCOPES = "User.Read Directory.Read.All Mail.ReadWrite Calendars.ReadWrite Files.Read "
            + "UserAuthenticationMethod.ReadWrite";

    enum Caller { APP, USER }

    /**
     * One GET route of the walk.
     *
     * @param template     the route as the engine names it (the permission catalogue's lower-case template)
     * @param path         the path walked, under {@code /v1.0}, with {@code {user}}, {@code {app}}, ... for seeded ids
     * @param context      the {@code @odata.context} fragment Graph answers, with the same placeholders
     * @param collection   whether it answers a collection ({@code value}), which must not be empty here
     * @param itemTemplate the template of an item's own URL, or null when the walk does not follow the items
     * @param itemPath     that URL with {@code {id}} for the item's id (and the route's placeholders)
     * @param itemContext  the item's context fragment
     */
    record Route(Caller caller, String template, String path, String context, boolean collection, String itemTemplate,
                 String itemPath, String itemContext) {}

    static Route one(Caller caller, String template, String path, String context) {
        return new Route(caller, template, path, context, false, null, null, null);
    }

    static Route many(Caller caller, String template, String path, String context) {
        return new Route(caller, template, path, context, true, null, null, null);
    }

    /** A collection whose items are followed to {@code path/{id}}, each answering {@code context/$entity}. */
    static Route set(Caller caller, String template, String path, String context) {
        return new Route(caller, template, path, context, true, template + "/{id}", path + "/{id}", context + "/$entity");
    }

    static Route set(Caller caller, String template, String path, String context, String itemTemplate, String itemPath,
                     String itemContext) {
        return new Route(caller, template, path, context, true, itemTemplate, itemPath, itemContext);
    }

    /*
     * The contexts follow Graph's documented responses (https://learn.microsoft.com/graph/api/...):
     * user-list "#users", user-get "#users/$entity" (also for /me), user-list-memberof and group-list-members
     * "#directoryObjects" (memberOf, members, owners and registeredOwners reach the directoryObjects set), user-list-messages
     * "#users('{id}')/messages" (for /me too: the signed-in user's id), driveitem-list-children
     * "#users('{id}')/drive/root/children", serviceprincipal-list-approleassignedto
     * "#servicePrincipals('{id}')/appRoleAssignedTo", conditionalaccessroot-list-policies
     * "#identity/conditionalAccess/policies", directoryaudit-list "#auditLogs/directoryAudits",
     * authorizationpolicy-get "#policies/authorizationPolicy/$entity", rbacapplication-list-roleassignments
     * "#roleManagement/directory/roleAssignments", authentication-list-methods "#users('{id}')/authentication/methods".
     */
    static final List<Route> ROUTES = List.of(
            set(Caller.APP, "/users", "/users", "users"),
            one(Caller.USER, "/me", "/me", "users/$entity"),
            many(Caller.APP, "/users/{id}/memberof", "/users/{user}/memberOf", "directoryObjects"),
            many(Caller.USER, "/me/memberof", "/me/memberOf", "directoryObjects"),
            set(Caller.APP, "/organization", "/organization", "organization"),
            set(Caller.APP, "/applications", "/applications", "applications"),
            one(Caller.APP, "/applications(appid={value})", "/applications(appId='{appId}')", "applications/$entity"),
            set(Caller.APP, "/serviceprincipals", "/servicePrincipals", "servicePrincipals"),
            one(Caller.APP, "/serviceprincipals(appid={value})", "/servicePrincipals(appId='{appId}')",
                    "servicePrincipals/$entity"),
            many(Caller.APP, "/subscribedskus", "/subscribedSkus", "subscribedSkus"),
            set(Caller.APP, "/groups", "/groups", "groups"),
            many(Caller.APP, "/groups/{id}/members", "/groups/{group}/members", "directoryObjects"),
            set(Caller.APP, "/directoryroles", "/directoryRoles", "directoryRoles"),
            many(Caller.APP, "/directoryroles/{id}/members", "/directoryRoles/{role}/members", "directoryObjects"),
            set(Caller.APP, "/rolemanagement/directory/roleassignments", "/roleManagement/directory/roleAssignments",
                    "roleManagement/directory/roleAssignments"),
            set(Caller.APP, "/oauth2permissiongrants", "/oauth2PermissionGrants", "oauth2PermissionGrants"),
            many(Caller.APP, "/serviceprincipals/{id}/approleassignedto", "/servicePrincipals/{graphSp}/appRoleAssignedTo",
                    "servicePrincipals('{graphSp}')/appRoleAssignedTo"),
            many(Caller.APP, "/serviceprincipals/{id}/approleassignments", "/servicePrincipals/{sp}/appRoleAssignments",
                    "servicePrincipals('{sp}')/appRoleAssignments"),
            many(Caller.APP, "/users/{id}/approleassignments", "/users/{user}/appRoleAssignments",
                    "users('{user}')/appRoleAssignments"),
            many(Caller.APP, "/serviceprincipals/{id}/delegatedpermissionclassifications",
                    "/servicePrincipals/{apiSp}/delegatedPermissionClassifications",
                    "servicePrincipals('{apiSp}')/delegatedPermissionClassifications"),
            many(Caller.APP, "/serviceprincipals(appid={value})/delegatedpermissionclassifications",
                    "/servicePrincipals(appId='{apiAppId}')/delegatedPermissionClassifications",
                    "servicePrincipals('{apiSp}')/delegatedPermissionClassifications"),
            many(Caller.APP, "/applications/{id}/owners", "/applications/{app}/owners", "directoryObjects"),
            many(Caller.APP, "/applications(appid={value})/owners", "/applications(appId='{appId}')/owners",
                    "directoryObjects"),
            many(Caller.APP, "/serviceprincipals/{id}/owners", "/servicePrincipals/{sp}/owners", "directoryObjects"),
            many(Caller.APP, "/serviceprincipals(appid={value})/owners", "/servicePrincipals(appId='{appId}')/owners",
                    "directoryObjects"),
            set(Caller.APP, "/identity/conditionalaccess/policies", "/identity/conditionalAccess/policies",
                    "identity/conditionalAccess/policies"),
            set(Caller.APP, "/identity/conditionalaccess/namedlocations", "/identity/conditionalAccess/namedLocations",
                    "identity/conditionalAccess/namedLocations"),
            set(Caller.APP, "/identity/conditionalaccess/authenticationcontextclassreferences",
                    "/identity/conditionalAccess/authenticationContextClassReferences",
                    "identity/conditionalAccess/authenticationContextClassReferences"),
            set(Caller.APP, "/identitygovernance/appconsent/appconsentrequests",
                    "/identityGovernance/appConsent/appConsentRequests", "identityGovernance/appConsent/appConsentRequests"),
            set(Caller.APP, "/identitygovernance/appconsent/appconsentrequests/{id}/userconsentrequests",
                    "/identityGovernance/appConsent/appConsentRequests/{request}/userConsentRequests",
                    "identityGovernance/appConsent/appConsentRequests('{request}')/userConsentRequests"),
            set(Caller.APP, "/devices", "/devices", "devices"),
            one(Caller.APP, "/devices(deviceid={value})", "/devices(deviceId='{deviceId}')", "devices/$entity"),
            many(Caller.APP, "/devices/{id}/registeredowners", "/devices/{device}/registeredOwners", "directoryObjects"),
            many(Caller.APP, "/auditlogs/directoryaudits", "/auditLogs/directoryAudits", "auditLogs/directoryAudits"),
            many(Caller.APP, "/auditlogs/signins", "/auditLogs/signIns", "auditLogs/signIns"),
            one(Caller.APP, "/policies/authorizationpolicy", "/policies/authorizationPolicy",
                    "policies/authorizationPolicy/$entity"),
            one(Caller.APP, "/policies/adminconsentrequestpolicy", "/policies/adminConsentRequestPolicy",
                    "policies/adminConsentRequestPolicy/$entity"),
            many(Caller.APP, "/users/{id}/authentication/methods", "/users/{user}/authentication/methods",
                    "users('{user}')/authentication/methods"),
            many(Caller.USER, "/me/authentication/methods", "/me/authentication/methods",
                    "users('{user}')/authentication/methods"),
            set(Caller.APP, "/users/{id}/authentication/softwareoathmethods", "/users/{user}/authentication/softwareOathMethods",
                    "users('{user}')/authentication/softwareOathMethods"),
            set(Caller.USER, "/me/authentication/softwareoathmethods", "/me/authentication/softwareOathMethods",
                    "users('{user}')/authentication/softwareOathMethods"),
            set(Caller.APP, "/users/{id}/messages", "/users/{user}/messages", "users('{user}')/messages"),
            set(Caller.USER, "/me/messages", "/me/messages", "users('{user}')/messages"),
            set(Caller.APP, "/users/{id}/events", "/users/{user}/events", "users('{user}')/events"),
            set(Caller.USER, "/me/events", "/me/events", "users('{user}')/events"),
            one(Caller.APP, "/users/{id}/drive/root", "/users/{user}/drive/root", "users('{user}')/drive/root/$entity"),
            one(Caller.USER, "/me/drive/root", "/me/drive/root", "users('{user}')/drive/root/$entity"),
            set(Caller.APP, "/users/{id}/drive/root/children", "/users/{user}/drive/root/children",
                    "users('{user}')/drive/root/children", "/users/{id}/drive/items/{id}", "/users/{user}/drive/items/{id}",
                    "users('{user}')/drive/items/$entity"),
            set(Caller.USER, "/me/drive/root/children", "/me/drive/root/children", "users('{user}')/drive/root/children",
                    "/me/drive/items/{id}", "/me/drive/items/{id}", "users('{user}')/drive/items/$entity"));

    static String appToken;
    static String userToken;
    static Map<String, String> ids;

    @BeforeAll
    static void seedATenantWithDataBehindEveryRoute() throws Exception {
        Instant now = Instant.now();
        TenantBuilder seeded = WorkloadTenant.fabrikam(
                List.of(Map.of("id", "welcome", "subject", "Welcome to Fabrikam",
                        "receivedDateTime", "2026-11-01T08:00:00Z", "isRead", true, "importance", "normal",
                        "from", Map.of("emailAddress", Map.of("name", "HR", "address", "hr@fabrikam.example")),
                        "toRecipients", List.of(Map.of("emailAddress", Map.of("address", TestTenant.ADELE_UPN))),
                        "body", Map.of("contentType", "text", "content", "Hello"))),
                List.of(Map.of("id", "standup", "subject", "Stand-up", "showAs", "busy",
                        "start", Map.of("dateTime", "2026-12-02T09:00:00", "timeZone", "UTC"),
                        "end", Map.of("dateTime", "2026-12-02T09:15:00", "timeZone", "UTC"))),
                List.of(Map.of("id", "plan", "name", "Plan.docx", "size", 12_345,
                        "file", Map.of("mimeType", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
                        Map.of("id", "photos", "name", "Photos", "folder", Map.of("childCount", 0))),
                USER_SCOPES);
        AppConsentRequest.UserConsentRequest asked = new AppConsentRequest.UserConsentRequest(
                "2b4d1a0c-8e5f-4c3a-9b2d-1e0f3a4b5c6d", "InProgress", "I need it for my reports",
                now.minus(Duration.ofHours(2)), null, new AppConsentRequest.IdentitySet(new AppConsentRequest.Identity(
                TestTenant.MEGAN.toString(), "Megan Bowen")), "3c5e2b1d-9f60-4d4b-8c3e-2f1a4b5c6d7e", null);
        TenantDirectory tenant = seeded
                .withGroup(new Group(GROUP, "Sales", true, false, List.of(), List.of(TestTenant.ADELE, TestTenant.MEGAN),
                        Map.of("mailNickname", "sales", "description", "The sales team")))
                .withRoleAssignment(new RoleAssignment("role-daemon", TestTenant.DAEMON_SP, AUTHENTICATION_ADMINISTRATOR, "/",
                        null))
                .withAppRoleAssignment(new AppRoleAssignment(null, TestTenant.ADELE, "User", TestTenant.API_SP,
                        new UUID(0, 0), now, null))
                .withConditionalAccessPolicy(new ConditionalAccessPolicy("6b5f3c1e-2a4d-4e8f-9c0b-1d2e3f4a5b6c",
                        "Require MFA for admins", "enabledForReportingButNotEnforced",
                        Map.of("users", Map.of("includeRoles", List.of(TestTenant.GLOBAL_ADMIN)),
                                "applications", Map.of("includeApplications", List.of("All")),
                                "clientAppTypes", List.of("all")),
                        Map.of("operator", "OR", "builtInControls", List.of("mfa")), null, null))
                .withNamedLocation(new NamedLocation("0e4c1b2a-3d5f-4a6b-8c7d-9e0f1a2b3c4d", null, "Head office", true,
                        List.of(new NamedLocation.IpRange("#microsoft.graph.iPv4CidrRange", "203.0.113.0/24")), null))
                .withDevice(new Device(DEVICE, DEVICE_ID, "ADELE-LAPTOP", "Windows", true, true, true, "AzureAd",
                        now.minus(Duration.ofDays(30)), TestTenant.ADELE, null))
                .withAuthenticationContext(new AuthenticationContextClassReference("c1", "Sensitive data",
                        "Step-up for sensitive data", true))
                .withSoftwareOathMethod(new SoftwareOathMethod("b172893e-93ab-4f3f-9d0b-7f6f1e0c0a11", TestTenant.ADELE,
                        "JBSWY3DPEHPK3PXP", now.minus(Duration.ofDays(3))))
                .build();
        tenant = new TenantDirectory(tenant.id(), tenant.displayName(), tenant.verifiedDomains(), tenant.users(),
                tenant.groups(), tenant.applications(), tenant.servicePrincipals(), tenant.appRoleAssignments(),
                tenant.oauth2PermissionGrants(), tenant.roleAssignments(), tenant.subscribedSkus(),
                tenant.conditionalAccessPolicies(), List.of(new AppConsentRequest(CONSENT_REQUEST,
                TestTenant.WEB_APP.toString(), "Fabrikam Web", List.of(new AppConsentRequest.Scope("User.Read.All")),
                List.of(asked), null)), tenant.softwareOathMethods(), tenant.namedLocations(), tenant.devices(),
                tenant.authenticationContextClassReferences(), tenant.authorizationPolicy(),
                tenant.adminConsentRequestPolicy(), tenant.settings(), tenant.additionalProperties());
        server.consentry().importTenants(List.of(tenant));
        GraphPermissionCatalogue catalogue = GraphPermissionCatalogue.builtin();
        for (String role : APP_PERMISSIONS) {
            UUID id = catalogue.permission(role).flatMap(p -> p.in(Scheme.APPLICATION)).orElseThrow().id();
            server.consentry().store().appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null,
                    TestTenant.DAEMON_SP, "ServicePrincipal", TestTenant.GRAPH_SP, id, now, null));
        }
        appToken = token(Map.of("grant_type", "client_credentials", "client_id", TestTenant.DAEMON.toString(),
                "client_secret", TestTenant.DAEMON_SECRET, "scope", "https://graph.microsoft.com/.default"));
        userToken = token(Map.of("grant_type", "password", "client_id", TestTenant.PUBLIC_APP.toString(),
                "username", TestTenant.ADELE_UPN, "password", TestTenant.ADELE_PASSWORD, "scope", USER_SCOPES));
        ObjectId app = server.consentry().store().applications().list(TestTenant.TENANT).stream()
                .filter(a -> a.appId().equals(TestTenant.DAEMON)).findFirst().orElseThrow().id();
        ids = Map.of("{user}", TestTenant.ADELE.toString(), "{app}", app.toString(), "{appId}", TestTenant.DAEMON.toString(),
                "{sp}", TestTenant.DAEMON_SP.toString(), "{graphSp}", TestTenant.GRAPH_SP.toString(),
                "{apiSp}", TestTenant.API_SP.toString(), "{apiAppId}", TestTenant.API.toString(), "{group}", GROUP.toString(),
                "{role}", TestTenant.GLOBAL_ADMIN, "{device}", DEVICE.toString());
        Map<String, String> more = new LinkedHashMap<>(ids);
        more.put("{request}", CONSENT_REQUEST);
        more.put("{deviceId}", DEVICE_ID);
        ids = Map.copyOf(more);

        // Writes through Graph itself: an owner, a classification and a client secret (which also fill the audit log).
        expect(send("POST", "/v1.0/applications/" + app + "/owners/$ref", "{\"@odata.id\": "
                + "\"https://graph.microsoft.com/v1.0/directoryObjects/" + TestTenant.ADELE + "\"}"), 204);
        expect(send("POST", "/v1.0/servicePrincipals/" + TestTenant.DAEMON_SP + "/owners/$ref", "{\"@odata.id\": "
                + "\"https://graph.microsoft.com/v1.0/directoryObjects/" + TestTenant.MEGAN + "\"}"), 204);
        expect(send("POST", "/v1.0/servicePrincipals/" + TestTenant.API_SP + "/delegatedPermissionClassifications",
                "{\"permissionName\": \"access_as_user\", \"classification\": \"low\"}"), 201);
        HttpResponse<String> secret = send("POST", "/v1.0/applications/" + app + "/addPassword",
                "{\"passwordCredential\": {\"displayName\": \"walk\"}}");
        expect(secret, 200);
        List<String> problems = new ArrayList<>();
        new Checker(problems, "addPassword").check(JSON.readTree(secret.body()), "passwordCredential", true);
        assertThat(JSON.readTree(secret.body()).path("secretText").asText())
                .as("addPassword is the one answer that carries the secret").isNotBlank();
        assertThat(problems).isEmpty();
    }

    static String token(Map<String, String> form) throws Exception {
        HttpResponse<String> r = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(form));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static HttpResponse<String> send(String method, String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + appToken).header("Content-Type", "application/json").build());
    }

    static HttpResponse<String> get(Caller caller, String path) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET()
                .header("Authorization", "Bearer " + (caller == Caller.APP ? appToken : userToken)).build());
    }

    static void expect(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.uri() + " " + r.body()).isEqualTo(status);
    }

    static String fill(String text) {
        String out = text;
        for (Map.Entry<String, String> e : ids.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    // ---- the walk -------------------------------------------------------------------------------------------------

    @Test
    void everyObjectOfEveryServedRouteMatchesGraphsMetadata() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> walked = new TreeSet<>();
        int objects = 0;
        for (Route route : ROUTES) {
            String path = fill(route.path());
            JsonNode body = walk(route.caller(), path, fill(route.context()), problems);
            if (body == null) {
                continue;
            }
            walked.add(route.template());
            String type = typeOf(path, problems);
            if (!route.collection()) {
                new Checker(problems, path).check(body, type, true);
                objects++;
                continue;
            }
            JsonNode value = body.path("value");
            if (!value.isArray() || value.isEmpty()) {
                problems.add(path + ": the tenant has no object here, so nothing is checked (seed one)");
                continue;
            }
            for (JsonNode item : value) {
                new Checker(problems, path + " value[]").check(item, type, false);
                objects++;
                if (route.itemPath() == null) {
                    continue;
                }
                String id = item.path("id").asText();
                String itemPath = fill(route.itemPath()).replace("{id}", URLEncoder.encode(id, StandardCharsets.UTF_8));
                JsonNode one = walk(route.caller(), itemPath, fill(route.itemContext()), problems);
                if (one != null) {
                    walked.add(route.itemTemplate());
                    new Checker(problems, itemPath).check(one, typeOf(itemPath, problems), true);
                    objects++;
                }
            }
        }
        System.out.println("MetadataWalkTest: " + walked.size() + " GET routes walked, " + objects + " objects checked");
        assertThat(problems).as("mismatches with Graph's v1.0 metadata").isEmpty();
        assertThat(walked).as("every route of the walk answered").containsAll(routeTemplates());
    }

    /** GET {@code path}: 200 with the expected {@code @odata.context}; null (a problem noted) otherwise. */
    static JsonNode walk(Caller caller, String path, String context, List<String> problems) throws Exception {
        HttpResponse<String> r = get(caller, "/v1.0" + path);
        if (r.statusCode() != 200) {
            problems.add(path + ": " + r.statusCode() + " " + r.body());
            return null;
        }
        JsonNode body = JSON.readTree(r.body());
        String actual = body.path("@odata.context").asText(null);
        if (!(CONTEXT_BASE + context).equals(actual)) {
            problems.add(path + ": @odata.context is " + actual + ", Graph answers " + CONTEXT_BASE + context);
        }
        return body;
    }

    /** The type the metadata gives what {@code path} names. */
    static String typeOf(String path, List<String> problems) {
        List<String> segments = List.of(path.substring(1).split("/"));
        return switch (METADATA.resolve(segments)) {
            case GraphMetadata.Resolution.Known k when k.type() != null -> k.type();
            case GraphMetadata.Resolution.Known k -> {
                problems.add(path + ": the metadata gives no type");
                yield "entity";
            }
            case GraphMetadata.Resolution.Unknown u -> {
                problems.add(path + ": the metadata does not know segment '" + u.segment() + "'");
                yield "entity";
            }
        };
    }

    // ---- the served routes, as the product answers them -----------------------------------------------------------

    @Test
    void theWalkCoversEveryServedGetRoute() {
        Set<String> served = new GraphData(server.consentry().store()).routes().stream().filter(r -> r.method().equals("GET"))
                .map(GraphRoutes.Route::template).collect(Collectors.toCollection(TreeSet::new));
        assertThat(served).as("GET routes the resources serve; each needs a walk entry in ROUTES")
                .containsExactlyInAnyOrderElementsOf(routeTemplates());
    }

    static Set<String> routeTemplates() {
        Set<String> out = new TreeSet<>();
        for (Route r : ROUTES) {
            out.add(r.template());
            if (r.itemTemplate() != null) {
                out.add(r.itemTemplate());
            }
        }
        return out;
    }

    // ---- the checks -----------------------------------------------------------------------------------------------

    /**
     * Values Graph never reads back, by type and property: {@code passwordProfile.password} (written on create and
     * change, never answered), {@code passwordCredential.secretText} (only in addPassword's answer,
     * https://learn.microsoft.com/graph/api/resources/passwordcredential), {@code keyCredential.key} (only with
     * {@code $select=keyCredentials} on one application or service principal, otherwise null,
     * https://learn.microsoft.com/graph/api/resources/keycredential; the walk never selects it) and
     * {@code softwareOathAuthenticationMethod.secretKey} (the resource page says it always returns null,
     * https://learn.microsoft.com/graph/api/resources/softwareoathauthenticationmethod).
     */
    static final Map<String, Set<String>> NEVER_READ_BACK = Map.of("passwordProfile", Set.of("password"),
            "passwordCredential", Set.of("secretText"), "keyCredential", Set.of("key"),
            "softwareOathAuthenticationMethod", Set.of("secretKey"));
    static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final Set<String> OBJECT_ANNOTATIONS = Set.of("@odata.type", "@odata.id", "@odata.etag", "@odata.context",
            "@odata.count", "@odata.nextLink");

    /** Checks objects against the metadata, adding one line per mismatch to {@code problems}. */
    record Checker(List<String> problems, String where) {
        /**
         * {@code node} as an instance of {@code type} (or of the derived type its {@code @odata.type} names);
         * {@code secretsAllowed} only for the addPassword answer.
         */
        void check(JsonNode node, String type, boolean secretsAllowed) {
            object(where, node, type, secretsAllowed);
        }

        private void object(String at, JsonNode node, String declared, boolean secretsAllowed) {
            if (!node.isObject()) {
                problems.add(at + ": expected a " + declared + " object, got " + node.getNodeType());
                return;
            }
            String type = GraphMetadata.shortName(declared);
            JsonNode odataType = node.get("@odata.type");
            if (odataType != null) {
                String named = odataType.asText();
                if (!named.startsWith("#")) {
                    problems.add(at + ": @odata.type '" + named + "' does not start with '#'");
                }
                String name = GraphMetadata.shortName(named.startsWith("#") ? named.substring(1) : named);
                if (METADATA.type(name).isEmpty() || !METADATA.isA(name, type)) {
                    problems.add(at + ": @odata.type '" + named + "' is not " + type + " or a type derived from it");
                } else {
                    type = name;
                }
            }
            Map<String, GraphMetadata.Property> properties = METADATA.properties(type);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                if (name.startsWith("@")) {
                    if (!OBJECT_ANNOTATIONS.contains(name)) {
                        problems.add(at + ": unknown annotation " + name);
                    }
                    continue;
                }
                int annotation = name.indexOf('@');
                if (annotation > 0) {
                    if (!properties.containsKey(name.substring(0, annotation))) {
                        problems.add(at + ": annotation " + name + " of a property " + type + " does not have");
                    }
                    continue;
                }
                GraphMetadata.Property p = properties.get(name);
                if (p == null) {
                    problems.add(at + ": " + type + " has no property '" + name + "'"
                            + METADATA.property(type, name).map(q -> " (Graph spells it '" + q.name() + "')").orElse(""));
                    continue;
                }
                String path = at + "." + name;
                if (!secretsAllowed && NEVER_READ_BACK.getOrDefault(type, Set.of()).contains(name)
                        && !field.getValue().isNull()) {
                    problems.add(path + ": Graph never returns this value here");
                }
                value(path, field.getValue(), p, secretsAllowed);
            }
        }

        private void value(String at, JsonNode v, GraphMetadata.Property p, boolean secretsAllowed) {
            if (v.isNull()) {
                if (!p.nullable() && !p.collection()) {
                    problems.add(at + ": null, but " + p.type() + " is not nullable");
                }
                return;
            }
            if (p.collection()) {
                if (!v.isArray()) {
                    problems.add(at + ": expected an array of " + p.type() + ", got " + v.getNodeType());
                    return;
                }
                for (int i = 0; i < v.size(); i++) {
                    single(at + "[" + i + "]", v.get(i), p.type(), secretsAllowed);
                }
                return;
            }
            single(at, v, p.type(), secretsAllowed);
        }

        private void single(String at, JsonNode v, String type, boolean secretsAllowed) {
            if (v.isNull()) {
                problems.add(at + ": null element of a collection of " + type);
                return;
            }
            if (GraphMetadata.isPrimitive(type)) {
                primitive(at, v, type);
                return;
            }
            Optional<GraphMetadata.Type> t = METADATA.type(type);
            if (t.isEmpty()) {
                problems.add(at + ": the metadata has no type " + type);
                return;
            }
            if (t.get().kind() == GraphMetadata.Kind.ENUMERATION) {
                if (!v.isTextual()) {
                    problems.add(at + ": expected a member of " + type + " as a string, got " + v);
                    return;
                }
                // A flags enumeration writes several members separated by commas.
                for (String member : v.asText().split(",")) {
                    if (!t.get().members().contains(member.strip())) {
                        problems.add(at + ": '" + member.strip() + "' is not a member of " + type + " " + t.get().members());
                    }
                }
                return;
            }
            object(at, v, type, secretsAllowed);
        }

        private void primitive(String at, JsonNode v, String type) {
            boolean ok = switch (type) {
                case "Edm.String" -> v.isTextual();
                case "Edm.Boolean" -> v.isBoolean();
                case "Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte" -> v.isIntegralNumber();
                case "Edm.Double", "Edm.Single", "Edm.Decimal" -> v.isNumber()
                        || v.isTextual() && Set.of("NaN", "INF", "-INF").contains(v.asText());
                case "Edm.Guid" -> v.isTextual() && GUID.matcher(v.asText()).matches();
                case "Edm.DateTimeOffset" -> v.isTextual() && parses(() -> OffsetDateTime.parse(v.asText()));
                case "Edm.Date" -> v.isTextual() && parses(() -> LocalDate.parse(v.asText()));
                case "Edm.TimeOfDay" -> v.isTextual() && parses(() -> LocalTime.parse(v.asText()));
                case "Edm.Duration" -> v.isTextual() && parses(() -> Duration.parse(v.asText()));
                case "Edm.Binary" -> v.isTextual() && parses(() -> Base64.getDecoder().decode(v.asText()));
                default -> true; // Edm.Stream, Edm.Untyped and the like: any JSON value
            };
            if (!ok) {
                problems.add(at + ": " + v + " is not an " + type + (type.equals("Edm.DateTimeOffset")
                        ? " (ISO 8601 with an offset, e.g. 2026-11-01T08:00:00Z)" : ""));
            }
        }

        private static boolean parses(Runnable parse) {
            try {
                parse.run();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
