package dev.consentry.server.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.server.browser.Chromium;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The diagnosis page in Chromium: the daemon reads the groups without the permission the route needs (the
 * troubleshooting page's "have you chosen the right permissions?"), and its page shows the verdict, the cause, the
 * fix naming the least privileged permission, and every check with the failed one marked; the link to the JSON works
 * from the keyboard. The picture in docs/ is taken here.
 */
class DiagnosisPageTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    @RegisterExtension
    static final Chromium chromium = Chromium.trusting(server);

    static Path docs() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path docs = here.resolveSibling("docs");
        return Files.isDirectory(docs) ? docs : here.resolve("docs");
    }

    @Test
    void aRefusedGraphCallsPageShowsTheFailedCheckAndTheFix() {
        String token = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        HttpResponse<String> refused = server.graph("GET", "/v1.0/groups", token, null);
        assertThat(refused.statusCode()).isEqualTo(403);
        String id = refused.headers().firstValue("request-id").orElseThrow();
        assertThat(refused.body()).as("the body names the page").contains("\"consentry-diagnosis\":\"" + server.baseUrl()
                + "/consentry/diagnosis/" + id + "\"");

        chromium.open(server.baseUrl() + "/consentry/diagnosis/" + id);
        chromium.awaitText("Refused: GET /v1.0/groups");
        String text = chromium.text();
        assertThat(text).contains("Answered 403 Authorization_RequestDenied").contains("permission-not-requested")
                .contains("Group.ReadBasic.All").contains(TestTenant.DAEMON.toString());
        List<WebElement> failed = chromium.driver().findElements(By.cssSelector("ol.checks li.failed"));
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getText()).startsWith("Failed").contains("permission");
        assertThat(chromium.driver().findElements(By.cssSelector("ol.checks li.passed"))).hasSizeGreaterThan(3);
        assertThat(chromium.driver().findElement(By.id("fix")).getText()).contains("Group.ReadBasic.All");
        chromium.screenshot(docs().resolve("screenshots/diagnosis-page.png"));

        WebElement json = chromium.driver().findElement(By.id("json"));
        json.sendKeys(Keys.ENTER);
        chromium.awaitText("\"cause\":\"permission-not-requested\"");
    }

    @Test
    void anUnknownIdIsANotFoundPageNotAnError() {
        HttpResponse<String> page = server.get("/consentry/diagnosis/no-such-request");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("No such decision").doesNotContain("Exception");
    }
}
