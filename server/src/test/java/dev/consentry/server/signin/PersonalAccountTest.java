package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.server.browser.Chromium;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Personal Microsoft accounts (users of the consumers tenant): a multi-tenant app that accepts them signs one
 * in through {@code common} with MSAL4J and Chromium, and the token carries the consumers {@code tid};
 * {@code organizations} refuses the same person, {@code consumers} refuses a work account, an app for personal
 * accounts only refuses {@code organizations}, and the password grant refuses personal accounts.
 */
public class PersonalAccountTest {
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.PERSONAL_ACCOUNT_NOT_ALLOWED,
            Cause.WORK_ACCOUNT_NOT_ALLOWED, Cause.CLIENT_PERSONAL_ONLY);
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();


    @AfterAll
    static void stop() {
        assertThat(EXERCISED).containsAll(COVERED_HERE);
    }

    static Map<String, String> everyone(String... extra) {
        Map<String, String> p = new LinkedHashMap<>(AuthorizeEndpointTest.desktopExact(AuthorizeEndpointTest.Pkce.create(),
                "client_id", TestTenant.PERSONAL_APP.toString()));
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    static void assertOnPage(HttpResponse<String> r, Cause cause) {
        EXERCISED.add(cause);
        server.assertRefusedOnPage(r, cause);
    }

    @Test
    void msalSignsAPersonalAccountInThroughCommon() throws Exception {
        try (Chromium chromium = Chromium.trusting(server)) {
            PublicClientApplication app = PublicClientApplication.builder(TestTenant.PERSONAL_APP.toString())
                    .authority(server.authority("common")).instanceDiscovery(false)
                    .sslSocketFactory(server.sslContext().getSocketFactory()).build();
            IAuthenticationResult result = chromium.signIn(app, Set.of("User.Read"), TestTenant.ALEX_UPN,
                    TestTenant.ADELE_PASSWORD);
            var claims = SignedJWT.parse(result.accessToken()).getJWTClaimsSet();
            assertThat(claims.getStringClaim("tid")).isEqualTo(WellKnown.CONSUMERS_TENANT_ID.toString());
            assertThat(claims.getStringClaim("oid")).isEqualTo(TestTenant.ALEX.toString());
            assertThat(result.account().homeAccountId()).isEqualTo(TestTenant.ALEX + "." + WellKnown.CONSUMERS_TENANT_ID);
        }
    }

    @Test
    void organizationsRefusesThePersonalAccountAndConsumersRefusesAWorkAccount() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = b.get(AuthorizeEndpointTest.authorize("organizations", everyone()));
        assertOnPage(b.signIn(page, TestTenant.ALEX_UPN, TestTenant.ADELE_PASSWORD), Cause.PERSONAL_ACCOUNT_NOT_ALLOWED);

        FormBrowser c = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> consumers = c.get(AuthorizeEndpointTest.authorize("consumers", everyone()));
        assertOnPage(c.signIn(consumers, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD), Cause.WORK_ACCOUNT_NOT_ALLOWED);

        // Through /common the same work account is fine: it signs in to its own tenant.
        FormBrowser d = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> common = d.signIn(d.get(AuthorizeEndpointTest.authorize("common", everyone())),
                TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(FormBrowser.redirectParameters(common)).containsKey("code");
    }

    @Test
    void anAppForPersonalAccountsOnlyRefusesOrganizations() {
        Map<String, String> request = everyone("client_id", TestTenant.MSA_ONLY_APP.toString());
        assertOnPage(new FormBrowser(server.baseUrl(), server.sslContext()).get(AuthorizeEndpointTest.authorize("organizations", request)),
                Cause.CLIENT_PERSONAL_ONLY);
        assertOnPage(new FormBrowser(server.baseUrl(), server.sslContext()).get(AuthorizeEndpointTest.authorize(TestTenant.TENANT.toString(), request)),
                Cause.CLIENT_PERSONAL_ONLY);
    }

    @Test
    void thePasswordGrantRefusesPersonalAccounts() throws Exception {
        HttpResponse<String> r = server.postForm("/common/oauth2/v2.0/token", FormBrowser.encode(Map.of("grant_type", "password",
                "client_id", TestTenant.PERSONAL_APP.toString(), "username", TestTenant.ALEX_UPN, "password",
                TestTenant.ADELE_PASSWORD, "scope", "User.Read")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        assertThat(body.path("error_codes").get(0).asInt()).isEqualTo(Cause.PERSONAL_ACCOUNT_NOT_ALLOWED.code());
        assertThat(server.consentry().traces().find(body.path("trace_id").asText()))
                .hasValueSatisfying(f -> assertThat(f.cause()).isEqualTo(Cause.PERSONAL_ACCOUNT_NOT_ALLOWED.slug()));
    }
}
