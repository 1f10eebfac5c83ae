package dev.consentry.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.identity.key.Certificates;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Discovery, JWKS and instance discovery on the wire (wire spec, sections 1.2, 1.3, 1.8), including the
 * rule that every published URL is on the origin the client used.
 */
class DiscoveryAndKeysTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();



    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> getVia(String origin, String path) {
        return server.send(HttpRequest.newBuilder(URI.create(origin + path)).GET().build());
    }

    /** Every string value of the document that looks like a URL. */
    static List<String> urls(JsonNode doc) {
        List<String> urls = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : doc.properties()) {
            JsonNode v = entry.getValue();
            if (v.isTextual() && v.asText().startsWith("https://") && !v.asText().startsWith("https://sts.windows.net")
                    && !v.asText().equals("https://pas.windows.net")) {
                urls.add(v.asText());
            }
        }
        return urls;
    }

    @Test
    void tenantDocumentIsOnTheOriginUsedAndNamesTheTenantByGuid() throws Exception {
        JsonNode doc = json(server.get("/" + TestTenant.DOMAIN + "/v2.0/.well-known/openid-configuration"));
        String base = server.baseUrl() + "/" + TestTenant.TENANT;

        assertThat(doc.path("issuer").asText()).isEqualTo(base + "/v2.0");
        assertThat(doc.path("token_endpoint").asText()).isEqualTo(base + "/oauth2/v2.0/token");
        assertThat(doc.path("authorization_endpoint").asText()).isEqualTo(base + "/oauth2/v2.0/authorize");
        assertThat(doc.path("jwks_uri").asText()).isEqualTo(base + "/discovery/v2.0/keys");
        assertThat(doc.path("tenant_region_scope").asText()).isEqualTo("WW");
        assertThat(urls(doc)).allMatch(u -> u.startsWith(server.baseUrl() + "/"));
    }

    @Test
    void sameDocumentVia127001PublishesThatOriginNotLocalhost() throws Exception {
        String origin = "https://127.0.0.1:" + server.consentry().port();
        JsonNode doc = json(getVia(origin, "/" + TestTenant.TENANT + "/v2.0/.well-known/openid-configuration"));

        assertThat(doc.path("issuer").asText()).isEqualTo(origin + "/" + TestTenant.TENANT + "/v2.0");
        assertThat(urls(doc)).isNotEmpty().allMatch(u -> u.startsWith(origin + "/"));
    }

    @Test
    void aConfiguredPublicBaseUrlIsPublishedWhateverOriginWasUsed() throws Exception {
        var config = new dev.consentry.server.ServerConfig("127.0.0.1", 0,
                java.util.Optional.of(URI.create("https://login.consentry.test:9443/")), java.util.Optional.empty(),
                java.time.Clock.systemUTC());
        try (RunningConsentry behindProxy = RunningConsentry.start(config)) {
            JsonNode doc = JSON.readTree(behindProxy.get("/" + TestTenant.TENANT + "/v2.0/.well-known/openid-configuration").body());
            assertThat(doc.path("issuer").asText()).isEqualTo("https://login.consentry.test:9443/" + TestTenant.TENANT + "/v2.0");
            assertThat(urls(doc)).allMatch(u -> u.startsWith("https://login.consentry.test:9443/"));
            assertThat(behindProxy.consentry().baseUrl()).isEqualTo("https://login.consentry.test:9443");
        }
    }

    @Test
    void commonDocumentPublishesTheIssuerTemplate() throws Exception {
        JsonNode doc = json(server.get("/common/v2.0/.well-known/openid-configuration"));

        assertThat(doc.path("issuer").asText()).isEqualTo(server.baseUrl() + "/{tenantid}/v2.0");
        assertThat(doc.path("token_endpoint").asText()).isEqualTo(server.baseUrl() + "/common/oauth2/v2.0/token");
        assertThat(doc.path("tenant_region_scope").isNull()).isTrue();
    }

    @Test
    void consumersDocumentNamesTheConsumersTenant() throws Exception {
        JsonNode doc = json(server.get("/consumers/v2.0/.well-known/openid-configuration"));
        assertThat(doc.path("issuer").asText()).isEqualTo(server.baseUrl() + "/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0");
    }

    @Test
    void theConsumersTenantAlwaysExistsWithTheBuiltInResources() {
        var consumers = dev.consentry.core.builtin.WellKnown.CONSUMERS_TENANT_ID;
        var store = server.consentry().store();
        assertThat(store.tenants().find(consumers)).isPresent();
        assertThat(store.servicePrincipals().findByAppId(consumers, dev.consentry.core.builtin.WellKnown.GRAPH_APP_ID)).isPresent();
    }

    @Test
    void v1DocumentHasTheV1Issuer() throws Exception {
        JsonNode doc = json(server.get("/" + TestTenant.TENANT + "/.well-known/openid-configuration"));
        assertThat(doc.path("issuer").asText()).isEqualTo("https://sts.windows.net/" + TestTenant.TENANT + "/");
        assertThat(doc.path("token_endpoint").asText()).isEqualTo(server.baseUrl() + "/" + TestTenant.TENANT + "/oauth2/token");
    }

    @Test
    void jwksKeysLookLikeEntras() throws Exception {
        JsonNode keys = json(server.get("/" + TestTenant.TENANT + "/discovery/v2.0/keys")).path("keys");

        assertThat(keys.size()).isGreaterThanOrEqualTo(1);
        JsonNode k = keys.get(0);
        assertThat(k.path("kty").asText()).isEqualTo("RSA");
        assertThat(k.path("use").asText()).isEqualTo("sig");
        assertThat(k.has("alg")).as("Entra's keys carry no alg").isFalse();
        assertThat(k.path("x5t").asText()).isEqualTo(k.path("kid").asText());
        X509Certificate cert = Certificates.fromBase64Der(k.path("x5c").get(0).asText());
        assertThat(Certificates.sha1Thumbprint(cert)).isEqualTo(k.path("kid").asText());
        assertThat(k.path("issuer").asText()).isEqualTo(server.baseUrl() + "/{tenantid}/v2.0");
        assertThat(k.path("e").asText()).isEqualTo("AQAB");
        assertThat(json(server.get("/common/discovery/keys")).path("keys").get(0).path("kid").asText())
                .isEqualTo(k.path("kid").asText());
    }

    @Test
    void instanceDiscoveryAnswersWithThisHost() throws Exception {
        JsonNode doc = json(server.get("/common/discovery/instance?api-version=1.1&authorization_endpoint="
                + server.baseUrl() + "/" + TestTenant.TENANT + "/oauth2/v2.0/authorize"));

        assertThat(doc.path("tenant_discovery_endpoint").asText())
                .isEqualTo(server.baseUrl() + "/" + TestTenant.TENANT + "/v2.0/.well-known/openid-configuration");
        assertThat(doc.path("metadata").get(0).path("preferred_network").asText()).isEqualTo("localhost");
        assertThat(doc.path("metadata").get(0).path("aliases").get(0).asText()).isEqualTo("localhost");
    }

    @Test
    void unknownPathIsJson404() throws Exception {
        HttpResponse<String> r = server.get("/no/such/path");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void cachedDocumentsAndKeysFollowTheStoreWhicheverPathWroteIt() throws Exception {
        // Written straight into the store, as another import path or another process's rotation would: the store's
        // change feed, not the path, refreshes what the server built.
        dev.consentry.core.id.TenantId id = dev.consentry.core.id.TenantId.of("7c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
        var store = server.consentry().store();
        store.tenants().replace(late(id, "first.example"));
        assertThat(server.get("/first.example/v2.0/.well-known/openid-configuration").statusCode()).isEqualTo(200);
        store.tenants().replace(late(id, "second.example"));
        assertThat(server.get("/first.example/v2.0/.well-known/openid-configuration").statusCode())
                .as("the old domain's cached document is gone").isEqualTo(400);
        assertThat(json(server.get("/second.example/v2.0/.well-known/openid-configuration")).path("issuer").asText())
                .contains(id.toString());

        String before = server.get("/common/discovery/v2.0/keys").body();
        dev.consentry.identity.key.SigningKeys elsewhere = dev.consentry.identity.key.SigningKeys.load(store.signingKeys(),
                java.time.Clock.systemUTC());
        String rotated = elsewhere.rotate();
        String after = server.get("/common/discovery/v2.0/keys").body();
        assertThat(before).doesNotContain(rotated);
        assertThat(after).as("a key rotated by another SigningKeys is published").contains(rotated);
    }

    static dev.consentry.core.directory.TenantDirectory late(dev.consentry.core.id.TenantId id, String domain) {
        return dev.consentry.core.tenantfile.TenantFile.normalise(new dev.consentry.core.directory.TenantDirectory(id,
                "Late tenant", List.of(new dev.consentry.core.directory.VerifiedDomain(domain, true, true, "Managed", null)),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                dev.consentry.core.secret.SecretHasher.standard());
    }
}
