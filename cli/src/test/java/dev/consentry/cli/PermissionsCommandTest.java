package dev.consentry.cli;

import static dev.consentry.cli.CommandLineTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.cli.CommandLineTest.Run;
import org.junit.jupiter.api.Test;

/** {@code consentry permissions show}, run in-process through {@link Main#commandLine()}. */
class PermissionsCommandTest {

    @Test
    void showsBothIdsOfOneNameTheirConsentAndTheFirstRoutes() {
        Run r = run("permissions", "show", "user.read.all");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("User.Read.All (Microsoft Graph, 00000003-0000-0000-c000-000000000000)")
                .contains("delegated (Scope)    a154be20-db9c-4678-8ab7-66f6cc099a59  admin consent required; work or school accounts")
                .contains("application (Role)   df021288-bdef-4463-88db-98f22de89214  admin consent required")
                .contains("\n  GET   /users  [delegated, application]\n").doesNotContain("made up");
        String[] lines = r.out().split("\\R");
        int routes = Integer.parseInt(r.out().replaceAll("(?s).*Routes it allows \\((\\d+)\\):.*", "$1"));
        assertThat(routes).isGreaterThan(PermissionsCommand.Show.ROUTES_SHOWN);
        assertThat(lines).filteredOn(l -> l.startsWith("  ") && l.contains(" /")).hasSize(PermissionsCommand.Show.ROUTES_SHOWN);
        assertThat(r.out()).contains("... and " + (routes - PermissionsCommand.Show.ROUTES_SHOWN) + " more (--all lists them)");

        Run every = run("permissions", "show", "User.Read.All", "--all");
        assertThat(every.out().split("\\R")).filteredOn(l -> l.startsWith("  ") && l.contains(" /")).hasSize(routes);
        assertThat(every.out()).doesNotContain("more (--all");
    }

    @Test
    void aDelegatedOnlyPermissionThatUsersMayConsentTo() {
        Run r = run("permissions", "show", "User.Read");
        assertThat(r.out()).contains("delegated (Scope)    e1fe6dd8-ba31-4d61-89e7-88639da4683d  users may consent; "
                + "work, school and personal accounts").contains("application (Role)   none");
    }

    @Test
    void saysWhereConsentryMadeTheIdUpAndWhichRoutesComeFromTheApiReference() {
        assertThat(run("permissions", "show", "AgentCardManifest.Read.All").out())
                .contains("49671c73-f3c0-3c5c-ae06-e69d00819881  admin consent required; work or school accounts; "
                        + "id made up by Consentry (Microsoft publishes none)");
        assertThat(run("permissions", "show", "GroupMember.ReadWrite.All", "--all").out())
                .contains("/groups/{id}/members/$ref  [delegated, application]  (from the Graph API reference)");
    }

    @Test
    void jsonHasEverySchemeAndEveryRoute() throws Exception {
        Run r = run("permissions", "show", "User.Read.All", "--output", "json");
        assertThat(r.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("name").asText()).isEqualTo("User.Read.All");
        assertThat(json.path("schemes").path("DelegatedWork").path("id").asText()).isEqualTo("a154be20-db9c-4678-8ab7-66f6cc099a59");
        assertThat(json.path("schemes").path("DelegatedWork").path("type").asText()).isEqualTo("Scope");
        assertThat(json.path("schemes").path("Application").path("id").asText()).isEqualTo("df021288-bdef-4463-88db-98f22de89214");
        assertThat(json.path("schemes").path("Application").path("type").asText()).isEqualTo("Role");
        assertThat(json.path("schemes").path("Application").path("requiresAdminConsent").asBoolean()).isTrue();
        assertThat(json.path("schemes").path("Application").path("idMadeUpByConsentry").asBoolean()).isFalse();
        assertThat(json.path("schemes").has("DelegatedPersonal")).isFalse();
        assertThat(json.path("routes").size()).isGreaterThan(PermissionsCommand.Show.ROUTES_SHOWN);
        assertThat(json.path("routes").path(0).path("methods").isArray()).isTrue();
        assertThat(json.path("routes").path(0).path("source").asText()).isEqualTo("permissions data");
    }

    @Test
    void anUnknownNameIsOneLineWithTheNearestName() {
        Run r = run("permissions", "show", "User.Reed.All");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("consentry: Microsoft Graph has no permission named User.Reed.All in Consentry's "
                + "catalogue; did you mean User.Read.All?");
        assertThat(run("permissions", "show", "Nothing.Like.This").err().strip()).doesNotContain("did you mean").doesNotContain("\n");
    }
}
