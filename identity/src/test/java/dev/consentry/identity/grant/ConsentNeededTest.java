package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.ADELE;
import static dev.consentry.identity.grant.GrantFixture.API_URI;
import static dev.consentry.identity.grant.GrantFixture.DESKTOP;
import static dev.consentry.identity.grant.GrantFixture.DESKTOP_SP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Outcome;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.consent.DelegatedScopes.ConsentNeeded;
import dev.consentry.identity.consent.DelegatedScopes.Granted;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.testkit.TestTenants;
import org.junit.jupiter.api.Test;

/**
 * A missing consent is an answer of {@link DelegatedScopes#resolve}, not an exception: the authorize flow can act on
 * it, and the token endpoint turns it into AADSTS65001 with a failed consent step.
 */
class ConsentNeededTest {
    private final GrantFixture f = new GrantFixture();
    private final DelegatedScopes scopes = new DelegatedScopes(f.store, new ResourceResolver(f.store));
    private final TenantId fabrikam = TestTenants.FABRIKAM;
    private final User adele = f.store.users().find(fabrikam, ADELE).orElseThrow();
    private final AuthenticatedClient desktop = new AuthenticatedClient(
            f.store.applications().findByAppId(fabrikam, DESKTOP).orElseThrow(), fabrikam,
            f.store.servicePrincipals().find(fabrikam, DESKTOP_SP).orElseThrow(), AuthenticatedClient.Method.NONE);

    @Test
    void aConsentedPermissionIsGranted() {
        var resolution = scopes.resolve(fabrikam, desktop, adele, "openid " + API_URI + "/access_as_user");
        assertThat(resolution).isInstanceOf(Granted.class);
        assertThat(((Granted) resolution).permissions()).containsExactly("access_as_user");
    }

    @Test
    void anUnconsentedPermissionIsNamedAsMissingBesideWhatIsConsented() {
        var resolution = scopes.resolve(fabrikam, desktop, adele, API_URI + "/access_as_user " + API_URI + "/Orders.Admin");
        assertThat(resolution).isInstanceOf(ConsentNeeded.class);
        var needed = (ConsentNeeded) resolution;
        assertThat(needed.missing()).containsExactly("Orders.Admin");
        assertThat(needed.consented()).containsExactly("access_as_user");
        assertThat(needed.resource().displayName()).isEqualTo("Orders API");
        assertThat(needed.refusal(fabrikam).cause()).isEqualTo(Cause.CONSENT_REQUIRED);
        assertThat(needed.refusal(fabrikam).facts().get("command")).as("a grant of the first missing permission of the API")
                .isEqualTo("consentry grant --tenant " + fabrikam + " --app " + desktop.application().appId()
                        + " --permission Orders.Admin --type delegated --resource " + needed.resource().appId());
    }

    @Test
    void theDefaultScopeOfAResourceWithNothingConsentedNeedsConsentForAnyPermission() {
        var resolution = scopes.resolve(fabrikam, desktop, adele, "https://graph.microsoft.com/.default");
        assertThat(resolution).isInstanceOf(ConsentNeeded.class);
        assertThat(((ConsentNeeded) resolution).missing()).isEmpty();
        assertThat(((ConsentNeeded) resolution).refusal(fabrikam).facts()).containsEntry("missing", "any permission")
                .containsEntry("command", "consentry consent grant --tenant " + fabrikam + " --app "
                        + desktop.application().appId());
    }

    @Test
    void theTokenEndpointRefusesItWithAFailedConsentStep() {
        var outcome = f.post("grant_type", "password", "client_id", DESKTOP.toString(), "username", GrantFixture.ADELE_UPN,
                "password", GrantFixture.PASSWORD, "scope", API_URI + "/Orders.Admin");
        assertThat(GrantFixture.refused(outcome)).isEqualTo(Cause.CONSENT_REQUIRED);
        var steps = ((TokenOutcome.Refused) outcome).steps();
        var last = steps.get(steps.size() - 1);
        assertThat(last.check()).isEqualTo(Check.CONSENT);
        assertThat(last.outcome()).isEqualTo(Outcome.FAILED);
    }
}
