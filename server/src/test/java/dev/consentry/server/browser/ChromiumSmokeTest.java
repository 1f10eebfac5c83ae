package dev.consentry.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser fixture against a real Consentry: the pinned server key is what makes the page load, a
 * browser pinned to another key gets Chromium's certificate error page, and starting it downloads nothing.
 */
class ChromiumSmokeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();



    static String discoveryUrl() {
        return server.baseUrl() + "/common/v2.0/.well-known/openid-configuration";
    }

    @Test
    void browserPinnedToTheServerKeyReadsTheDiscoveryDocument() throws Exception {
        try (Chromium browser = Chromium.trusting(server)) {
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

    @Test
    void startingTheBrowserLeavesSeleniumManagerOut() {
        // Selenium Manager is what would download drivers and browsers; Selenium logs (at FINE) whether it runs.
        Logger finder = Logger.getLogger("org.openqa.selenium.remote.service.DriverFinder");
        Logger manager = Logger.getLogger("org.openqa.selenium.manager");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        Level finderLevel = finder.getLevel();
        Level managerLevel = manager.getLevel();
        finder.setLevel(Level.FINE);
        manager.setLevel(Level.FINE);
        finder.addHandler(capture);
        manager.addHandler(capture);
        try (Chromium browser = Chromium.trusting(server)) {
            assertThat(browser.startupTime()).isPositive();
        } finally {
            finder.removeHandler(capture);
            manager.removeHandler(capture);
            finder.setLevel(finderLevel);
            manager.setLevel(managerLevel);
        }

        assertThat(records).extracting(LogRecord::getLoggerName).doesNotContain(
                "org.openqa.selenium.manager.SeleniumManager");
        assertThat(records).extracting(LogRecord::getMessage).anyMatch(m -> m.startsWith("Skipping Selenium Manager"));
    }
}
