package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.CauseSource;
import dev.consentry.core.metadata.GraphMetadata;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.PathRule;
import dev.consentry.graph.resource.GraphData;
import dev.consentry.graph.resource.GraphRoutes;
import dev.consentry.identity.grant.GrantType;
import dev.consentry.server.Routing;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.memory.InMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/parity.md}, the parity matrix, is generated here from the code's own registries, so it cannot drift from
 * them: the routes {@link Routing} declared on a running instance, the grant types ({@link GrantType}), the Graph routes
 * served with data ({@link GraphRoutes}, the dispatch table itself), Microsoft's permission data and Graph's metadata
 * (what is authorized and what is known), and the cause catalogue with each message's source ({@link CauseSource}).
 *
 * <p>What cannot be derived is written below once per row: what each endpoint is in Entra and how close it comes, and
 * which test classes prove a row. The clients named in the matrix are read from those classes' own imports (and from
 * the test helpers they import), never written by hand. This test fails when a route, a grant type, a Graph family
 * served with data or a cause exists without a row, when a row names a route that is gone, and when the committed file
 * is stale; {@code -Dconsentry.regenerate=true} rewrites it instead.
 */
class ParityMatrixTest {
    static final Path DOC = Path.of("../docs/parity.md");
    static final Path TEST_SOURCES = Path.of("src/test/java");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An admin route exists only with a data dir (the admin token lives there): start with one. */
    private static final Path DATA_DIR = tempDir();
    static final RunningConsentry server = RunningConsentry.start(new InMemoryStore(), Clock.systemUTC(), DATA_DIR);

    @AfterAll
    static void stop() throws IOException {
        server.close();
        try (var files = Files.walk(DATA_DIR)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("consentry-parity");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- what each HTTP route is, written once ----------------------------------------------------------------------

    /** One route's row: what it is in Entra (or {@code null} for Consentry's own), how close it comes, its proofs. */
    record Endpoint(String entra, String closeness, List<String> provedBy) {}

    static final Map<String, Endpoint> ENDPOINTS = new LinkedHashMap<>();

    private static void sts(String route, String entra, String closeness, String... provedBy) {
        ENDPOINTS.put(route, new Endpoint(entra, closeness, List.of(provedBy)));
    }

    private static void own(String route, String what, String... provedBy) {
        ENDPOINTS.put(route, new Endpoint(null, what, List.of(provedBy)));
    }

    static {
        sts("GET /{tenant}/v2.0/.well-known/openid-configuration", "OpenID discovery, v2.0 (wire spec 1.2)",
                "Same fields and endpoint addresses for a tenant id, a verified domain, common, organizations and consumers",
                "sts.DiscoveryAndKeysTest", "sts.SpringResourceServerTest");
        sts("GET /{tenant}/.well-known/openid-configuration", "OpenID discovery, v1.0",
                "The v1.0 document's fields; its issuer is sts.windows.net, as Entra's", "sts.DiscoveryAndKeysTest");
        sts("GET /{tenant}/discovery/v2.0/keys", "JWKS, v2.0 (wire spec 1.3)",
                "RSA keys with kid, x5t and x5c; rotation keeps the previous key listed", "sts.DiscoveryAndKeysTest",
                "sts.SpringResourceServerTest");
        sts("GET /{tenant}/discovery/keys", "JWKS, v1.0", "The same keys as v2.0", "sts.DiscoveryAndKeysTest");
        sts("GET /{tenant}/oauth2/v2.0/authorize", "Authorize endpoint (wire spec 1.4)",
                "Code flow with PKCE, response_mode query, fragment and form_post, prompt, login_hint, claims challenges; "
                        + "the sign-in pages are Consentry's own", "signin.Msal4jAuthorizationCodeTest",
                "signin.AuthorizeEndpointTest");
        sts("POST /{tenant}/oauth2/v2.0/authorize", "Authorize endpoint, form post", "As GET", "signin.AuthorizeEndpointTest");
        sts("POST /{tenant}/login", "The sign-in page's post (Entra's own address differs)",
                "Consentry's own form, with a CSRF token bound to the browser", "signin.Msal4jAuthorizationCodeTest");
        sts("POST /{tenant}/consent", "The consent prompt's answer (Entra's own address differs)",
                "Consentry's own form; grants what the user accepted", "signin.ConsentPageTest");
        sts("GET /{tenant}/v2.0/adminconsent", "Admin consent endpoint, v2.0",
                "The redirect's parameters (admin_consent, tenant, scope, error) as Entra's", "signin.AdminConsentTest");
        sts("GET /{tenant}/adminconsent", "Admin consent endpoint, v1.0", "As v2.0", "signin.AdminConsentTest");
        sts("GET /{tenant}/oauth2/v2.0/logout", "End-session endpoint (wire spec 1.7)",
                "Ends the browser session; post_logout_redirect_uri only when registered", "signin.LogoutTest");
        sts("POST /{tenant}/oauth2/v2.0/logout", "End-session endpoint, form post", "As GET", "signin.LogoutTest");
        sts("GET /oidc/userinfo", "UserInfo (graph.microsoft.com/oidc/userinfo)",
                "sub, name, given_name, family_name, email, picture as Entra's; a Graph token is required",
                "sts.UserInfoTest");
        sts("POST /oidc/userinfo", "UserInfo, form post", "As GET", "sts.UserInfoTest");
        sts("POST /{tenant}/oauth2/v2.0/devicecode", "Device authorization endpoint (wire spec 1.6)",
                "device_code, user_code, verification_uri, expires_in, interval, message", "signin.DeviceCodeTest");
        sts("GET /{tenant}/oauth2/v2.0/devicecode", "Device authorization endpoint, wrong method",
                "AADSTS900561, as Entra answers a GET", "signin.DeviceCodeTest");
        sts("GET /devicelogin", "microsoft.com/devicelogin", "Consentry's own page at its own address",
                "signin.DeviceCodeTest");
        sts("POST /devicelogin", "microsoft.com/devicelogin, the code's post", "Consentry's own form", "signin.DeviceCodeTest");
        sts("POST /{tenant}/oauth2/v2.0/token", "Token endpoint (wire spec 1.5)",
                "The grants below; errors are the AADSTS bodies of section 4", "sts.Msal4jClientCredentialsTest",
                "sts.TokenEndpointProtocolTest");
        for (String method : List.of("GET", "PUT", "PATCH", "DELETE")) {
            sts(method + " /{tenant}/oauth2/v2.0/token", "Token endpoint, wrong method",
                    "AADSTS900561 with Entra's text", "sts.TokenEndpointProtocolTest");
        }
        sts("GET /common/discovery/instance", "Instance discovery (wire spec 1.8)",
                "tenant_discovery_endpoint and metadata for the host MSAL is given", "sts.Msal4jClientCredentialsTest");
        sts("GET /common/userrealm/{upn}", "User realm (wire spec 1.9)",
                "Managed for a verified domain of any tenant, Unknown otherwise", "sts.Msal4jUsernamePasswordTest");
        for (String prefix : List.of("/v1.0", "/beta")) {
            for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                sts(method + " " + prefix, "Microsoft Graph " + prefix + " service root", "See Microsoft Graph below",
                        "graph.GraphSdkTest");
                sts(method + " " + prefix + "/*", "Microsoft Graph " + prefix, "See Microsoft Graph below",
                        "graph.GraphSdkTest");
            }
        }
        own("GET /error", "What an AADSTS code means here; every error_uri points to it", "signin.AuthorizeEndpointTest",
                "acceptance.StsCrossOriginCausesTest");
        own("GET /consentry/health", "Readiness: a bare 200 (also the benchmarks' baseline)", "signin.Msal4jAuthorizationCodeTest");
        own("GET /consentry/diagnostics", "The recorded decisions, newest first, as JSON", "diagnostics.DiagnosisApiTest");
        own("GET /consentry/diagnostics/{id}", "One decision (a request id of Graph or the token service) as JSON",
                "diagnostics.DiagnosisApiTest");
        own("POST /consentry/diagnostics/what-if", "The decision a changed call or token would get", "diagnostics.WhatIfTest");
        own("GET /consentry/what-if", "The what-if page", "diagnostics.WhatIfPageTest");
        own("POST /consentry/what-if", "The what-if page's form", "diagnostics.WhatIfPageTest");
        own("GET /consentry/diagnosis", "The recent failures page", "diagnostics.FailuresPageTest");
        own("GET /consentry/diagnosis/{id}", "One decision's page", "diagnostics.DiagnosisPageTest");
        own("POST /consentry/admin/tenants", "Import tenant files (admin token)", "cli:RunningServerCommandsTest");
        own("GET /consentry/admin/tenants", "Export the directory as tenant files (admin token)", "cli:RunningServerCommandsTest");
        own("GET /consentry/admin/keys", "The signing keys (admin token)", "cli:RunningServerCommandsTest");
        own("POST /consentry/admin/keys/rotate", "Rotate the signing key (admin token)", "cli:RunningServerCommandsTest");
        own("POST /consentry/admin/grants", "Grant permissions to an app (admin token)", "cli:RunningServerCommandsTest");
        own("POST /consentry/admin/consents", "Consent for a user (admin token)", "cli:RunningServerCommandsTest");
        own("GET /consentry/admin/permission-use", "Least-privilege report: the permissions each app used",
                "cli:PermissionsClientIdTest");
    }

    // ---- the grant types, written once ------------------------------------------------------------------------------

    static final Map<GrantType, List<String>> GRANTS = new EnumMap<>(GrantType.class);

    static {
        GRANTS.put(GrantType.CLIENT_CREDENTIALS, List.of("sts.Msal4jClientCredentialsTest", "acceptance.StsClientCredentialCausesTest"));
        GRANTS.put(GrantType.AUTHORIZATION_CODE, List.of("signin.Msal4jAuthorizationCodeTest", "browser.ChromiumSmokeTest"));
        GRANTS.put(GrantType.REFRESH_TOKEN, List.of("signin.Msal4jAuthorizationCodeTest", "acceptance.StsGrantCausesTest"));
        GRANTS.put(GrantType.PASSWORD, List.of("sts.Msal4jUsernamePasswordTest"));
        GRANTS.put(GrantType.JWT_BEARER, List.of("sts.Msal4jOnBehalfOfTest"));
        GRANTS.put(GrantType.DEVICE_CODE, List.of("signin.DeviceCodeTest"));
    }

    // ---- the Graph families served with data, and what proves them --------------------------------------------------

    static final Map<String, List<String>> GRAPH_PROOFS = new TreeMap<>();
    /** What proves the decision of any Graph route, served or not. */
    static final List<String> AUTHORIZATION_PROOFS = List.of("graph.GraphAuthorizationTest", "graph.SampledPathsTest");

    static {
        GRAPH_PROOFS.put("me", List.of("graph.GraphSdkTest", "graph.WorkloadDataTest", "graph.AuthenticationMethodsTest"));
        GRAPH_PROOFS.put("users", List.of("graph.GraphSdkTest", "graph.DirectoryResourcesTest", "graph.WorkloadDataTest",
                "graph.AuthenticationMethodsTest"));
        GRAPH_PROOFS.put("organization", List.of("graph.DirectoryResourcesTest"));
        GRAPH_PROOFS.put("subscribedskus", List.of("graph.DirectoryResourcesTest"));
        GRAPH_PROOFS.put("applications", List.of("graph.AppManagementTest", "graph.AppManagementKeysTest",
                "graph.AppManagementOwnersTest"));
        GRAPH_PROOFS.put("serviceprincipals", List.of("graph.AppManagementTest", "graph.AppManagementKeysTest",
                "acceptance.GraphAppRoleCausesTest"));
        GRAPH_PROOFS.put("groups", List.of("graph.GraphSdkTest", "graph.DirectoryResourcesTest"));
        GRAPH_PROOFS.put("directoryroles", List.of("acceptance.GraphRightsCausesTest", "graph.DirectoryResourcesTest"));
        GRAPH_PROOFS.put("rolemanagement", List.of("acceptance.GraphRightsCausesTest"));
        GRAPH_PROOFS.put("oauth2permissiongrants", List.of("acceptance.GraphPermissionCausesTest"));
        GRAPH_PROOFS.put("policies", List.of("acceptance.StsPolicyConsentCausesTest"));
        GRAPH_PROOFS.put("identitygovernance", List.of("acceptance.StsPolicyConsentCausesTest"));
        GRAPH_PROOFS.put("identity", List.of("graph.ConditionalAccessPoliciesTest", "graph.NamedLocationsGraphTest",
                "graph.AuthenticationContextsGraphTest"));
        GRAPH_PROOFS.put("devices", List.of("graph.DevicesGraphTest"));
        GRAPH_PROOFS.put("auditlogs", List.of("graph.AuditLogsGraphTest"));
    }

    // ---- the tests --------------------------------------------------------------------------------------------------

    @Test
    void everyDeclaredRouteHasARowAndEveryRowARoute() {
        Set<String> declared = server.consentry().routes().stream().map(Routing.Route::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(ENDPOINTS.keySet())).as("rows of ENDPOINTS against the routes Routing declared")
                .containsExactlyElementsOf(declared);
    }

    @Test
    void everyGrantTypeHasARowAndIsServedAndNoOtherIs() {
        assertThat(GRANTS.keySet()).containsExactlyInAnyOrder(GrantType.values());
        for (GrantType g : GrantType.values()) {
            JsonNode answer = token("grant_type=" + URLEncoder.encode(g.wireName(), StandardCharsets.UTF_8));
            assertThat(answer.path("error_codes").toString()).as(g.wireName() + " is served").doesNotContain("70003");
        }
        JsonNode other = token("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange");
        assertThat(other.path("error").asText()).isEqualTo("unsupported_grant_type");
        assertThat(other.path("error_codes").toString()).contains("70003");
    }

    @Test
    void everyServedGraphRouteIsAuthorizedByThePermissionDataAndItsFamilyHasProofs() {
        Set<String> authorized = authorizedRoutes();
        Set<String> unmatched = servedRoutes().stream().map(GraphRoutes.Route::toString).filter(r -> !authorized.contains(r))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(unmatched).as("served routes the engine never matches").isEmpty();
        Set<String> servedFamilies = servedRoutes().stream().map(r -> family(r.template()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(GRAPH_PROOFS.keySet()).as("families served with data, each with its proofs")
                .containsExactlyElementsOf(servedFamilies);
    }

    @Test
    void everyCauseIsARowAndEveryProvingClassExists() {
        String doc = render();
        for (Cause c : Cause.values()) {
            assertThat(doc).contains("| `" + c.slug() + "` |");
        }
        List<String> named = new ArrayList<>();
        ENDPOINTS.values().forEach(e -> named.addAll(e.provedBy()));
        GRANTS.values().forEach(named::addAll);
        GRAPH_PROOFS.values().forEach(named::addAll);
        named.addAll(AUTHORIZATION_PROOFS);
        for (String test : named) {
            assertThat(source(test)).as("the source of " + test).exists();
        }
    }

    @Test
    void committedMatrixIsCurrent() throws IOException {
        String rendered = render();
        if (Boolean.getBoolean("consentry.regenerate")) {
            Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
        }
        assertThat(DOC).as("docs/parity.md beside the server module").exists();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as(DOC + " is stale: regenerate with -Dconsentry.regenerate=true (see the file's head)")
                .isEqualTo(rendered);
    }

    // ---- the data ---------------------------------------------------------------------------------------------------

    private static JsonNode token(String body) {
        HttpResponse<String> r = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", body);
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<GraphRoutes.Route> servedRoutes() {
        return new GraphData(server.consentry().store()).routes();
    }

    /**
     * Every method and template of Microsoft's permission data (what the engine authorizes), as "METHOD template" with
     * the template in lower case, as the engine matches paths.
     */
    static Set<String> authorizedRoutes() {
        Set<String> out = new TreeSet<>();
        for (PathRule rule : GraphPermissionCatalogue.builtin().pathRules()) {
            rule.methods().forEach(m -> out.add(m + " " + rule.template().toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    /** A template's family: its first segment, without a key ({@code applications(appid={value})} is applications). */
    static String family(String template) {
        String first = template.substring(1).split("/", 2)[0];
        int paren = first.indexOf('(');
        return (paren < 0 ? first : first.substring(0, paren)).toLowerCase(Locale.ROOT);
    }

    // ---- the clients a test class uses, read from its imports --------------------------------------------------------

    /** Import prefixes (or whole classes) and the client they mean; first match per import. */
    static final Map<String, String> CLIENTS = new LinkedHashMap<>();

    static {
        CLIENTS.put("com.microsoft.aad.msal4j.", "MSAL4J");
        CLIENTS.put("com.azure.identity.", "azure-identity");
        CLIENTS.put("com.microsoft.graph.", "Graph Java SDK");
        CLIENTS.put("dev.consentry.server.testing.GraphSdk", "Graph Java SDK");
        CLIENTS.put("dev.consentry.testkit.GraphSdkClients", "Graph Java SDK");
        CLIENTS.put("org.springframework.security.", "Spring Security");
        CLIENTS.put("org.openqa.selenium.", "Chromium");
        CLIENTS.put("dev.consentry.server.browser.Chromium", "Chromium");
        CLIENTS.put("dev.consentry.cli.", "consentry CLI");
    }

    /**
     * The source file of a proving test class: {@code "sts.DiscoveryAndKeysTest"} is a class of this module under
     * {@code dev.consentry.server}, {@code "cli:RunningServerCommandsTest"} one of another module under
     * {@code dev.consentry.<module>}.
     */
    static Path source(String test) {
        int colon = test.indexOf(':');
        if (colon < 0) {
            return TEST_SOURCES.resolve("dev/consentry/server/" + test.replace('.', '/') + ".java");
        }
        String module = test.substring(0, colon);
        return Path.of("..", module, "src/test/java/dev/consentry", module, test.substring(colon + 1) + ".java");
    }

    /** The clients {@code test} uses: its own imports and those of the project's test helpers it imports. */
    static Set<String> clients(String test) {
        Set<String> out = new TreeSet<>();
        for (String imported : imports(source(test))) {
            out.addAll(clientsOf(imported));
            if (imported.startsWith("dev.consentry.server.testing.") && !imported.endsWith(".RunningConsentry")) {
                Path helper = TEST_SOURCES.resolve(imported.replace('.', '/') + ".java");
                if (Files.exists(helper)) {
                    imports(helper).forEach(inner -> out.addAll(clientsOf(inner)));
                }
            }
        }
        if (out.isEmpty()) {
            out.add("HTTP");
        }
        return out;
    }

    private static Set<String> clientsOf(String imported) {
        return CLIENTS.entrySet().stream().filter(e -> imported.startsWith(e.getKey())).findFirst()
                .map(e -> Set.of(e.getValue())).orElse(Set.of());
    }

    private static List<String> imports(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("import "))
                    .map(l -> l.substring(7).replace("static ", "").replace(";", "").trim()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "MSAL4J, Graph Java SDK (GraphSdkTest, ...)": the union of the classes' clients, then the classes. */
    static String proofs(List<String> tests) {
        Set<String> clients = new TreeSet<>();
        tests.forEach(t -> clients.addAll(clients(t)));
        return String.join(", ", clients) + " (" + tests.stream().map(t -> t.substring(Math.max(t.lastIndexOf('.'),
                t.lastIndexOf(':')) + 1)).collect(Collectors.joining(", ")) + ")";
    }

    // ---- the rendering ----------------------------------------------------------------------------------------------

    static String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Parity with Microsoft Entra ID and Microsoft Graph\n\n")
                .append("Generated by `ParityMatrixTest` (server module) from the code's own registries; do not edit by")
                .append(" hand. The test fails when a route, a grant type, a Graph family served with data or a cause")
                .append(" has no row, or when this file is stale. After a change, regenerate it:\n\n")
                .append("```sh\nmvn -B install -pl server -am -DskipTests -q && mvn -B -pl server test")
                .append(" -Dtest=ParityMatrixTest -Dconsentry.regenerate=true\n```\n\n")
                .append("**Proved by** names the real clients that the named test classes drive, read from the classes'")
                .append(" imports and those of the test helpers they import; **HTTP** means requests sent by the JDK's")
                .append(" HTTP client, as curl would send them. MSAL Python, msal-node, the Graph JavaScript client and")
                .append(" curl are proved by `OtherStacksTest` and the client helpers' own tests (README, \"In pytest\"")
                .append(" and \"In Node tests\"); azure-identity by `AzureIdentityTest` in the junit module.\n\n");
        renderEndpoints(out);
        renderGrants(out);
        renderGraph(out);
        renderCauses(out);
        return out.toString();
    }

    private static void renderEndpoints(StringBuilder out) {
        List<Routing.Route> routes = server.consentry().routes();
        List<String> sts = new ArrayList<>();
        List<String> own = new ArrayList<>();
        for (Routing.Route r : routes) {
            Endpoint e = ENDPOINTS.get(r.toString());
            if (e == null) {
                continue; // everyDeclaredRouteHasARowAndEveryRowARoute says so
            }
            if (e.entra() != null) {
                sts.add("| " + r.method() + " | `" + r.path() + "` | " + cell(e.entra()) + " | " + cell(e.closeness()) + " | "
                        + cell(proofs(e.provedBy())) + " |");
            } else {
                own.add("| " + r.method() + " | `" + r.path() + "` | " + cell(e.closeness()) + " | "
                        + cell(proofs(e.provedBy())) + " |");
            }
        }
        out.append("## 1. Endpoints of the identity platform and of Graph\n\n")
                .append("Every route `Routing` declares that has a counterpart in Entra ID or Graph (").append(sts.size())
                .append(" routes). Errors on each are the causes of section 4, with Entra's status and code; any other")
                .append(" path answers a JSON 404.\n\n")
                .append("| method | path | in Entra | how close | proved by |\n|---|---|---|---|---|\n");
        sts.forEach(l -> out.append(l).append('\n'));
        out.append("\n### Consentry's own endpoints\n\n")
                .append("Routes with no counterpart in Entra (").append(own.size()).append(" routes): the diagnosis, the")
                .append(" what-if and the administration.\n\n")
                .append("| method | path | what it is | proved by |\n|---|---|---|---|\n");
        own.forEach(l -> out.append(l).append('\n'));
        out.append('\n');
    }

    private static void renderGrants(StringBuilder out) {
        out.append("## 2. Grant types of the token endpoint\n\n")
                .append("Every `grant_type` Consentry serves (the test posts each and sees it taken, not refused with")
                .append(" AADSTS70003). Any other value, such as token exchange or the SAML bearer grants, is refused with")
                .append(" `unsupported_grant_type` AADSTS70003, as Entra refuses a grant it does not support.\n\n")
                .append("| grant_type | proved by |\n|---|---|\n");
        for (GrantType g : GrantType.values()) {
            out.append("| `").append(g.wireName()).append("` | ").append(cell(proofs(GRANTS.get(g)))).append(" |\n");
        }
        out.append('\n');
    }

    private static void renderGraph(StringBuilder out) {
        Set<String> authorized = authorizedRoutes();
        Set<GraphRoutes.Route> served = servedRoutes();
        Map<String, int[]> families = new TreeMap<>();
        for (String route : authorized) {
            String template = route.substring(route.indexOf(' ') + 1);
            families.computeIfAbsent(family(template), f -> new int[2])[0]++;
        }
        for (GraphRoutes.Route r : served) {
            families.computeIfAbsent(family(r.template()), f -> new int[2])[1]++;
        }
        GraphMetadata metadata = GraphMetadata.v1();
        Set<String> roots = new TreeSet<>();
        metadata.entitySets().forEach(r -> roots.add(r.name()));
        metadata.singletons().forEach(r -> roots.add(r.name()));
        List<String> metadataOnly = roots.stream().filter(r -> !families.containsKey(r.toLowerCase(Locale.ROOT))).toList();

        out.append("## 3. Microsoft Graph\n\n")
                .append("A Graph call is first decided by the authorization engine on Microsoft's permission data (the")
                .append(" same decision for every route, served or not); an allowed call is then answered from the")
                .append(" directory when its route is **served with data**, else with `501 notImplemented` naming the")
                .append(" route. The permission data holds ").append(authorized.size()).append(" routes (method and path")
                .append(" template, v1.0 and beta) in ").append(families.size()).append(" families (a path's first")
                .append(" segment); ").append(served.size()).append(" are served with data (the dispatch table,")
                .append(" `GraphRoutes`).\n\n")
                .append("- **Served with data**: status, body shape and `@odata` annotations as Graph's, checked against")
                .append(" Graph's v1.0 metadata by `MetadataWalkTest` and `GraphBodyShapeTest`.\n")
                .append("- **Authorized, answered 501**: the 401 and 403 decisions are exact; the success is not served.\n")
                .append("- **Known only by the metadata** (").append(metadataOnly.size()).append(" entity sets and")
                .append(" singletons below): `501 notImplemented` (`route-without-permission-data`), never a wrong 403.\n")
                .append("- **Not known**: any other path is Graph's `400 BadRequest` \"Resource not found for the segment")
                .append(" '...'\" (`unknown-path`), naming the first unknown segment.\n\n")
                .append("### Route families\n\n")
                .append("| family | routes in the permission data | served with data | authorized, answered 501 |")
                .append(" proved by |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, int[]> f : families.entrySet()) {
            int[] n = f.getValue();
            List<String> proof = GRAPH_PROOFS.get(f.getKey());
            out.append("| `/").append(f.getKey()).append("` | ").append(n[0]).append(" | ").append(n[1]).append(" | ")
                    .append(Math.max(0, n[0] - n[1])).append(" | ")
                    .append(cell(proof == null ? "authorization only: " + proofs(AUTHORIZATION_PROOFS) : proofs(proof)))
                    .append(" |\n");
        }
        out.append("\n### Routes served with data\n\n| method | template |\n|---|---|\n");
        served.stream().sorted(java.util.Comparator.comparing(GraphRoutes.Route::template)
                        .thenComparing(GraphRoutes.Route::method))
                .forEach(r -> out.append("| ").append(r.method()).append(" | `").append(r.template()).append("` |\n"));
        out.append("\n### Known only by the metadata\n\n")
                .append("Entity sets and singletons of Graph's v1.0 metadata with no route in the permission data: ")
                .append(metadataOnly.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "))).append(".\n\n");
    }

    private static void renderCauses(StringBuilder out) {
        Map<Cause, Set<String>> drivenBy = new EnumMap<>(Cause.class);
        for (Class<?> c : EveryCauseIsDrivenTest.ACCEPTANCE) {
            for (Method m : c.getDeclaredMethods()) {
                Drives d = m.getAnnotation(Drives.class);
                if (d != null) {
                    drivenBy.computeIfAbsent(d.value(), k -> new LinkedHashSet<>()).add("acceptance." + c.getSimpleName());
                }
            }
        }
        Map<CauseSource.Kind, Integer> kinds = new EnumMap<>(CauseSource.Kind.class);
        Arrays.stream(Cause.values()).forEach(c -> kinds.merge(CauseSource.of(c).kind(), 1, Integer::sum));
        out.append("## 4. Causes\n\n")
                .append("Every answer Consentry refuses with (").append(Cause.values().length).append(" causes), its")
                .append(" status and wire code, how exact they are, and the client that drives it to the refusal and then")
                .append(" to the fix (the acceptance tests marked `@Drives`). Where each message comes from, with")
                .append(" addresses and dates, is in [causes.md](causes.md).\n\n")
                .append("- **Status and code**: *exact* when the real service's answer was captured")
                .append(" (observed-responses.md, ").append(kinds.getOrDefault(CauseSource.Kind.OBSERVED, 0))
                .append(" causes); *as published* when a public report shows it (")
                .append(kinds.getOrDefault(CauseSource.Kind.PUBLISHED, 0)).append("); *chosen* when no capture was found")
                .append(" and Consentry chose the closest code Entra or Graph uses (")
                .append(kinds.getOrDefault(CauseSource.Kind.OWN, 0)).append("); *may differ* when the only public form")
                .append(" found differs from Consentry's answer (causes.md says how).\n")
                .append("- **Message**: *exact* (pinned by a fidelity test to the newest captured form), *as published*,")
                .append(" *best effort* (a public form exists and Consentry's text differs; causes.md says how), or *own*.\n\n")
                .append("| cause | channel | status | code | status and code | message | proved by |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Cause c : Cause.values()) {
            CauseSource s = CauseSource.of(c);
            String code = c.channel() == Cause.Channel.STS ? "`" + c.error() + "` AADSTS" + c.code() : "`" + c.error() + "`";
            boolean differs = s.kind() == CauseSource.Kind.PUBLISHED && s.note().startsWith("Differs");
            String statusAndCode = switch (s.kind()) {
                case OBSERVED -> "exact";
                case PUBLISHED -> differs ? "may differ" : "as published";
                case OWN -> "chosen";
            };
            String message = switch (s.kind()) {
                case OBSERVED -> "exact";
                case PUBLISHED -> differs ? "best effort" : "as published";
                case OWN -> "own";
            };
            Set<String> by = drivenBy.get(c);
            String proof = by != null ? proofs(List.copyOf(by))
                    : "not drivable: " + EveryCauseIsDrivenTest.NOT_DRIVABLE.getOrDefault(c, "(no acceptance test)");
            out.append("| `").append(c.slug()).append("` | ").append(c.channel()).append(" | ").append(c.status())
                    .append(" | ").append(code).append(" | ").append(statusAndCode).append(" | ").append(message)
                    .append(" | ").append(cell(proof)).append(" |\n");
        }
    }

    /** A table cell: pipes escaped, line feeds as spaces. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
