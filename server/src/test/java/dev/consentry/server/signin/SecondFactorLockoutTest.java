package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.identity.mfa.Authenticators;
import dev.consentry.server.signin.AuthorizeEndpointTest.Pkce;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Smart lockout of the second factor: ten wrong codes in a row lock Megan's second factor for a minute, during which
 * even the right code is refused beside the form with AADSTS50053; a minute later the right code signs her in, and the
 * store keeps the count, so a second browser is locked out as well.
 */
public class SecondFactorLockoutTest {
    /** The causes this class proves on the page. */
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.ACCOUNT_LOCKED);
    static final Store STORE = new InMemoryStore();
    static final MutableClock CLOCK = MutableClock.ticking();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, CLOCK);

    @BeforeAll
    static void mfaForMeganWhoHasAnApp() {
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("mfa-policy", "MFA", "enabled",
                Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of("00000003-0000-0000-c000-000000000000"))),
                Map.of("operator", "OR", "builtInControls", List.of("mfa")), Map.of(), null));
        STORE.softwareOathMethods().save(TestTenant.TENANT, new SoftwareOathMethod("app-1", TestTenant.MEGAN,
                "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", CLOCK.instant()));
    }

    @AfterAll
    static void clockBack() {
        CLOCK.reset();
    }

    static HttpResponse<String> codePage(FormBrowser b) {
        HttpResponse<String> page = b.get(AuthorizeEndpointTest.authorize(TestTenant.TENANT.toString(),
                AuthorizeEndpointTest.desktopExact(Pkce.create())));
        HttpResponse<String> code = b.signIn(page, TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(code.body()).as(code.body()).contains("Enter code");
        return code;
    }

    static String right() {
        return server.authenticatorCode(TestTenant.TENANT, TestTenant.MEGAN, 0);
    }

    @Test
    void tenWrongCodesLockTheSecondFactorForAMinuteEvenAgainstTheRightCode() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = codePage(b);
        String wrong = server.authenticatorCode(TestTenant.TENANT, TestTenant.MEGAN, 5);
        for (int i = 1; i < Authenticators.LOCKOUT_THRESHOLD; i++) {
            HttpResponse<String> refused = b.submit(page, Map.of("code", wrong));
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).as("attempt %d", i).contains("AADSTS" + Cause.MFA_CODE_INVALID.code())
                    .doesNotContain("AADSTS" + Cause.ACCOUNT_LOCKED.code());
        }
        HttpResponse<String> tenth = b.submit(page, Map.of("code", wrong));
        assertThat(tenth.statusCode()).isEqualTo(400);
        assertThat(tenth.body()).contains("AADSTS50053").contains("The account is locked").contains("name=\"code\"");

        HttpResponse<String> rightButLocked = b.submit(page, Map.of("code", right()));
        assertThat(rightButLocked.statusCode()).isEqualTo(400);
        assertThat(rightButLocked.body()).contains("AADSTS50053");
        FormBrowser other = new FormBrowser(server.baseUrl(), server.sslContext());
        assertThat(other.submit(codePage(other), Map.of("code", right())).body()).as("the count is the store's, not the browser's")
                .contains("AADSTS50053");

        CLOCK.advance(Authenticators.LOCKOUT_DURATION.plus(Duration.ofSeconds(31))); // past the lock, and a fresh code
        HttpResponse<String> signedIn = b.submit(page, Map.of("code", right()));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        assertThat(FormBrowser.redirectParameters(signedIn)).containsKey("code");
        // A proved code started the count afresh: one wrong code is only a wrong code again.
        FormBrowser later = new FormBrowser(server.baseUrl(), server.sslContext());
        String wrongNow = server.authenticatorCode(TestTenant.TENANT, TestTenant.MEGAN, 5);
        assertThat(later.submit(codePage(later), Map.of("code", wrongNow)).body()).contains("AADSTS" + Cause.MFA_CODE_INVALID.code())
                .doesNotContain("AADSTS50053");
    }
}
