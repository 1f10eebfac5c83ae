package dev.consentry.core.tenantfile;

import static dev.consentry.core.tenantfile.TenantFileTest.read;
import static dev.consentry.core.tenantfile.TenantFileTest.refused;
import static dev.consentry.core.tenantfile.TenantFileTest.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What makes a tenant file load the same every time, and the duplicates that would make two objects one. */
class StableTenantFileTest {
    static final String TENANT = "7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01";
    static final String DAEMON = "5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41";
    /** The id the daemon's service principal, listed without one, gets. */
    static final String DAEMON_SP = TenantRules.stableId(TenantId.of(TENANT), AppId.of(DAEMON)).toString();

    /** Objects of every kind without an id; {@code extraUser} goes first when given. */
    static String withoutIds(String extraUser) {
        return tenant("\"users\":[" + extraUser + "{\"userPrincipalName\":\"adele@contoso.com\"}],"
                + "\"groups\":[{\"displayName\":\"Sales\"},{\"displayName\":\"Sales\"}],"
                + "\"applications\":[{\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\",\"displayName\":\"Daemon\"}],"
                + "\"servicePrincipals\":[{\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\"}],"
                + "\"appRoleAssignments\":[{\"principalId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\","
                + "\"resourceId\":\"00000003-0000-0000-c000-000000000000\",\"appRoleId\":\"User.Read.All\"}],"
                + "\"oauth2PermissionGrants\":[{\"clientId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\","
                + "\"resourceId\":\"00000003-0000-0000-c000-000000000000\",\"scope\":\"User.Read\"}],"
                + "\"roleAssignments\":[{\"principalId\":\"" + DAEMON_SP + "\","
                + "\"roleDefinitionId\":\"62e90394-69f5-4237-9190-012177145e10\"}]");
    }

    @Test
    void objectsWithoutAnIdGetTheSameIdOnEveryLoad() throws IOException {
        String file = withoutIds("");
        TenantDirectory a = read(file).get(0);
        TenantDirectory b = read(file).get(0);

        assertThat(b.users()).extracting(User::id).isEqualTo(a.users().stream().map(User::id).toList());
        assertThat(b.groups()).extracting(Group::id).isEqualTo(a.groups().stream().map(Group::id).toList());
        assertThat(b.applications().get(0).id()).isEqualTo(a.applications().get(0).id());
        assertThat(b.servicePrincipals()).extracting(ServicePrincipal::id)
                .isEqualTo(a.servicePrincipals().stream().map(ServicePrincipal::id).toList());
        assertThat(b.appRoleAssignments()).extracting(AppRoleAssignment::id)
                .isEqualTo(a.appRoleAssignments().stream().map(AppRoleAssignment::id).toList());
        assertThat(b.oauth2PermissionGrants()).extracting(OAuth2PermissionGrant::id)
                .isEqualTo(a.oauth2PermissionGrants().stream().map(OAuth2PermissionGrant::id).toList());
        assertThat(b.roleAssignments()).extracting(RoleAssignment::id)
                .isEqualTo(a.roleAssignments().stream().map(RoleAssignment::id).toList());

        assertThat(a.groups().get(0).id()).as("two groups of one name").isNotEqualTo(a.groups().get(1).id());
        assertThat(a.servicePrincipals().get(0).id().toString()).as("a listed service principal gets the id an added one would")
                .isEqualTo(DAEMON_SP);
        assertThat(a.users().get(0).id()).isNotNull();
        assertThat(a.roleAssignments().get(0).principalId().toString()).isEqualTo(DAEMON_SP);
    }

    @Test
    void anotherObjectInTheFileLeavesTheDerivedIdsAlone() throws IOException {
        TenantDirectory before = read(withoutIds("")).get(0);
        TenantDirectory after = read(withoutIds("{\"userPrincipalName\":\"megan@contoso.com\"},")).get(0);
        assertThat(after.users().get(1).userPrincipalName()).isEqualTo("adele@contoso.com");
        assertThat(after.users().get(1).id()).isEqualTo(before.users().get(0).id());
        assertThat(after.users().get(0).id()).isNotEqualTo(before.users().get(0).id());
        assertThat(after.appRoleAssignments().get(0).id()).isEqualTo(before.appRoleAssignments().get(0).id());
    }

    @Test
    void theExampleLoadsWithTheSameIdsEveryTime() throws IOException {
        TenantDirectory a = TenantFile.read(TenantFileTest.EXAMPLE, TenantFileTest.FAST).get(0);
        TenantDirectory b = TenantFile.read(TenantFileTest.EXAMPLE, TenantFileTest.FAST).get(0);
        assertThat(a.appRoleAssignments()).isNotEmpty().isEqualTo(b.appRoleAssignments());
        assertThat(a.roleAssignments()).isNotEmpty().isEqualTo(b.roleAssignments());
    }

    @Test
    void twoUsersWithOneUserPrincipalNameInAnyCase() {
        TenantFileException e = refused(tenant("\"users\":[{\"userPrincipalName\":\"adele@contoso.com\"},"
                + "{\"id\":\"2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f12\",\"userPrincipalName\":\"Adele@Contoso.com\"}]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].users[1].userPrincipalName");
        assertThat(e.getMessage()).endsWith("the userPrincipalName Adele@Contoso.com is already the userPrincipalName of "
                + "$.tenants[0].users[0]");
    }

    @Test
    void twoApplicationsOrServicePrincipalsWithOneAppId() {
        TenantFileException apps = refused(tenant("\"applications\":[{\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\"},"
                + "{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b32\",\"appId\":\"5E0F2B43-7A6D-4C9E-B154-8D2F3A0B6C41\"}]"));
        assertThat(apps.path()).isEqualTo("$.tenants[0].applications[1].appId");
        assertThat(apps.getMessage()).contains("is already the appId of $.tenants[0].applications[0]");

        TenantFileException sps = refused(tenant("\"servicePrincipals\":[{\"appId\":\"00000003-0000-0000-c000-000000000000\"},"
                + "{\"id\":\"8b3c5e76-0d9a-4f2b-8487-1a5c6d3e9f71\",\"appId\":\"00000003-0000-0000-c000-000000000000\"}]"));
        assertThat(sps.path()).isEqualTo("$.tenants[0].servicePrincipals[1].appId");
    }

    @Test
    void oneIdForTwoObjectsOfAnyKind() {
        String id = "2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11";
        TenantFileException userAndGroup = refused(tenant("\"users\":[{\"id\":\"" + id + "\",\"userPrincipalName\":\"a@b.c\"}],"
                + "\"groups\":[{\"id\":\"" + id.toUpperCase() + "\",\"displayName\":\"G\"}]"));
        assertThat(userAndGroup.path()).isEqualTo("$.tenants[0].groups[0].id");
        assertThat(userAndGroup.getMessage()).contains("is already the id of $.tenants[0].users[0]");

        TenantFileException appAndSp = refused(tenant("\"applications\":[{\"id\":\"" + id + "\","
                + "\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\"}],"
                + "\"servicePrincipals\":[{\"id\":\"" + id + "\",\"appId\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\"}]"));
        assertThat(appAndSp.path()).isEqualTo("$.tenants[0].servicePrincipals[0].id");

        TenantFileException grants = refused(tenant("\"oauth2PermissionGrants\":["
                + "{\"id\":\"g1\",\"clientId\":\"00000003-0000-0000-c000-000000000000\",\"resourceId\":\"00000003-0000-0000-c000-000000000000\"},"
                + "{\"id\":\"g1\",\"clientId\":\"00000003-0000-0000-c000-000000000000\",\"resourceId\":\"00000003-0000-0000-c000-000000000000\"}]"));
        assertThat(grants.path()).isEqualTo("$.tenants[0].oauth2PermissionGrants[1].id");
        assertThat(grants.getMessage()).contains("is already the id of $.tenants[0].oauth2PermissionGrants[0]");
    }

    @Test
    void twoSiblingsWithOneNaturalKeyStillGetTwoIds() throws IOException {
        TenantDirectory t = read(tenant("\"appRoleAssignments\":["
                + "{\"principalId\":\"00000003-0000-0000-c000-000000000000\",\"resourceId\":\"00000003-0000-0000-c000-000000000000\","
                + "\"appRoleId\":\"User.Read.All\"},"
                + "{\"principalId\":\"00000003-0000-0000-c000-000000000000\",\"resourceId\":\"00000003-0000-0000-c000-000000000000\","
                + "\"appRoleId\":\"User.Read.All\"}]")).get(0);
        assertThat(t.appRoleAssignments().get(0).id()).isNotEqualTo(t.appRoleAssignments().get(1).id());
    }
}
