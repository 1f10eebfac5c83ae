package dev.consentry.server.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.server.browser.Chromium;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The what-if page in Chromium: a person pastes the daemon's token and a Graph call, and sees the decision as the
 * diagnosis page shows it, the call not made; the token is never shown back. A question Graph could not be asked stays
 * on the form with what is wrong; a form from elsewhere (no browser token) is refused. The picture in docs/ is taken
 * here.
 */
class WhatIfPageTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    @RegisterExtension
    static final Chromium chromium = Chromium.trusting(server);

    @Test
    void aPastedTokenAndCallAreDecidedWithoutMakingTheCall() {
        String token = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        chromium.open(server.baseUrl() + "/consentry/what-if");
        chromium.awaitText("Would Graph allow it?");
        chromium.driver().findElement(By.id("token")).sendKeys(token);
        new Select(chromium.driver().findElement(By.id("method"))).selectByValue("GET");
        chromium.driver().findElement(By.id("url")).sendKeys("https://graph.microsoft.com/v1.0/groups");
        chromium.screenshot(DiagnosisPageTest.docs().resolve("screenshots/what-if-page.png"));
        chromium.driver().findElement(By.id("decide")).click();

        chromium.awaitText("Refused: GET /v1.0/groups");
        assertThat(chromium.text()).contains("What-if: decided as this Consentry's Graph would decide the call")
                .contains("permission-not-requested").contains("Group.ReadBasic.All");
        assertThat(chromium.pageSource()).as("the token is not shown back").doesNotContain(token);
        assertThat(chromium.driver().findElements(By.id("json"))).as("nothing was kept to link to").isEmpty();
    }

    @Test
    void aBadQuestionStaysOnTheFormAndAForeignFormIsRefused() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> form = b.get("/consentry/what-if");
        HttpResponse<String> bad = b.submit(form, Map.of("token", "x.y.z", "method", "GET", "url", "https://example.com/v1.0/me"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Url must be a Microsoft Graph URL").contains("name=\"token\"").doesNotContain("x.y.z");

        HttpResponse<String> foreign = new FormBrowser(server.baseUrl(), server.sslContext()).post("/consentry/what-if",
                Map.of("csrf", "made-up", "token", "x.y.z", "method", "GET", "url", "/v1.0/me"));
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).contains("Open the page again").doesNotContain("x.y.z");
    }
}
