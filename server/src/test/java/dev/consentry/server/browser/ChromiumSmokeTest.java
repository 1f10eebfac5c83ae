package dev.consentry.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The browser fixture against a real Consentry: the pinned server key is what makes the page load, and a
 * browser pinned to another key gets Chromium's certificate error page.
 */
class ChromiumSmokeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static RunningConsentry server;

    @BeforeAll
    static void start() {
        server = RunningConsentry.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String discoveryUrl() {
        return server.baseUrl() + "/common/v2.0/.well-known/openid-configuration";
    }

    @Test
    void browserPinnedToTheServerKeyReadsTheDiscoveryDocument() throws Exception {
        try (Chromium browser = Chromium.trusting(server)) {
            System.out.println("Chromium started in " + browser.startupTime().toMillis() + " ms");
            browser.open(discoveryUrl());

            assertThat(browser.currentUrl()).isEqualTo(discoveryUrl());
            JsonNode doc = JSON.readTree(browser.text());
            assertThat(doc.path("issuer").asText()).isEqualTo(server.baseUrl() + "/{tenantid}/v2.0");
        }
    }

    @Test
    void browserPinnedToAnotherKeyGetsTheCertificateErrorPage() {
        X509Certificate unrelated = TestTenant.CERT;
        assertThat(Chromium.spkiHash(unrelated))
                .isNotEqualTo(Chromium.spkiHash(Chromium.presentedCertificate("localhost", server.consentry().port(),
                        server.sslContext())));

        try (Chromium browser = new Chromium(unrelated)) {
            browser.open(discoveryUrl());

            assertThat(browser.pageSource()).contains("ERR_CERT_AUTHORITY_INVALID").doesNotContain("{tenantid}");
        }
    }
}
