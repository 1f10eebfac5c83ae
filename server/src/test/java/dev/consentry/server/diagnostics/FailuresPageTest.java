package dev.consentry.server.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.server.browser.Chromium;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/**
 * The recent failures page in Chromium: an app's refusals on both channels, filtered by channel from the form (typed
 * and submitted from the keyboard), each linking to its diagnosis page. The picture in docs/ is taken here.
 */
class FailuresPageTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    @RegisterExtension
    static final Chromium chromium = Chromium.trusting(server);

    @Test
    void anAppsRefusalsAreListedFilteredAndLinkedToTheirDiagnosis() {
        String daemon = TestTenant.DAEMON.toString();
        String token = server.appToken(TestTenant.TENANT.toString(), daemon, TestTenant.DAEMON_SECRET);
        assertThat(server.graph("GET", "/v1.0/groups", token, null).statusCode()).isEqualTo(403);
        assertThat(server.graph("GET", "/v1.0/applications/00000000-0000-0000-0000-000000000009/owners", token, null)
                .statusCode()).isIn(403, 404);
        HttpResponse<String> sts = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", "grant_type=client_credentials"
                + "&client_id=" + daemon + "&client_secret=wrong&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
        assertThat(sts.statusCode()).isEqualTo(401);

        chromium.open(server.baseUrl() + "/consentry/diagnosis");
        chromium.awaitText("Recent failures");
        chromium.driver().findElement(By.id("client_id")).sendKeys(daemon);
        new Select(chromium.driver().findElement(By.id("channel"))).selectByValue("all");
        chromium.driver().findElement(By.id("client_id")).sendKeys(Keys.ENTER);
        chromium.awaitText("client-secret-invalid");
        assertThat(chromium.text()).contains("GET /v1.0/groups").contains("permission-not-requested");
        chromium.screenshot(DiagnosisPageTest.docs().resolve("screenshots/failures-page.png"));

        new Select(chromium.driver().findElement(By.id("channel"))).selectByValue("graph");
        chromium.driver().findElement(By.id("show")).click();
        chromium.awaitText("permission-not-requested");
        assertThat(chromium.text()).doesNotContain("client-secret-invalid");

        // Newest first: the owners call came after the groups call.
        chromium.driver().findElement(By.linkText("permission-not-requested")).click();
        chromium.awaitText("Refused: GET /v1.0/applications/00000000-0000-0000-0000-000000000009/owners");
    }

    @Test
    void aTenantsFailuresListEveryAppsRefusalsNamingTheApp() {
        String web = TestTenant.WEB_APP.toString();
        HttpResponse<String> sts = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", "grant_type=client_credentials"
                + "&client_id=" + web + "&client_secret=not-it&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
        assertThat(sts.statusCode()).isEqualTo(401);
        String other = "55555555-6666-4777-8888-999999999999";
        assertThat(server.postForm("/" + TestTenant.OTHER_TENANT + "/oauth2/v2.0/token", "grant_type=client_credentials"
                + "&client_id=" + other + "&client_secret=not-it&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default")
                .statusCode()).isEqualTo(401);

        chromium.open(server.baseUrl() + "/consentry/diagnosis");
        chromium.awaitText("Recent failures");
        chromium.driver().findElement(By.id("tenant")).sendKeys(TestTenant.DOMAIN, Keys.ENTER);
        chromium.awaitText("client-secret-invalid");
        assertThat(chromium.text()).contains("by " + web).doesNotContain(other);

        HttpResponse<String> unknown = server.get("/consentry/diagnosis?tenant=nowhere.example");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("No tenant of this Consentry has the id or domain nowhere.example.");
    }

    @Test
    void aBadFilterIsA400PageAndNoAppShowsOnlyTheForm() {
        HttpResponse<String> bad = server.get("/consentry/diagnosis?client_id=x&channel=mail");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Recent failures").doesNotContain("Exception");
        HttpResponse<String> form = server.get("/consentry/diagnosis");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"client_id\"").doesNotContain("id=\"failures\"");
    }
}
