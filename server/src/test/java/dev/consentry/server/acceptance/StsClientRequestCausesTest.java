package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;
import com.microsoft.aad.msal4j.MsalServiceException;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.HtmlForms;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request-shape and tenant causes of the token endpoint. A malformed request no library sends is sent as curl would
 * send it (Java's HttpClient), corrected as its diagnosis's fix says, and sent again; a wrong authority is given to
 * MSAL4J, which then gets its token once the authority is the one the diagnosis names.
 */
class StsClientRequestCausesTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRAPH_DEFAULT = "https://graph.microsoft.com/.default";
    private static final String TOKEN_PATH = "/" + TestTenant.TENANT + "/oauth2/v2.0/token";

    @BeforeEach
    void freshTenants() {
        Diagnosed.reset(server);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The daemon's client-credentials parameters, in the order curl's {@code -d} flags would give them. */
    private static Map<String, String> daemon() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "client_credentials");
        p.put("client_id", TestTenant.DAEMON.toString());
        p.put("client_secret", TestTenant.DAEMON_SECRET);
        p.put("scope", GRAPH_DEFAULT);
        return p;
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return server.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> postForm(String body) {
        return send("POST", TOKEN_PATH, "application/x-www-form-urlencoded", body);
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** The refusal's diagnosis, read by the trace id of its Entra error body, after checking the answer's status. */
    private static Diagnosis refused(HttpResponse<String> r, Cause cause) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(cause.status());
        String trace = json(r).path("trace_id").asText();
        assertThat(trace).as(r.body()).isNotBlank();
        return Diagnosed.as(server, trace, cause);
    }

    /** Asserts a token was issued, and that the diagnostics API recorded it as allowed. */
    private static void issued(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("access_token").asText()).isNotBlank();
        Diagnosed.allowed(server, r.headers().firstValue("x-ms-request-id").orElseThrow());
    }

    private static ConfidentialClientApplication msal(String authority, IHttpClient http, boolean instanceDiscovery)
            throws Exception {
        var b = ConfidentialClientApplication.builder(TestTenant.DAEMON.toString(),
                ClientCredentialFactory.createFromSecret(TestTenant.DAEMON_SECRET)).authority(authority)
                .instanceDiscovery(instanceDiscovery);
        return (http == null ? b.sslSocketFactory(server.sslContext().getSocketFactory()) : b.httpClient(http)).build();
    }

    private static ConfidentialClientApplication msal(String authority) throws Exception {
        return msal(authority, null, false);
    }

    private static IAuthenticationResult acquire(ConfidentialClientApplication app) throws Exception {
        return app.acquireToken(ClientCredentialParameters.builder(Set.of(GRAPH_DEFAULT)).skipCache(true).build()).get();
    }

    private static MsalServiceException msalRefused(ConfidentialClientApplication app) {
        Throwable t = catchThrowable(() -> acquire(app));
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MsalServiceException.class);
        return (MsalServiceException) t.getCause();
    }

    // ---- request shape ---------------------------------------------------------------------------

    @Test
    @Drives(Cause.METHOD_NOT_ALLOWED)
    void aGetOnTheTokenEndpointIsToldTheMethodToUseAndThenGetsItsToken() {
        String query = HtmlForms.encode(daemon());
        Diagnosis d = refused(send("GET", TOKEN_PATH + "?" + query, null, null), Cause.METHOD_NOT_ALLOWED);
        assertThat(d.facts()).containsEntry("method", "GET");
        String allowed = d.facts().get("allowed");
        assertThat(d.fix()).contains(allowed);

        issued(send(allowed, TOKEN_PATH, "application/x-www-form-urlencoded", query));
    }

    @Test
    @Drives(Cause.CONTENT_TYPE_UNSUPPORTED)
    void aJsonBodyIsToldToBeAFormAndThenGetsItsToken() throws Exception {
        Map<String, String> params = daemon();
        Diagnosis d = refused(send("POST", TOKEN_PATH, "application/json", JSON.writeValueAsString(params)),
                Cause.CONTENT_TYPE_UNSUPPORTED);
        assertThat(d.facts()).containsEntry("contentType", "application/json");
        String named = d.fix().replaceAll("(?s).*\\b(application/[\\w.+-]+).*", "$1");
        assertThat(named).isEqualTo("application/x-www-form-urlencoded");

        issued(send("POST", TOKEN_PATH, named, HtmlForms.encode(params)));
    }

    @Test
    @Drives(Cause.REQUEST_TOO_LARGE)
    void anOversizedBodyIsToldItsLimitAndAnOrdinaryRequestGetsItsToken() {
        Map<String, String> padded = daemon();
        padded.put("padding", "x".repeat(70_000));
        Diagnosis d = refused(postForm(HtmlForms.encode(padded)), Cause.REQUEST_TOO_LARGE);
        long limit = Long.parseLong(d.facts().get("limit"));
        assertThat(Long.parseLong(d.facts().get("size"))).isGreaterThan(limit);

        // The fix: a smaller request, the same parameters without the padding, under the named limit.
        String smaller = HtmlForms.encode(daemon());
        assertThat((long) smaller.getBytes(StandardCharsets.UTF_8).length).isLessThan(limit);
        issued(postForm(smaller));
    }

    @Test
    @Drives(Cause.PARAMETER_MISSING)
    void aRequestWithoutGrantTypeIsToldToAddItAndThenGetsItsToken() {
        Map<String, String> params = daemon();
        params.remove("grant_type");
        Diagnosis d = refused(postForm(HtmlForms.encode(params)), Cause.PARAMETER_MISSING);
        String parameter = d.facts().get("parameter");
        assertThat(parameter).isEqualTo("grant_type");
        assertThat(d.fix()).contains("'" + parameter + "'");

        Map<String, String> fixed = new LinkedHashMap<>();
        fixed.put(parameter, "client_credentials");
        fixed.putAll(params);
        issued(postForm(HtmlForms.encode(fixed)));
    }

    @Test
    @Drives(Cause.PARAMETER_INVALID)
    void aBadlyEncodedBodyIsToldWhichParameterToFixAndThenGetsItsToken() {
        // The scope pasted into the body as is, with a stray '%' curl does not encode with -d.
        String body = HtmlForms.encode(daemon()) + "&x-client-note=100%";
        Diagnosis d = refused(postForm(body), Cause.PARAMETER_INVALID);
        String parameter = d.facts().get("parameter");
        assertThat(parameter).as("the parameter whose value is spoilt").isEqualTo("x-client-note");
        assertThat(d.fix()).contains("'" + parameter + "'");
        assertThat(d.facts().get("problem")).contains("percent-encoding").contains("%25");

        // The fix: that parameter's value percent-encoded, as the problem says.
        issued(postForm(HtmlForms.encode(daemon()) + "&" + parameter + "=" + URLEncoder.encode("100%", StandardCharsets.UTF_8)));
    }

    @Test
    @Drives(Cause.PARAMETER_DUPLICATED)
    void aRepeatedScopeIsToldToBeSentOnceAndThenGetsItsToken() {
        String body = HtmlForms.encode(daemon()) + "&scope=" + URLEncoder.encode(GRAPH_DEFAULT, StandardCharsets.UTF_8);
        Diagnosis d = refused(postForm(body), Cause.PARAMETER_DUPLICATED);
        String parameter = d.facts().get("parameter");
        assertThat(parameter).isEqualTo("scope");
        assertThat(d.facts()).containsEntry("count", "2");

        // Send the named parameter once: drop its repetitions after the first.
        List<String> once = new java.util.ArrayList<>();
        boolean seen = false;
        for (String pair : body.split("&")) {
            boolean named = pair.startsWith(parameter + "=");
            if (!named || !seen) {
                once.add(pair);
            }
            seen |= named;
        }
        issued(postForm(String.join("&", once)));
    }

    @Test
    @Drives(Cause.GRANT_TYPE_UNSUPPORTED)
    void anUnknownGrantTypeIsToldTheSupportedOnesAndThenGetsItsToken() {
        Map<String, String> params = daemon();
        params.put("grant_type", "client_credential");
        Diagnosis d = refused(postForm(HtmlForms.encode(params)), Cause.GRANT_TYPE_UNSUPPORTED);
        assertThat(d.facts()).containsEntry("grantType", "client_credential");
        List<String> supported = Arrays.stream(d.facts().get("supported").split("[,\\s]+")).toList();
        assertThat(supported).contains("client_credentials");

        params.put("grant_type", supported.get(supported.indexOf("client_credentials")));
        issued(postForm(HtmlForms.encode(params)));
    }

    // ---- tenant and instance ---------------------------------------------------------------------

    @Test
    @Drives(Cause.TENANT_NOT_FOUND)
    void aMistypedTenantInMsalsAuthorityIsToldTheKnownTenantsAndThenGetsItsToken() throws Exception {
        MsalServiceException e = msalRefused(msal(server.authority("fabrikamm.onmicrosoft.com")));
        assertThat(e.getMessage()).startsWith("AADSTS" + Cause.TENANT_NOT_FOUND.code());
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.TENANT_NOT_FOUND);
        assertThat(d.facts()).containsEntry("tenant", "fabrikamm.onmicrosoft.com");
        // The known tenants read "<id> (<domain>)": the one whose domain was meant gives the authority.
        String known = Arrays.stream(d.facts().get("knownTenants").split(",\\s*"))
                .filter(t -> t.endsWith("(" + TestTenant.DOMAIN + ")")).findFirst().orElseThrow();
        String tenantId = known.substring(0, known.indexOf(' '));

        assertThat(acquire(msal(server.authority(tenantId))).accessToken()).isNotBlank();
    }

    @Test
    @Drives(Cause.TENANT_REQUIRED_FOR_FLOW)
    void clientCredentialsOnCommonIsToldToNameTheTenantAndThenGetsItsToken() throws Exception {
        MsalServiceException e = msalRefused(msal(server.authority("common")));
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.TENANT_REQUIRED_FOR_FLOW);
        assertThat(d.facts()).containsEntry("tenant", "common").containsEntry("grantType", "client_credentials");
        assertThat(d.fix()).contains("https://<host>/<tenant id>/");

        String authority = d.fix().replaceAll("(?s).*(https://<host>/<tenant id>/).*", "$1")
                .replace("https://<host>", server.baseUrl()).replace("<tenant id>", TestTenant.TENANT.toString());
        assertThat(acquire(msal(authority)).accessToken()).isNotBlank();
    }

    /**
     * An HTTP client for MSAL that sends every request to the running Consentry, whatever host MSAL addresses: what an
     * application sees when the Microsoft host names lead to Consentry (a proxy, a hosts file).
     */
    private static final class ToConsentry implements IHttpClient {
        private final HttpClient http = HttpClient.newBuilder().sslContext(server.sslContext()).build();

        @Override
        public IHttpResponse send(com.microsoft.aad.msal4j.HttpRequest request) throws Exception {
            URL url = request.url();
            URI to = URI.create(server.baseUrl() + url.getFile());
            HttpRequest.Builder b = HttpRequest.newBuilder(to);
            request.headers().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Host") && !k.equalsIgnoreCase("Content-Length")) {
                    b.header(k, v);
                }
            });
            b.method(request.httpMethod().name(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(request.body()));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new IHttpResponse() {
                @Override
                public int statusCode() {
                    return r.statusCode();
                }

                @Override
                public Map<String, List<String>> headers() {
                    return r.headers().map();
                }

                @Override
                public String body() {
                    return r.body();
                }
            };
        }
    }

    @Test
    @Drives(Cause.INSTANCE_UNKNOWN)
    void msalWithInstanceDiscoveryOnAMicrosoftAuthorityIsToldConsentrysOriginAndThenGetsItsToken() throws Exception {
        IHttpClient http = new ToConsentry();
        MsalServiceException e = msalRefused(
                msal("https://login.microsoftonline.com/" + TestTenant.TENANT + "/", http, true));
        assertThat(e.errorCode()).isEqualTo("invalid_instance");
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.INSTANCE_UNKNOWN);
        assertThat(d.facts().get("authority")).startsWith("https://login.microsoftonline.com/");
        String origin = d.facts().get("origin");
        assertThat(origin).isEqualTo(server.baseUrl());
        assertThat(d.fix()).contains(origin);

        // The fix's first choice: the authority on Consentry's origin; instance discovery stays on.
        assertThat(acquire(msal(origin + "/" + TestTenant.TENANT + "/", http, true)).accessToken()).isNotBlank();
    }
}
