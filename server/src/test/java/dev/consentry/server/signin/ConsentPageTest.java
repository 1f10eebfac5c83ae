package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.MutableClock;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The consent page on the wire, driven by a cookie-keeping HTTP client: Megan (who has granted nothing to Fabrikam
 * Web) consents, incrementally, again under {@code prompt=consent}, declines; every bad answer (no or stale form
 * token, a replayed answer, an answer for an account not signed in here), an unknown scope and an admin-only
 * permission get Entra's error and change nothing stored.
 */
public class ConsentPageTest {
    /** The causes this class proves on the wire. */
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.CONSENT_DECLINED, Cause.ADMIN_CONSENT_REQUIRED,
            Cause.SCOPE_DEFAULT_COMBINED, Cause.USER_CONSENT_DISABLED,
            Cause.SCOPE_NOT_ON_RESOURCE);
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    static final MutableClock clock = MutableClock.ticking();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new InMemoryStore(), clock);
    static final String TENANT = TestTenant.TENANT.toString();

    @AfterAll
    static void checkCoverage() {
        assertThat(EXERCISED).as("causes proven here").containsAll(COVERED_HERE);
    }

    /** Megan starts every test having granted Fabrikam Web nothing. */
    @BeforeEach
    void meganHasGrantedNothing() {
        clock.reset();
        for (OAuth2PermissionGrant g : meganGrants()) {
            server.consentry().store().permissionGrants().delete(TestTenant.TENANT, g.id());
        }
    }

    static List<OAuth2PermissionGrant> meganGrants() {
        return server.consentry().store().permissionGrants().listByClient(TestTenant.TENANT, TestTenant.WEB_APP_SP).stream()
                .filter(g -> TestTenant.MEGAN.equals(g.principalId())).toList();
    }

    public static String authorize(String scope, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", TestTenant.WEB_APP.toString());
        p.put("response_type", "code");
        p.put("redirect_uri", TestTenant.WEB_REDIRECT);
        p.put("scope", scope);
        p.put("state", "s1");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return "/" + TENANT + "/oauth2/v2.0/authorize?" + FormBrowser.encode(p);
    }

    static HttpResponse<String> signInAsMegan(FormBrowser b, String scope, String... extra) {
        return b.signIn(b.get(authorize(scope, extra)), TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
    }

    /** The names the consent page lists, in order. */
    static List<String> listed(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.headers().firstValue("Location").orElse("") + page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Permissions requested");
        return java.util.regex.Pattern.compile("<strong class=\"permission\">([^<]+)</strong>").matcher(page.body())
                .results().map(m -> m.group(1)).toList();
    }

    static void assertCode(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith(TestTenant.WEB_REDIRECT + "?");
        assertThat(FormBrowser.redirectParameters(r)).containsKey("code").containsEntry("state", "s1");
    }

    static void assertRedirected(HttpResponse<String> r, Cause cause, String error) {
        EXERCISED.add(cause);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        Map<String, String> p = FormBrowser.redirectParameters(r);
        assertThat(p.get("error")).isEqualTo(error);
        assertThat(p.get("error_description")).startsWith("AADSTS" + cause.code() + ": ");
        assertThat(p.get("state")).isEqualTo("s1");
        String trace = p.get("error_description").replaceAll("(?s).*Trace ID: ([0-9a-f-]{36}).*", "$1");
        assertThat(server.consentry().traces().find(trace))
                .hasValueSatisfying(f -> assertThat(f.cause()).isEqualTo(cause.slug()));
    }

    static void assertPage(HttpResponse<String> r, Cause cause) {
        EXERCISED.add(cause);
        server.assertRefusedOnPage(r, cause);
    }

    @Test
    void acceptingStoresOnePrincipalGrantAtTheClocksNowAndSendsTheCode() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signInAsMegan(b, "openid profile User.Read Mail.Read");
        assertThat(listed(page)).containsExactly("User.Read", "Mail.Read");
        assertThat(page.body()).contains("Fabrikam Web").contains("unverified publisher")
                .contains(TestTenant.DOMAIN).contains(TENANT).contains("Read your mail in Microsoft Graph.")
                .contains(TestTenant.MEGAN_UPN);
        assertThat(meganGrants()).isEmpty();

        // Years from the system clock: the grant's time can only have come from the server's (ticking) clock.
        Instant at = Instant.parse("2031-03-01T10:15:30Z");
        clock.set(at);
        assertCode(b.submit(page, Map.of("decision", "accept")));

        assertThat(meganGrants()).singleElement().satisfies(g -> {
            assertThat(g.consentType()).isEqualTo("Principal");
            assertThat(g.resourceId()).isEqualTo(TestTenant.GRAPH_SP);
            assertThat(g.scope()).isEqualTo("User.Read Mail.Read");
            assertThat(g.createdDateTime()).isBetween(at, clock.instant());
        });
        clock.reset();
        // Asked again: consented, so no page.
        assertCode(b.get(authorize("openid profile User.Read Mail.Read")));
    }

    @Test
    void incrementalConsentListsOnlyTheNewPermissionAndMergesIntoTheSameGrant() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        assertCode(b.submit(signInAsMegan(b, "openid User.Read"), Map.of("decision", "accept")));
        OAuth2PermissionGrant first = meganGrants().getFirst();

        HttpResponse<String> second = b.get(authorize("openid User.Read Mail.Read"));
        assertThat(listed(second)).containsExactly("Mail.Read");
        assertThat(second.body()).contains("Already granted to this app: User.Read");
        assertCode(b.submit(second, Map.of("decision", "accept")));

        assertThat(meganGrants()).singleElement().satisfies(g -> {
            assertThat(g.id()).isEqualTo(first.id());
            assertThat(g.scope()).isEqualTo("User.Read Mail.Read");
            assertThat(g.createdDateTime()).as("dated by the newest consent").isAfter(first.createdDateTime());
        });
    }

    @Test
    void promptConsentShowsThePageAgainAndPromptNoneRefusesWhatIsMissing() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        assertCode(b.submit(signInAsMegan(b, "openid User.Read"), Map.of("decision", "accept")));
        List<OAuth2PermissionGrant> before = meganGrants();

        HttpResponse<String> again = b.get(authorize("openid User.Read", "prompt", "consent"));
        assertThat(listed(again)).containsExactly("User.Read");
        assertCode(b.submit(again, Map.of("decision", "accept")));
        assertThat(meganGrants()).isEqualTo(before);

        assertRedirected(b.get(authorize("openid Mail.Read", "prompt", "none")), Cause.CONSENT_REQUIRED, "consent_required");
        assertThat(meganGrants()).isEqualTo(before);
    }

    @Test
    void staticConsentListsWhatTheRegistrationRequestsAndIsNotGrantedYet() {
        var store = server.consentry().store();
        Application web = store.applications().findByAppId(TestTenant.TENANT, TestTenant.WEB_APP).orElseThrow();
        var graph = dev.consentry.core.permission.GraphPermissionCatalogue.builtin();
        java.util.function.Function<String, RequiredResourceAccess.ResourceAccess> delegated = name ->
                new RequiredResourceAccess.ResourceAccess(graph.delegatedScopes().stream().filter(p -> p.value().equals(name))
                        .findFirst().orElseThrow().id(), "Scope");
        store.applications().save(TestTenant.TENANT, withRequired(web, List.of(new RequiredResourceAccess(
                WellKnown.GRAPH_APP_ID.toString(), List.of(delegated.apply("User.Read"), delegated.apply("Mail.Read"))))));
        try {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> page = signInAsMegan(b, "openid https://graph.microsoft.com/.default");
            assertThat(listed(page)).containsExactly("User.Read", "Mail.Read");
            assertCode(b.submit(page, Map.of("decision", "accept")));
            assertThat(meganGrants()).singleElement().satisfies(g -> assertThat(g.scope()).isEqualTo("User.Read Mail.Read"));
            // Everything requested is granted now: .default asks nothing more.
            assertCode(b.get(authorize("openid https://graph.microsoft.com/.default")));
        } finally {
            store.applications().save(TestTenant.TENANT, web);
        }
    }

    @Test
    void aVerifiedPublisherAndPublisherDomainFromTheRegistrationAreShown() {
        var store = server.consentry().store();
        Application web = store.applications().findByAppId(TestTenant.TENANT, TestTenant.WEB_APP).orElseThrow();
        Map<String, Object> extra = new LinkedHashMap<>(web.additionalProperties());
        extra.put("publisherDomain", "apps.fabrikam.example");
        extra.put("verifiedPublisher", Map.of("displayName", "Fabrikam Software Ltd", "verifiedPublisherId", "1234567"));
        store.applications().save(TestTenant.TENANT, new Application(web.id(), web.appId(), web.displayName(),
                web.signInAudience(), web.identifierUris(), web.api(), web.appRoles(), web.passwordCredentials(),
                web.keyCredentials(), web.requiredResourceAccess(), web.web(), web.spa(), web.publicClient(),
                web.isFallbackPublicClient(), extra));
        try {
            HttpResponse<String> page = signInAsMegan(new FormBrowser(server.baseUrl(), server.sslContext()), "openid Mail.Read");
            assertThat(listed(page)).containsExactly("Mail.Read");
            assertThat(page.body()).contains("apps.fabrikam.example").contains("verified publisher: Fabrikam Software Ltd")
                    .doesNotContain("unverified publisher");
        } finally {
            store.applications().save(TestTenant.TENANT, web);
        }
    }

    static Application withRequired(Application a, List<RequiredResourceAccess> required) {
        return new Application(a.id(), a.appId(), a.displayName(), a.signInAudience(), a.identifierUris(), a.api(),
                a.appRoles(), a.passwordCredentials(), a.keyCredentials(), required, a.web(), a.spa(), a.publicClient(),
                a.isFallbackPublicClient(), a.additionalProperties());
    }

    @Test
    void cancelSendsAccessDeniedWithAadsts65004AndStoresNothing() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signInAsMegan(b, "openid Mail.Read");
        assertRedirected(b.submit(page, Map.of("decision", "cancel")), Cause.CONSENT_DECLINED, "access_denied");
        assertThat(meganGrants()).isEmpty();
    }

    @Test
    void aReplayedAnswerIsRefusedAndChangesNothing() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signInAsMegan(b, "openid Mail.Read");
        assertCode(b.submit(page, Map.of("decision", "accept")));
        List<OAuth2PermissionGrant> after = meganGrants();
        assertPage(b.submit(page, Map.of("decision", "accept")), Cause.FORM_TOKEN_INVALID);
        assertThat(meganGrants()).isEqualTo(after);
    }

    @Test
    void aMadeUpTicketOrAnUnreadableRequestIsRefusedAndStoresNothing() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signInAsMegan(b, "openid Mail.Read");
        assertPage(b.submit(page, Map.of("decision", "accept", "ticket", "not-a-ticket")), Cause.FORM_TOKEN_INVALID);
        assertPage(b.submit(page, Map.of("decision", "accept", "request", "scope=Mail.Read")), Cause.PARAMETER_MISSING);
        assertThat(meganGrants()).isEmpty();
    }

    @Test
    void aSecondPageAnsweredAfterTheFirstGrantedEverythingGoesStraightBackToTheApp() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> first = signInAsMegan(b, "openid Mail.Read");
        HttpResponse<String> second = b.get(authorize("openid Mail.Read"));
        assertThat(listed(second)).containsExactly("Mail.Read");
        assertCode(b.submit(first, Map.of("decision", "accept")));
        List<OAuth2PermissionGrant> after = meganGrants();
        assertCode(b.submit(second, Map.of("decision", "accept")));
        assertThat(meganGrants()).isEqualTo(after);
    }

    @Test
    void anAnswerWithoutOrWithAStaleFormTokenIsRefusedAndStoresNothing() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signInAsMegan(b, "openid Mail.Read");
        Map<String, String> fields = FormBrowser.hiddenFields(page.body());
        fields.remove("csrf");
        fields.put("decision", "accept");
        assertPage(b.post("/" + TENANT + "/consent", fields), Cause.FORM_TOKEN_INVALID);

        // A new password sign-in issues a new browser cookie: the page shown before now carries a stale token.
        HttpResponse<String> relogin = signInAsMegan(b, "openid Mail.Read", "prompt", "login");
        assertThat(listed(relogin)).containsExactly("Mail.Read");
        assertPage(b.submit(page, Map.of("decision", "accept")), Cause.FORM_TOKEN_INVALID);
        assertThat(meganGrants()).isEmpty();
    }

    @Test
    void anAnswerForAnAccountNotSignedInToThisBrowserIsRefused() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signInAsMegan(b, "openid Mail.Read");
        assertPage(b.submit(page, Map.of("decision", "accept", "user", TestTenant.ADELE.toString())),
                Cause.FORM_TOKEN_INVALID);
        assertThat(meganGrants()).isEmpty();
    }

    @Test
    void aScopeTheResourceDoesNotDefineIsAadsts650053AsInvalidClient() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        assertRedirected(signInAsMegan(b, "openid Mail.Nope"), Cause.SCOPE_NOT_ON_RESOURCE, "invalid_client");
        assertThat(meganGrants()).isEmpty();
    }

    @Test
    void defaultWithSinglePermissionsOfTheSameResourceIsRedirectedAsInvalidScope() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        assertRedirected(signInAsMegan(b, "openid https://graph.microsoft.com/.default Mail.Read"),
                Cause.SCOPE_DEFAULT_COMBINED, "invalid_scope");
        assertThat(meganGrants()).isEmpty();
    }

    @Test
    void whereUsersMayNotConsentAUserGetsTheApprovalPageAndAnAdministratorTheConsentPage() {
        var store = server.consentry().store();
        var before = store.tenants().export(TestTenant.TENANT).orElseThrow();
        store.tenants().replace(dev.consentry.testkit.TenantBuilder.from(before).withUserConsentPolicies().build());
        try {
            HttpResponse<String> megan = signInAsMegan(new FormBrowser(server.baseUrl(), server.sslContext()), "openid Calendars.Read");
            assertPage(megan, Cause.USER_CONSENT_DISABLED);
            assertThat(megan.body()).contains("Need admin approval").contains("permissionGrantPoliciesAssigned")
                    .contains("consentry grant --tenant " + TENANT).doesNotContain("name=\"decision\"");
            assertThat(meganGrants()).isEmpty();

            FormBrowser admin = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> adele = admin.signIn(admin.get(authorize("openid Calendars.Read")), TestTenant.ADELE_UPN,
                    TestTenant.ADELE_PASSWORD);
            assertThat(listed(adele)).as("a Global Administrator may still consent").containsExactly("Calendars.Read");
        } finally {
            store.tenants().replace(before);
        }
    }

    @Test
    void aPermissionOnlyAnAdministratorMayGrantShowsTheApprovalPageInstead() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> r = signInAsMegan(b, "openid User.Read User.Read.All");
        assertPage(r, Cause.ADMIN_CONSENT_REQUIRED);
        assertThat(r.body()).contains("Need admin approval").contains("User.Read.All").doesNotContain("name=\"decision\"")
                .containsPattern("consentry grant --tenant [0-9a-f-]{36} --app [0-9a-f-]{36} --permission User.Read.All "
                        + "--type delegated");
        assertThat(meganGrants()).isEmpty();
    }
}
