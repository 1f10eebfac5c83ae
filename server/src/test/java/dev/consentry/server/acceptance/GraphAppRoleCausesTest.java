package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.graph.models.PasswordProfile;
import com.microsoft.graph.models.UnifiedRoleAssignment;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A daemon that changes a user's password: Graph wants User.ReadWrite.All and, with an application token, a directory
 * role of the app's service principal (User Administrator for a user without an admin role; Privileged Authentication
 * Administrator or Global Administrator for an admin). Driven through the Graph SDK with MSAL4J's tokens; the fix is
 * the role assignment the diagnosis names, made through Graph's roleManagement API. The other sensitive properties
 * (mobilePhone, accountEnabled, ...) and deleting a user need such a role only when the target is an administrator.
 */
class GraphAppRoleCausesTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();

    @BeforeEach
    void freshTenants() {
        Diagnosed.reset(server);
        grant(TestTenant.DAEMON.toString(), "User.ReadWrite.All");
        // The administrator's own tool: an app that may assign directory roles (RoleManagement.ReadWrite.Directory).
        grant(TestTenant.API.toString(), "RoleManagement.ReadWrite.Directory");
    }

    private static void grant(String app, String permission) {
        try (Administration admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            admin.grant(new Administration.GrantRequest(TestTenant.TENANT.toString(), app, null, permission, "application"));
        }
    }

    private static GraphServiceClient daemon() {
        return GraphSdk.client(server,
                () -> server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET));
    }

    private static GraphServiceClient roleAdministrator() {
        String token = server.appToken(TestTenant.TENANT.toString(), TestTenant.API.toString(), TestTenant.API_SECRET);
        return GraphSdk.client(server, () -> token);
    }

    private static User newPassword() {
        User change = new User();
        PasswordProfile profile = new PasswordProfile();
        profile.setPassword("N3w-Passw0rd!" + System.nanoTime());
        profile.setForceChangePasswordNextSignIn(true);
        change.setPasswordProfile(profile);
        return change;
    }

    @Test
    @Drives(Cause.SERVICE_PRINCIPAL_ROLE_MISSING)
    void aDaemonWithUserReadWriteAllAloneMayNotChangeAPasswordUntilItsServicePrincipalIsAUserAdministrator() {
        ODataError refused = GraphSdk.refused(() -> daemon().users().byUserId(TestTenant.MEGAN.toString()).patch(newPassword()),
                403, "Authorization_RequestDenied");
        assertThat(refused.getError().getMessage()).isEqualTo("Insufficient privileges to complete the operation.");

        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.SERVICE_PRINCIPAL_ROLE_MISSING);
        assertThat(d.facts()).containsEntry("principalId", TestTenant.DAEMON_SP.toString())
                .containsEntry("roleDefinitionId", "fe930be7-5e62-47db-91af-98c3a49a38b1");
        assertThat(d.facts().get("needed")).startsWith("User Administrator");
        assertThat(d.fix()).contains("roleManagement/directory/roleAssignments");

        // The fix as the diagnosis names it: the role assigned to the service principal through Graph.
        UnifiedRoleAssignment assignment = new UnifiedRoleAssignment();
        assignment.setPrincipalId(d.facts().get("principalId"));
        assignment.setRoleDefinitionId(d.facts().get("roleDefinitionId"));
        assignment.setDirectoryScopeId("/");
        UnifiedRoleAssignment made = roleAdministrator().roleManagement().directory().roleAssignments().post(assignment);
        assertThat(made.getId()).isNotBlank();
        assertThat(made.getPrincipalId()).isEqualTo(TestTenant.DAEMON_SP.toString());

        daemon().users().byUserId(TestTenant.MEGAN.toString()).patch(newPassword());
        // A Global Administrator's password is beyond a User Administrator: Privileged Authentication Administrator or
        // Global Administrator is named for her.
        ODataError admin = GraphSdk.refused(() -> daemon().users().byUserId(TestTenant.ADELE.toString()).patch(newPassword()),
                403, "Authorization_RequestDenied");
        Diagnosis forAdmin = Diagnosed.as(server, GraphSdk.requestId(admin), Cause.SERVICE_PRINCIPAL_ROLE_MISSING);
        assertThat(forAdmin.facts().get("needed")).isEqualTo("Privileged Authentication Administrator, Global Administrator");
        assertThat(forAdmin.facts().get("actorRoles")).isEqualTo("User Administrator");
    }

    private static User change(String mobilePhone, String jobTitle) {
        // Only what is named: the SDK's backing store sends a property set to null as null, which names it.
        User change = new User();
        if (mobilePhone != null) {
            change.setMobilePhone(mobilePhone);
        }
        if (jobTitle != null) {
            change.setJobTitle(jobTitle);
        }
        return change;
    }

    @Test
    @Drives(Cause.SERVICE_PRINCIPAL_ROLE_MISSING)
    void aDaemonMayChangeAnAdministratorsSensitivePropertiesOrDeleteHerOnlyWithAHigherRoleOfItsServicePrincipal() {
        // Without a role, User.ReadWrite.All reaches every property of a user without an admin role, and the plain
        // properties of an administrator.
        daemon().users().byUserId(TestTenant.MEGAN.toString()).patch(change("+1 425 555 0100", "Buyer"));
        daemon().users().byUserId(TestTenant.ADELE.toString()).patch(change(null, "Retail Manager"));
        assertThat(daemon().users().byUserId(TestTenant.MEGAN.toString()).get(r -> r.queryParameters.select =
                new String[] {"mobilePhone", "jobTitle"}).getMobilePhone()).isEqualTo("+1 425 555 0100");

        // An administrator's mobile phone (a sensitive property) and her deletion need a role beyond User Administrator.
        ODataError refused = GraphSdk.refused(() -> daemon().users().byUserId(TestTenant.ADELE.toString())
                .patch(change("+1 425 555 0101", null)), 403, "Authorization_RequestDenied");
        assertThat(refused.getError().getMessage()).isEqualTo("Insufficient privileges to complete the operation.");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.SERVICE_PRINCIPAL_ROLE_MISSING);
        assertThat(d.facts().get("action")).startsWith("changing mobilePhone of ").contains("Global Administrator");
        assertThat(d.facts()).containsEntry("needed", "Privileged Authentication Administrator, Global Administrator")
                .containsEntry("roleDefinitionId", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13")
                .containsEntry("principalId", TestTenant.DAEMON_SP.toString());
        ODataError deleting = GraphSdk.refused(() -> daemon().users().byUserId(TestTenant.ADELE.toString()).delete(), 403,
                "Authorization_RequestDenied");
        assertThat(Diagnosed.as(server, GraphSdk.requestId(deleting), Cause.SERVICE_PRINCIPAL_ROLE_MISSING).facts()
                .get("action")).startsWith("deleting ");
        User disable = new User();
        disable.setAccountEnabled(false);
        GraphSdk.refused(() -> daemon().users().byUserId(TestTenant.ADELE.toString()).patch(disable), 403,
                "Authorization_RequestDenied");

        // The fix as the diagnosis names it; a new token's call then changes her mobile phone.
        UnifiedRoleAssignment assignment = new UnifiedRoleAssignment();
        assignment.setPrincipalId(d.facts().get("principalId"));
        assignment.setRoleDefinitionId(d.facts().get("roleDefinitionId"));
        assignment.setDirectoryScopeId("/");
        roleAdministrator().roleManagement().directory().roleAssignments().post(assignment);
        daemon().users().byUserId(TestTenant.ADELE.toString()).patch(change("+1 425 555 0101", null));
        assertThat(daemon().users().byUserId(TestTenant.ADELE.toString()).get(r -> r.queryParameters.select =
                new String[] {"mobilePhone", "jobTitle"})).satisfies(u -> {
                    assertThat(u.getMobilePhone()).isEqualTo("+1 425 555 0101");
                    assertThat(u.getJobTitle()).isEqualTo("Retail Manager");
                });
    }

    @Test
    void otherChangesAndTheRoleAssignmentsApiNeedNoRoleAndRefuseBadInput() {
        User rename = new User();
        rename.setDisplayName("Megan B.");
        daemon().users().byUserId(TestTenant.MEGAN.toString()).patch(rename);

        var badRole = new UnifiedRoleAssignment();
        badRole.setPrincipalId(TestTenant.DAEMON_SP.toString());
        badRole.setRoleDefinitionId("not-a-role");
        badRole.setDirectoryScopeId("/");
        ODataError bad = GraphSdk.refused(() -> roleAdministrator().roleManagement().directory().roleAssignments().post(badRole),
                400, "Request_BadRequest");
        assertThat(bad.getError().getMessage()).contains("roleDefinitionId");
        var nobody = new UnifiedRoleAssignment();
        nobody.setPrincipalId("00000000-0000-0000-0000-0000000000aa");
        nobody.setRoleDefinitionId("fe930be7-5e62-47db-91af-98c3a49a38b1");
        nobody.setDirectoryScopeId("/");
        GraphSdk.refused(() -> roleAdministrator().roleManagement().directory().roleAssignments().post(nobody), 404,
                "Request_ResourceNotFound");
        assertThat(roleAdministrator().roleManagement().directory().roleAssignments().get().getValue())
                .extracting(UnifiedRoleAssignment::getPrincipalId).contains(TestTenant.ADELE.toString());
    }
}
