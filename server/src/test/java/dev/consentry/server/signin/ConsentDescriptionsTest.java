package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.SharedData;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code serve --permission-descriptions}: with Microsoft's {@code permissions-descriptions.json}, the consent page
 * shows that file's consent description of a Graph permission instead of Consentry's own one-liner.
 */
class ConsentDescriptionsTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new ServerConfig("127.0.0.1", 0, Optional.empty(),
            Optional.empty(), Clock.systemUTC(), Optional.empty(), 100, Optional.of(SharedData.descriptionsFile())));

    @Test
    void theConsentPageShowsTheFilesDescriptionOfAGraphPermission() throws Exception {
        String expected = null;
        for (JsonNode e : new ObjectMapper().readTree(SharedData.descriptionsFile().toFile()).path("delegatedScopesList")) {
            if (e.path("value").asText().equals("Calendars.Read")) {
                expected = e.path("consentDescription").asText();
            }
        }
        assertThat(expected).as("the file describes Calendars.Read").isNotBlank();

        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", TestTenant.WEB_APP.toString());
        p.put("response_type", "code");
        p.put("redirect_uri", TestTenant.WEB_REDIRECT);
        p.put("scope", "openid Calendars.Read");
        p.put("state", "s1");
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = b.signIn(b.get("/" + TestTenant.TENANT + "/oauth2/v2.0/authorize?" + FormBrowser.encode(p)),
                TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(page.body()).contains("Calendars.Read").contains(escapeHtml(expected));
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
