package dev.consentry.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in Graph catalogue checked against Microsoft's published data, and its path matching. */
class GraphPermissionCatalogueTest {
    static GraphPermissionCatalogue catalogue;
    static JsonNode data;
    static JsonNode descriptions;

    @BeforeAll
    static void load() throws IOException {
        catalogue = GraphPermissionCatalogue.builtin();
        Path dir = CatalogueGeneratorTest.sharedData();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = Files.newInputStream(dir.resolve("permissions.json"))) {
            data = json.readTree(in).path("permissions");
        }
        descriptions = json.readTree(dir.resolve("permissions-descriptions.json").toFile());
    }

    @Test
    void everyOAuthPermissionAndSchemeOfTheDataIsInTheCatalogue() {
        int count = 0;
        for (Map.Entry<String, JsonNode> e : data.properties()) {
            if (!"oAuth2".equals(e.getValue().path("authorizationType").asText())) {
                assertThat(catalogue.permission(e.getKey())).as("RSC permission " + e.getKey() + " is left out").isEmpty();
                continue;
            }
            count++;
            GraphPermission p = catalogue.permission(e.getKey()).orElseThrow(() -> new AssertionError(e.getKey()));
            for (Iterator<String> s = e.getValue().path("schemes").fieldNames(); s.hasNext(); ) {
                String scheme = s.next();
                Scheme sc = Scheme.fromDataName(scheme).orElseThrow();
                assertThat(p.in(sc)).as(e.getKey() + " " + scheme).isPresent();
                boolean admin = sc == Scheme.APPLICATION
                        || e.getValue().path("schemes").path(scheme).path("requiresAdminConsent").asBoolean();
                assertThat(p.in(sc).get().requiresAdminConsent()).as(e.getKey() + " admin consent").isEqualTo(admin);
            }
        }
        assertThat(catalogue.permissions()).hasSize(count);
        assertThat(count).isGreaterThan(800);
    }

    @Test
    void idsAreMicrosoftsWhereTheDataHasThem() {
        for (JsonNode d : descriptions.path("delegatedScopesList")) {
            catalogue.permission(d.path("value").asText()).flatMap(p -> p.in(Scheme.DELEGATED_WORK)).ifPresent(f ->
                    assertThat(f.id()).as(d.path("value").asText()).isEqualTo(UUID.fromString(d.path("id").asText())));
        }
        for (JsonNode d : descriptions.path("applicationScopesList")) {
            catalogue.permission(d.path("value").asText()).flatMap(p -> p.in(Scheme.APPLICATION)).ifPresent(f ->
                    assertThat(f.id()).as(d.path("value").asText()).isEqualTo(UUID.fromString(d.path("id").asText())));
        }
        assertThat(catalogue.permission("User.Read").orElseThrow().in(Scheme.DELEGATED_WORK).orElseThrow().id())
                .isEqualTo(UUID.fromString("e1fe6dd8-ba31-4d61-89e7-88639da4683d"));
        assertThat(catalogue.permission("user.read.all").orElseThrow().in(Scheme.APPLICATION).orElseThrow().id())
                .isEqualTo(UUID.fromString("df021288-bdef-4463-88db-98f22de89214"));
    }

    @Test
    void everyPathOfTheDataIsInTheIndexWithItsMarkers() throws IOException {
        // The corrections replace the data's rules for their templates; the test below covers them.
        Set<String> corrected = new HashSet<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(GraphPermissionCatalogue.class
                .getResourceAsStream("/dev/consentry/core/permission/graph-paths-corrections.tsv"),
                java.nio.charset.StandardCharsets.UTF_8))) {
            CatalogueFiles.readPaths(in).forEach(r -> corrected.add(r.template()));
        }
        Set<String> indexed = new HashSet<>();
        int correctedRules = 0;
        for (PathRule r : catalogue.pathRules()) {
            if (corrected.contains(r.template())) {
                correctedRules++;
                continue;
            }
            indexed.add(r.permission() + "|" + r.template() + "|" + String.join(",", new java.util.TreeSet<>(r.methods()))
                    + "|" + r.leastFor().size() + "|" + String.join(",", r.alsoRequires()));
        }
        int paths = 0;
        for (Map.Entry<String, JsonNode> e : data.properties()) {
            if (!"oAuth2".equals(e.getValue().path("authorizationType").asText())) {
                continue;
            }
            for (JsonNode set : e.getValue().path("pathSets")) {
                java.util.TreeSet<String> methods = new java.util.TreeSet<>();
                set.path("methods").forEach(m -> methods.add(m.asText().toUpperCase()));
                for (Map.Entry<String, JsonNode> path : set.path("paths").properties()) {
                    if (corrected.contains(path.getKey())) {
                        continue;
                    }
                    PermissionsFile.Marker m = PermissionsFile.Marker.parse(path.getValue().asText());
                    String key = e.getKey() + "|" + path.getKey() + "|" + String.join(",", methods) + "|" + m.least().size()
                            + "|" + String.join(",", m.alsoRequires());
                    assertThat(indexed).as(key).contains(key);
                    paths++;
                }
            }
        }
        // Beside the data: the supplement's facts from the Graph API reference (three rules for adding a group member).
        assertThat(catalogue.pathRules()).hasSize(paths + 3 + correctedRules);
    }

    @Test
    void writingNamedLocationsAndPoliciesNeedsTheWritePermissionWithPolicyReadAll() {
        // Microsoft's data lets Policy.Read.All alone POST; the API reference needs it and Policy.ReadWrite.ConditionalAccess.
        for (String[] call : new String[][] {{"POST", "/v1.0/identity/conditionalAccess/namedLocations"},
                {"PATCH", "/v1.0/identity/conditionalAccess/namedLocations/n1"},
                {"DELETE", "/beta/identity/conditionalAccess/namedLocations/n1"},
                {"POST", "/v1.0/identity/conditionalAccess/policies"},
                {"PATCH", "/v1.0/identity/conditionalAccess/policies/p1"},
                {"DELETE", "/beta/identity/conditionalAccess/policies/p1"}}) {
            PathMatch.Matched m = (PathMatch.Matched) catalogue.match(call[0], call[1], Scheme.APPLICATION);
            assertThat(m.sufficient()).as(call[0]).containsExactly("Policy.ReadWrite.ConditionalAccess");
            assertThat(m.leastPrivileged()).containsExactly("Policy.ReadWrite.ConditionalAccess");
            assertThat(m.alsoRequires()).containsEntry("Policy.ReadWrite.ConditionalAccess", java.util.List.of("Policy.Read.All"));
        }
        PathMatch.Matched read = (PathMatch.Matched) catalogue.match("GET", "/v1.0/identity/conditionalAccess/namedLocations/n1",
                Scheme.DELEGATED_WORK);
        assertThat(read.leastPrivileged()).containsExactly("Policy.Read.All");
        PathMatch.Matched list = (PathMatch.Matched) catalogue.match("GET", "/v1.0/identity/conditionalAccess/policies",
                Scheme.APPLICATION);
        assertThat(list.leastPrivileged()).containsExactly("Policy.Read.All");
    }

    @Test
    void textAroundAPlaceholderMustBeThereToMatch() {
        // /sites/{id}:/{id} addresses a site by host and path; its "{id}:" segment needs the colon, so a plain
        // /sites/{id}/permissions is that template, not the path addressing one.
        PathMatch.Matched permissions = (PathMatch.Matched) catalogue.match("GET", "/v1.0/sites/contoso/permissions",
                Scheme.APPLICATION);
        assertThat(permissions.templates()).containsExactly("/sites/{id}/permissions");
        PathMatch.Matched byPath = (PathMatch.Matched) catalogue.match("GET", "/v1.0/sites/contoso.sharepoint.com:/teams",
                Scheme.APPLICATION);
        assertThat(byPath.templates()).containsExactly("/sites/{id}:/{id}");
    }

    @Test
    void aReferenceOperationIsAuthorizedAsItsRelationship() {
        PathMatch.Matched add = (PathMatch.Matched) catalogue.match("POST", "/v1.0/directoryRoles/r1/members/$ref",
                Scheme.APPLICATION);
        assertThat(add.templates()).containsExactly("/directoryroles/{id}/members");
        assertThat(add.sufficient()).contains("RoleManagement.ReadWrite.Directory");
        PathMatch.Matched remove = (PathMatch.Matched) catalogue.match("DELETE", "/v1.0/directoryRoles/r1/members/u1/$ref",
                Scheme.APPLICATION);
        assertThat(remove.templates()).containsExactly("/directoryroles/{id}/members/{id}");
        // Where the data does list the $ref segment, the request still reaches that template.
        PathMatch.Matched listed = (PathMatch.Matched) catalogue.match("POST",
                "/beta/directory/templates/deviceTemplates/t1/owners/$ref", Scheme.APPLICATION);
        assertThat(listed.templates()).anyMatch(t -> t.toLowerCase(java.util.Locale.ROOT).endsWith("/owners/$ref"));
        assertThat(listed.sufficient()).isNotEmpty();
    }

    @Test
    void aReadWritePermissionReadsWhereItsReadCounterpartDoes() {
        // The data lists Mail.ReadWrite on /me/messages/{id} for DELETE and PATCH only; Graph reads with it too.
        PathMatch.Matched get = (PathMatch.Matched) catalogue.match("GET", "/v1.0/me/messages/AAMk", Scheme.DELEGATED_WORK);
        assertThat(get.sufficient()).contains("Mail.Read", "Mail.ReadWrite");
        assertThat(get.leastPrivileged()).doesNotContain("Mail.ReadWrite");
        PathMatch.Matched patch = (PathMatch.Matched) catalogue.match("PATCH", "/v1.0/me/messages/AAMk", Scheme.DELEGATED_WORK);
        assertThat(patch.sufficient()).as("writing is not widened").doesNotContain("Mail.Read");
    }

    @Test
    void theSupplementFillsWhatMicrosoftsDataLacks() {
        // Adding a group member (POST /groups/{id}/members/$ref) is in the Graph API reference, not in the data.
        PathMatch.Matched add = (PathMatch.Matched) catalogue.match("POST", "/v1.0/groups/g1/members/$ref", Scheme.APPLICATION);
        assertThat(add.sufficient()).containsExactlyInAnyOrder("GroupMember.ReadWrite.All", "Group.ReadWrite.All",
                "Directory.ReadWrite.All");
        assertThat(add.leastPrivileged()).containsExactly("GroupMember.ReadWrite.All");
    }

    @Test
    void readmeWorkedExampleMeMessages() {
        PathMatch.Matched delegated = (PathMatch.Matched) catalogue.match("GET", "/v1.0/me/messages", Scheme.DELEGATED_WORK);
        assertThat(delegated.sufficient()).containsExactlyInAnyOrder("Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite");
        assertThat(delegated.leastPrivileged()).containsExactly("Mail.ReadBasic");
        assertThat(delegated.sufficient().get(0)).isEqualTo("Mail.ReadBasic");

        PathMatch.Matched personal = (PathMatch.Matched) catalogue.match("GET", "/me/messages", Scheme.DELEGATED_PERSONAL);
        assertThat(personal.leastPrivileged()).containsExactly("Mail.ReadBasic");
    }

    @Test
    void applicationSchemeOfUserMessages() {
        PathMatch.Matched app = (PathMatch.Matched) catalogue.match("GET", "/users/42/messages", Scheme.APPLICATION);
        assertThat(app.leastPrivileged()).containsExactly("Mail.ReadBasic.All");
        assertThat(app.sufficient()).contains("Mail.Read", "Mail.ReadWrite").doesNotContain("Mail.ReadBasic");
    }

    @Test
    void matchingIgnoresCaseVersionQueryTrailingSlashAndEncoding() {
        PathMatch a = catalogue.match("get", "/BETA/Me/Messages/?$top=5", Scheme.DELEGATED_WORK);
        PathMatch b = catalogue.match("GET", "https://graph.microsoft.com/v1.0/me/messages", Scheme.DELEGATED_WORK);
        assertThat(a).isEqualTo(b).isInstanceOf(PathMatch.Matched.class);
        PathMatch byUpn = catalogue.match("GET", "/users/adele%40contoso.com/messages", Scheme.DELEGATED_WORK);
        assertThat(((PathMatch.Matched) byUpn).templates()).contains("/users/{id}/messages");
    }

    @Test
    void literalSegmentsWinOverPlaceholders() {
        PathMatch.Matched delta = (PathMatch.Matched) catalogue.match("GET", "/users/delta", Scheme.APPLICATION);
        assertThat(delta.templates()).allMatch(t -> t.toLowerCase().endsWith("/delta"));
    }

    @Test
    void unknownPathIsNoSuchPath() {
        assertThat(catalogue.match("GET", "/v1.0/nosuchthing/at/all", Scheme.APPLICATION)).isInstanceOf(PathMatch.NoSuchPath.class);
    }

    @Test
    void knownPathWithoutPermissionForTheMethodHasNoSufficientPermission() {
        PathMatch.Matched m = (PathMatch.Matched) catalogue.match("PATCH", "/me/messages", Scheme.APPLICATION);
        assertThat(m.sufficient()).isEmpty();
        assertThat(m.leastPrivileged()).isEmpty();
    }

    @Test
    void graphServicePrincipalShapes() {
        assertThat(catalogue.appRoles()).anySatisfy(r -> {
            assertThat(r.value()).isEqualTo("User.Read.All");
            assertThat(r.allowedMemberTypes()).containsExactly("Application");
        });
        assertThat(catalogue.delegatedScopes()).anySatisfy(s -> {
            assertThat(s.value()).isEqualTo("User.Read");
            assertThat(s.type()).isEqualTo("User");
        });
        assertThat(catalogue.delegatedScopes()).anySatisfy(s -> {
            assertThat(s.value()).isEqualTo("Directory.Read.All");
            assertThat(s.type()).isEqualTo("Admin");
        });
    }

    @Test
    void directoryRoles() {
        var roles = DirectoryRoleCatalogue.builtin();
        assertThat(roles.byId("62E90394-69F5-4237-9190-012177145E10")).hasValueSatisfying(r -> {
            assertThat(r.displayName()).isEqualTo("Global Administrator");
            assertThat(r.privileged()).isTrue();
        });
        assertThat(roles.byName("helpdesk administrator")).isPresent();
        assertThat(roles.roles()).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void runtimeImportOfAPermissionsFileKeepsBuiltinIds() throws IOException {
        GraphPermissionCatalogue imported = GraphPermissionCatalogue.fromPermissionsFile(
                CatalogueGeneratorTest.sharedData().resolve("permissions.json"));
        assertThat(imported.permissions()).hasSameSizeAs(catalogue.permissions());
        assertThat(imported.permission("Mail.Read").orElseThrow()).isEqualTo(catalogue.permission("Mail.Read").orElseThrow());
        assertThat(imported.pathRules()).hasSameSizeAs(catalogue.pathRules());
    }
}
