package dev.consentry.core.tenantfile;

import static dev.consentry.core.tenantfile.TenantFileTest.read;
import static dev.consentry.core.tenantfile.TenantFileTest.refused;
import static dev.consentry.core.tenantfile.TenantFileTest.tenant;
import static dev.consentry.core.tenantfile.TenantFileTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.KeyCredential;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.PasswordProfile;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RedirectUris;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.directory.User;
import dev.consentry.core.directory.VerifiedDomain;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A property name Graph's v1.0 metadata does not define for the object's type, and that is not Consentry's own, is
 * refused with its path and the name probably meant; Graph's names Consentry does not use, annotations and extension
 * properties are kept through import and export.
 */
class GraphPropertyNamesTest {
    static final String USER = "{\"id\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f1%d\",\"userPrincipalName\":\"u%d@contoso.com\"%s}";
    static final String APP = "{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31\",\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\"%s}";

    static String user(int n, String more) {
        return String.format(USER, n, n, more.isEmpty() ? "" : "," + more);
    }

    static String users(String thirdUser) {
        return "\"users\":[" + user(1, "") + "," + user(2, "") + "," + user(3, thirdUser) + "]";
    }

    static String app(String more) {
        return String.format(APP, more.isEmpty() ? "" : "," + more);
    }

    // ---- refusals ----------------------------------------------------------------------------------

    @Test
    void aMisspeltPropertyOfAUserIsRefusedWithItsPathAndTheNameMeant() {
        TenantFileException e = refused(tenant(users("\"passwordProfle\":{\"password\":\"Adele-Passw0rd!\"}")));
        assertThat(e.path()).isEqualTo("$.tenants[0].users[2].passwordProfle");
        assertThat(e.getMessage()).isEqualTo("test.json: $.tenants[0].users[2].passwordProfle: unknown property"
                + " 'passwordProfle': Microsoft Graph v1.0 defines no such property on user; did you mean passwordProfile?");
    }

    @Test
    void aMisspeltTopLevelPropertyIsRefusedNamingTenants() {
        TenantFileException e = refused("{\"tenant\": []}");
        assertThat(e.path()).isEqualTo("$.tenant");
        assertThat(e.getMessage()).isEqualTo("test.json: $.tenant: unknown property 'tenant': the file's top level holds"
                + " only tenants; did you mean tenants?");
    }

    @Test
    void nestedObjectsAreCheckedAgainstTheirGraphTypes() {
        assertRefused(tenant(users("\"passwordProfile\":{\"pasword\":\"x\"}")),
                "$.tenants[0].users[2].passwordProfile.pasword",
                "unknown property 'pasword': Microsoft Graph v1.0 defines no such property on passwordProfile;"
                        + " did you mean password?");
        assertRefused(tenant("\"applications\":[" + app("\"appRoles\":[{\"id\":\"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d41\","
                        + "\"value\":\"Orders.Read.All\",\"allowedMemberType\":[\"Application\"]}]") + "]"),
                "$.tenants[0].applications[0].appRoles[0].allowedMemberType",
                "unknown property 'allowedMemberType': Microsoft Graph v1.0 defines no such property on appRole;"
                        + " did you mean allowedMemberTypes?");
        assertRefused(tenant("\"applications\":[" + app("\"web\":{\"implicitGrantSettings\":{\"enableIdTokenIssuence\":true}}")
                        + "]"),
                "$.tenants[0].applications[0].web.implicitGrantSettings.enableIdTokenIssuence",
                "unknown property 'enableIdTokenIssuence': Microsoft Graph v1.0 defines no such property on"
                        + " implicitGrantSettings; did you mean enableIdTokenIssuance?");
        assertRefused(tenant("\"applications\":[" + app("\"passwordCredentials\":[{\"keyId\":"
                        + "\"6f1a3c54-8b7e-4d0f-a265-9e3a4b1c7d51\",\"secrettext\":\"s3cret-value\"}]") + "]"),
                "$.tenants[0].applications[0].passwordCredentials[0].secrettext",
                "unknown property 'secrettext': Microsoft Graph v1.0 defines no such property on passwordCredential;"
                        + " did you mean secretText?");
        assertRefused(tenant("\"conditionalAccessPolicies\":[{\"id\":\"p1\",\"conditions\":{\"users\":"
                        + "{\"includeUser\":[\"All\"]}}}]"),
                "$.tenants[0].conditionalAccessPolicies[0].conditions.users.includeUser",
                "unknown property 'includeUser': Microsoft Graph v1.0 defines no such property on"
                        + " conditionalAccessUsers; did you mean includeUsers?");
        assertRefused(tenant(users("\"messages\":[{\"subject\":\"Hi\",\"from\":{\"emailAddress\":{\"adress\":\"a@b.c\"}}}]")),
                "$.tenants[0].users[2].messages[0].from.emailAddress.adress",
                "unknown property 'adress': Microsoft Graph v1.0 defines no such property on emailAddress;"
                        + " did you mean address?");
        assertRefused(tenant(users("\"driveItems\":[{\"name\":\"Plan.docx\",\"sise\":12}]")),
                "$.tenants[0].users[2].driveItems[0].sise",
                "unknown property 'sise': Microsoft Graph v1.0 defines no such property on driveItem; did you mean size?");
    }

    @Test
    void aTenantsOwnPropertiesAndSettingsAreCheckedToo() {
        assertRefused(tenant("\"user\":[]"), "$.tenants[0].user",
                "unknown property 'user': Microsoft Graph v1.0 defines no such property on a tenant (Graph's"
                        + " organization), nor is it one of the collections a tenant holds; did you mean users?");
        assertRefused(tenant("\"settings\":{\"errorProfle\":\"troubleshooting-guide\"}"), "$.tenants[0].settings.errorProfle",
                "unknown property 'errorProfle': a tenant's settings are only authenticationContexts, errorProfile,"
                        + " lockoutDurationInSeconds, lockoutThreshold, logRetentionDays, logRetentionEntries;"
                        + " did you mean errorProfile?");
    }

    @Test
    void aNameDifferingOnlyInCaseIsSuggestedBeforeACloserSpelling() {
        assertRefused(tenant(users("\"DisplayName\":\"Adele\"")), "$.tenants[0].users[2].DisplayName",
                "unknown property 'DisplayName': Microsoft Graph v1.0 defines no such property on user;"
                        + " did you mean displayName?");
        assertThat(GraphPropertyNames.nearest("mail", Set.of("Mail", "mails", "maiL"))).as("case first, then A-Z")
                .isEqualTo("Mail");
        assertThat(GraphPropertyNames.nearest("mial", Set.of("mail", "dial"))).as("fewest edits").isEqualTo("dial");
        assertThat(GraphPropertyNames.nearest("abcdef", Set.of("abcxyz"))).as("three edits in six letters: too far").isNull();
    }

    @Test
    void aNameCloseToNothingIsRefusedWithoutASuggestion() {
        assertRefused(tenant(users("\"contosoNote\":\"mine\"")), "$.tenants[0].users[2].contosoNote",
                "unknown property 'contosoNote': Microsoft Graph v1.0 defines no such property on user");
    }

    @Test
    void anOdataTypeChoosesTheDerivedTypeItNames() throws IOException {
        String meeting = "\"meetingMessageType\":\"meetingRequest\"";
        TenantDirectory loaded = read(tenant(users("\"messages\":[{\"@odata.type\":\"#microsoft.graph.eventMessage\","
                + meeting + "},{" + meeting + "}]"))).get(0);
        assertThat(loaded.users().get(2).additionalProperties().get("messages").toString()).contains("meetingRequest");
        assertRefused(tenant(users("\"messages\":[{\"@odata.type\":\"#microsoft.graph.message\"," + meeting + "}]")),
                "$.tenants[0].users[2].messages[0].meetingMessageType",
                "unknown property 'meetingMessageType': Microsoft Graph v1.0 defines no such property on message");
    }

    @Test
    void extensionPropertiesAreTakenOnlyWhereGraphAllowsThem() throws IOException {
        String extension = "extension_5e0f2b437a6d4c9eb1548d2f3a0b6c41_costCentre";
        TenantDirectory loaded = read(tenant(users("\"" + extension + "\":\"CC-12\""))).get(0);
        assertThat(loaded.users().get(2).additionalProperties()).containsEntry(extension, "CC-12");
        String attributes = "\"customSecurityAttributes\":{\"Engineering\":{\"@odata.type\":"
                + "\"#Microsoft.DirectoryServices.CustomSecurityAttributeValue\",\"Project\":\"Baker\"}}";
        assertThat(read(tenant(users(attributes))).get(0).users().get(2).additionalProperties())
                .as("attribute sets are named by the tenant").containsKey("customSecurityAttributes");
        // passwordProfile is no open type: nothing extends it.
        assertRefused(tenant(users("\"passwordProfile\":{\"password\":\"x-Passw0rd\",\"" + extension + "\":\"CC-12\"}")),
                "$.tenants[0].users[2].passwordProfile." + extension,
                "unknown property '" + extension + "': Microsoft Graph v1.0 defines no such property on passwordProfile");
    }

    @Test
    void theFileWrapperTakesNoAnnotation() {
        assertRefused("{\"@odata.context\":\"x\",\"tenants\":[]}", "$.@odata.context",
                "unknown property '@odata.context': the file's top level holds only tenants");
    }

    static void assertRefused(String json, String path, String message) {
        TenantFileException e = refused(json);
        assertThat(e.path()).isEqualTo(path);
        assertThat(e.getMessage()).isEqualTo("test.json: " + path + ": " + message);
    }

    // ---- what is kept ------------------------------------------------------------------------------

    @Test
    void graphPropertiesConsentryDoesNotUseAndAnnotationsAreKeptThroughImportAndExport() throws IOException {
        String json = "{\"tenants\":[{"
                + "\"id\":\"7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01\",\"displayName\":\"Contoso\",\"city\":\"Redmond\","
                + "\"verifiedDomains\":[{\"name\":\"contoso.com\",\"capabilities\":\"Email, OfficeCommunicationsOnline\"}],"
                + "\"users\":[" + user(1, "\"@odata.type\":\"#microsoft.graph.user\",\"employeeId\":\"E-1\","
                + "\"passwordProfile\":{\"password\":\"Adele-Passw0rd!\",\"forceChangePasswordNextSignInWithMfa\":true}")
                + "]," + "\"applications\":[" + app("\"notes\":\"kept\",\"appRoles\":[{\"id\":"
                + "\"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d41\",\"value\":\"Orders.Read.All\",\"origin\":\"Application\","
                + "\"allowedMemberTypes\":[\"Application\"]}]") + "]}]}";
        List<TenantDirectory> loaded = read(json);
        TenantDirectory t = loaded.get(0);
        assertThat(t.additionalProperties()).containsEntry("city", "Redmond");
        assertThat(t.users().get(0).additionalProperties()).containsEntry("employeeId", "E-1");
        assertThat(t.users().get(0).passwordProfile().additionalProperties())
                .containsEntry("forceChangePasswordNextSignInWithMfa", true);
        assertThat(t.applications().get(0).appRoles().get(0).additionalProperties()).containsEntry("origin", "Application");

        byte[] exported = write(loaded);
        JsonNode written = new ObjectMapper().readTree(exported).path("tenants").path(0);
        assertThat(written.path("city").asText()).isEqualTo("Redmond");
        assertThat(written.path("users").path(0).path("employeeId").asText()).isEqualTo("E-1");
        assertThat(written.path("users").path(0).path("passwordProfile").path("passwordHash").isTextual())
                .as("Consentry's own property, written by export").isTrue();
        assertThat(written.path("applications").path(0).path("notes").asText()).isEqualTo("kept");
        assertThat(TenantFile.read(new java.io.ByteArrayInputStream(exported), "again", TenantFileTest.FAST))
                .as("the export re-imports").isEqualTo(loaded);
    }

    @Test
    void everyExampleTenantFileLoads() throws IOException {
        List<Path> examples = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("../examples"), "*.json")) {
            files.forEach(examples::add);
        }
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            assertThat(TenantFile.read(example, TenantFileTest.FAST)).as(example.toString()).isNotEmpty();
        }
    }

    // ---- the model itself --------------------------------------------------------------------------

    /**
     * Every property a directory record reads or writes is Graph's for the type its object has in the file, or one of
     * Consentry's listed ones: else an export would write a name the next import refuses.
     */
    @Test
    void everyPropertyTheRecordsModelIsAcceptedForItsType() {
        Map<Class<? extends Record>, String> types = Map.ofEntries(
                Map.entry(TenantDirectory.class, GraphPropertyNames.TENANT),
                Map.entry(TenantSettings.class, GraphPropertyNames.SETTINGS),
                Map.entry(VerifiedDomain.class, "verifiedDomain"),
                Map.entry(User.class, "user"),
                Map.entry(PasswordProfile.class, "passwordProfile"),
                Map.entry(AssignedLicense.class, "assignedLicense"),
                Map.entry(Group.class, "group"),
                Map.entry(Application.class, "application"),
                Map.entry(ApiApplication.class, "apiApplication"),
                Map.entry(PermissionScope.class, "permissionScope"),
                Map.entry(AppRole.class, "appRole"),
                Map.entry(PasswordCredential.class, "passwordCredential"),
                Map.entry(KeyCredential.class, "keyCredential"),
                Map.entry(RequiredResourceAccess.class, "requiredResourceAccess"),
                Map.entry(RequiredResourceAccess.ResourceAccess.class, "resourceAccess"),
                Map.entry(RedirectUris.class, "publicClientApplication"),
                Map.entry(ServicePrincipal.class, "servicePrincipal"),
                Map.entry(AppRoleAssignment.class, "appRoleAssignment"),
                Map.entry(OAuth2PermissionGrant.class, "oAuth2PermissionGrant"),
                Map.entry(RoleAssignment.class, "unifiedRoleAssignment"),
                Map.entry(SubscribedSku.class, "subscribedSku"),
                Map.entry(SubscribedSku.ServicePlan.class, "servicePlanInfo"),
                Map.entry(ConditionalAccessPolicy.class, "conditionalAccessPolicy"));
        List<String> refused = new ArrayList<>();
        types.forEach((record, type) -> {
            Set<String> accepted = new TreeSet<>(GraphPropertyNames.graphNames(type));
            accepted.addAll(GraphPropertyNames.CONSENTRY_PROPERTIES.getOrDefault(type, Set.of()));
            for (var c : record.getRecordComponents()) {
                String name = c.getName();
                // RedirectUris serves web, spa and publicClient; only web has a logoutUrl in Graph.
                boolean webOnly = record == RedirectUris.class && name.equals("logoutUrl")
                        && GraphPropertyNames.graphNames("webApplication").contains(name);
                if (!name.equals("additionalProperties") && !accepted.contains(name) && !webOnly) {
                    refused.add(record.getSimpleName() + "." + name + " (" + type + ")");
                }
            }
        });
        assertThat(refused).isEmpty();
    }

    @Test
    void everyTypeTheCheckNamesIsInTheResource() {
        List<String> unknown = new ArrayList<>();
        GraphPropertyNames.CONSENTRY_PROPERTIES.keySet().forEach(type -> {
            if (!type.startsWith("(") && GraphPropertyNames.graphNames(type).isEmpty()) {
                unknown.add(type);
            }
        });
        GraphPropertyNames.graphRootTypes().forEach(type -> {
            if (GraphPropertyNames.graphNames(type).isEmpty()) {
                unknown.add(type);
            }
        });
        assertThat(unknown).isEmpty();
        assertThat(GraphPropertyNames.graphNames("user")).as("inherited from directoryObject and entity")
                .contains("id", "deletedDateTime", "passwordProfile", "manager");
    }
}
