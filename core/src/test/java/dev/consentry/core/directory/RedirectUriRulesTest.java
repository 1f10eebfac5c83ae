package dev.consentry.core.directory;

import static dev.consentry.core.directory.RedirectUriRules.Platform.PUBLIC_CLIENT;
import static dev.consentry.core.directory.RedirectUriRules.Platform.SPA;
import static dev.consentry.core.directory.RedirectUriRules.Platform.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The redirect URIs each platform may register, as Entra's application model allows them. */
class RedirectUriRulesTest {

    @Test
    void httpsAnywhereAndHttpOnlyOnLoopbackHosts() {
        for (RedirectUriRules.Platform p : RedirectUriRules.Platform.values()) {
            assertThat(RedirectUriRules.problem(p, "https://app.contoso.com/signin-oidc")).as(p.name()).isEmpty();
            assertThat(RedirectUriRules.problem(p, "http://localhost:3000")).as(p.name()).isEmpty();
            assertThat(RedirectUriRules.problem(p, "http://127.0.0.1/callback")).as(p.name()).isEmpty();
            assertThat(RedirectUriRules.problem(p, "http://app.contoso.com/callback")).as(p.name()).get().asString()
                    .contains("only http://localhost and http://127.0.0.1 may use http");
        }
    }

    @Test
    void scriptAndDocumentSchemesAreRefusedOnEveryPlatform() {
        for (RedirectUriRules.Platform p : RedirectUriRules.Platform.values()) {
            for (String uri : new String[] {"javascript:alert(document.cookie)", "JavaScript://x/%0aalert(1)",
                "data:text/html,<script>x</script>", "vbscript:msgbox(1)", "file:///etc/passwd"}) {
                assertThat(RedirectUriRules.problem(p, uri)).as(p + " " + uri).get().asString().contains("is never a redirect URI's");
            }
        }
    }

    @Test
    void customSchemesOnlyForPublicClientsAndTheWebAppExceptions() {
        assertThat(RedirectUriRules.problem(PUBLIC_CLIENT, "msal5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41://auth")).isEmpty();
        assertThat(RedirectUriRules.problem(PUBLIC_CLIENT, "com.contoso.app://callback")).isEmpty();
        assertThat(RedirectUriRules.problem(WEB, "myapp://callback")).get().asString().contains("only for public client");
        assertThat(RedirectUriRules.problem(SPA, "myapp://callback")).get().asString().contains("single-page application");
        assertThat(RedirectUriRules.problem(WEB, "urn:ietf:wg:oauth:2.0:oob")).isEmpty();
        assertThat(RedirectUriRules.problem(WEB, "ms-appx-web://Microsoft.AAD.BrokerPlugin/5e0f2b43")).isEmpty();
    }

    @Test
    void malformedRelativeFragmentAndOverlongUrisAreRefused() {
        assertThat(RedirectUriRules.problem(WEB, "")).get().asString().contains("cannot be empty");
        assertThat(RedirectUriRules.problem(WEB, "/signin-oidc")).get().asString().contains("not an absolute URI");
        assertThat(RedirectUriRules.problem(WEB, "https://contoso.com/a b")).get().asString().contains("not a valid URI");
        assertThat(RedirectUriRules.problem(SPA, "https://contoso.com/#/callback")).get().asString().contains("fragment");
        assertThat(RedirectUriRules.problem(WEB, "https://contoso.com/" + "a".repeat(250))).get().asString()
                .contains("at most 256 characters");
        assertThat(RedirectUriRules.problem(WEB, "https:///nohost")).get().asString().contains("names no host");
    }
}
