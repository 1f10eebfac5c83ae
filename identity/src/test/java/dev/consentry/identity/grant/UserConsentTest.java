package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.consent.ConsentGrants;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.consent.DelegatedScopes.ConsentNeeded;
import dev.consentry.identity.consent.OwnWords;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.testkit.TestTenants;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the consent page relies on without HTTP: a user's consent is one Principal grant per client, resource and
 * user, merged on every incremental consent; the authorize endpoint's reading of scopes (an unknown permission is
 * AADSTS650053); the refresh grant's AADSTS65001 for a scope never consented; the permission texts in own words.
 */
class UserConsentTest {
    private final GrantFixture f = new GrantFixture();
    private final TenantId fabrikam = TestTenants.FABRIKAM;
    private final ConsentGrants consent = new ConsentGrants(f.store);
    private final DelegatedScopes scopes = new DelegatedScopes(f.store, new ResourceResolver(f.store));
    private final User adele = f.store.users().find(fabrikam, ADELE).orElseThrow();
    private final AuthenticatedClient desktop = new AuthenticatedClient(
            f.store.applications().findByAppId(fabrikam, DESKTOP).orElseThrow(), fabrikam,
            f.store.servicePrincipals().find(fabrikam, DESKTOP_SP).orElseThrow(), AuthenticatedClient.Method.NONE);

    private List<OAuth2PermissionGrant> principalGrants() {
        return f.store.permissionGrants().listByClient(fabrikam, DESKTOP_SP).stream()
                .filter(g -> OAuth2PermissionGrant.PRINCIPAL.equals(g.consentType())).toList();
    }

    @Test
    void incrementalConsentsMergeIntoOnePrincipalGrantDatedByTheNewestConsentAndEachIsAudited() {
        var first = consent.forUser(fabrikam, DESKTOP_SP, API_SP, ADELE, List.of("Orders.Admin"), f.clock.instant());
        f.clock.advance(Duration.ofMinutes(5));
        var second = consent.forUser(fabrikam, DESKTOP_SP, API_SP, ADELE, List.of("orders.admin", "access_as_user"),
                f.clock.instant());

        assertThat(principalGrants()).hasSize(1);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.scope()).isEqualTo("Orders.Admin access_as_user");
        assertThat(second.principalId()).isEqualTo(ADELE);
        assertThat(second.resourceId()).isEqualTo(API_SP);
        assertThat(second.createdDateTime()).as("the newest consent").isEqualTo(T0.plus(Duration.ofMinutes(5)));
        var audit = f.store.audit().recent(fabrikam, 10);
        assertThat(audit).extracting(dev.consentry.core.audit.DirectoryAudit::activityDisplayName)
                .containsExactly("Consent to application", "Consent to application");
        assertThat(audit.get(0).initiatedBy().id()).isEqualTo(ADELE.toString());
        assertThat(audit.get(0).targetResources().get(0).modifiedProperties()).contains(
                new dev.consentry.core.audit.DirectoryAudit.ModifiedProperty("ConsentAction.Permissions", "Orders.Admin",
                        "Orders.Admin access_as_user"));
        assertThat(scopes.resolve(fabrikam, desktop, adele, API_URI + "/Orders.Admin"))
                .isInstanceOf(DelegatedScopes.Granted.class);
    }

    @Test
    void aConsentThatAddsNothingWritesNothing() {
        var first = consent.forUser(fabrikam, DESKTOP_SP, API_SP, ADELE, List.of("Orders.Admin"), f.clock.instant());
        f.clock.advance(Duration.ofMinutes(1));
        var again = consent.forUser(fabrikam, DESKTOP_SP, API_SP, ADELE, List.of("ORDERS.ADMIN"), f.clock.instant());
        assertThat(again).isEqualTo(first);
        assertThat(principalGrants()).containsExactly(first);
    }

    @Test
    void atTheAuthorizeEndpointAnUnknownPermissionIsAadsts650053AndAtTheTokenEndpoint70011() {
        var atAuthorize = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.consentry.core.cause.FailureException.class,
                () -> scopes.resolve(fabrikam, desktop, adele, API_URI + "/Orders.Nope", true));
        assertThat(atAuthorize.failure().cause()).isEqualTo(Cause.SCOPE_NOT_ON_RESOURCE);
        assertThat(atAuthorize.failure().facts()).containsEntry("scope", "Orders.Nope")
                .containsEntry("resourceAppId", API.toString());
        var atToken = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.consentry.core.cause.FailureException.class,
                () -> scopes.resolve(fabrikam, desktop, adele, API_URI + "/Orders.Nope"));
        assertThat(atToken.failure().cause()).isEqualTo(Cause.SCOPE_INVALID);
    }

    @Test
    void defaultMixedWithSinglePermissionsOfTheSameResourceIsAadsts70011AtBothEndpoints() {
        for (boolean atAuthorize : new boolean[] {true, false}) {
            var refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    dev.consentry.core.cause.FailureException.class,
                    () -> scopes.resolve(fabrikam, desktop, adele, "openid " + API_URI + "/.default " + API_URI
                            + "/access_as_user", atAuthorize));
            assertThat(refused.failure().cause()).isEqualTo(Cause.SCOPE_DEFAULT_COMBINED);
            assertThat(refused.failure().publicMessage()).endsWith(".default scope can't be combined with resource-specific "
                    + "scopes.").contains(API_URI + "/.default");
            assertThat(refused.failure().cause().code()).isEqualTo(70011);
        }
        assertThat(scopes.resolve(fabrikam, desktop, adele, "openid offline_access " + API_URI + "/.default", true))
                .as("the OpenID Connect scopes may go with .default").isNotNull();
    }

    @Test
    void theRefreshGrantRefusesAScopeNeverConsentedWithEntrasMessageNamingTheApp() {
        String rt = f.adeleSignsIn(API_URI + "/access_as_user offline_access").get("refresh_token").toString();
        var outcome = f.post("grant_type", "refresh_token", "client_id", DESKTOP.toString(), "refresh_token", rt,
                "scope", API_URI + "/Orders.Admin offline_access");
        assertThat(refused(outcome)).isEqualTo(Cause.CONSENT_REQUIRED);
        var failure = ((TokenOutcome.Refused) outcome).failure();
        assertThat(failure.cause().error()).isEqualTo("invalid_grant");
        String appName = f.store.applications().findByAppId(fabrikam, DESKTOP).orElseThrow().displayName();
        assertThat(failure.publicMessage()).isEqualTo("The user or administrator has not consented to use the application with ID '"
                + DESKTOP + "' named '" + appName + "'. Send an interactive authorization request for this user and resource.");
    }

    @Test
    void staticConsentAtTheAuthorizeEndpointListsTheRegistrationsUnconsentedDelegatedPermissions() {
        // The registration lists Graph's User.Read and Mail.Read as delegated permissions; nothing of Graph is consented.
        var app = f.store.applications().findByAppId(fabrikam, DESKTOP).orElseThrow();
        var required = new dev.consentry.core.directory.RequiredResourceAccess(WellKnown.GRAPH_APP_ID.toString(), List.of(
                new dev.consentry.core.directory.RequiredResourceAccess.ResourceAccess(
                        UUID.fromString("e1fe6dd8-ba31-4d61-89e7-88639da4683d"), "Scope"),
                new dev.consentry.core.directory.RequiredResourceAccess.ResourceAccess(
                        UUID.fromString("570282fd-fa5c-430d-a7fd-fc8dc98a9dca"), "Scope")));
        var withRequired = new dev.consentry.core.directory.Application(app.id(), app.appId(), app.displayName(),
                app.signInAudience(), app.identifierUris(), app.api(), app.appRoles(), app.passwordCredentials(),
                app.keyCredentials(), List.of(required), app.web(), app.spa(), app.publicClient(),
                app.isFallbackPublicClient(), app.additionalProperties());
        var client = new AuthenticatedClient(withRequired, fabrikam, desktop.servicePrincipal(), AuthenticatedClient.Method.NONE);

        var resolution = scopes.resolve(fabrikam, client, adele, "openid https://graph.microsoft.com/.default", true);
        assertThat(resolution).isInstanceOf(ConsentNeeded.class);
        assertThat(((ConsentNeeded) resolution).toConsent()).extracting(PermissionScope::value)
                .containsExactly("User.Read", "Mail.Read");
        // The token endpoint's reading of the same scope is unchanged: nothing consented, nothing to list.
        assertThat(((ConsentNeeded) scopes.resolve(fabrikam, client, adele, "https://graph.microsoft.com/.default"))
                .toConsent()).isEmpty();
    }

    @Test
    void ownWordsSayReadOrWriteOwnOrEveryonesAndAdminConsentFromTheFactsAlone() {
        var graph = new ResourceResolver(f.store).resolve(fabrikam, "https://graph.microsoft.com");
        OwnWords words = new OwnWords();
        PermissionScope mailRead = graph.scopes().stream().filter(p -> p.value().equals("Mail.Read")).findFirst().orElseThrow();
        PermissionScope mailWrite = graph.scopes().stream().filter(p -> p.value().equals("Mail.ReadWrite")).findFirst().orElseThrow();
        PermissionScope usersAll = graph.scopes().stream().filter(p -> p.value().equals("User.Read.All")).findFirst().orElseThrow();
        assertThat(words.describe(graph, mailRead)).isEqualTo("Read your mail in Microsoft Graph.");
        assertThat(words.describe(graph, mailWrite)).isEqualTo("Read and change your mail in Microsoft Graph.");
        assertThat(usersAll.requiresAdminConsent()).isTrue();
        assertThat(words.describe(graph, usersAll))
                .isEqualTo("Read everyone's user profile in Microsoft Graph; only an administrator can grant this.");
    }
}
