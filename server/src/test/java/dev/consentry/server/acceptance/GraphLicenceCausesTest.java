package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.models.SubscribedSku;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Files without a licence, answered as SharePoint answers: a tenant that bought no SharePoint Online gets "Tenant does
 * not have a SPO license." (400), a tenant that did refuses the unlicensed user's files (403). Megan reads her drive's
 * root with a token from MSAL4J (the request sent as curl sends it: the Graph SDK has no builder for /me/drive/root);
 * the fix, subscribing the tenant and assigning the licence the diagnosis names, is an administrator's, through the
 * Graph SDK.
 */
class GraphLicenceCausesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT_CHILDREN = "/v1.0/me/drive/root/children";
    /** Microsoft 365 E3's SKU and its SharePoint Online (Plan 2) service plan, as Microsoft's licensing data names them. */
    private static final UUID SPE_E3 = UUID.fromString("05e9a617-0261-4cee-bb44-138d3ef5d965");
    private static final UUID SHAREPOINT_ENTERPRISE = UUID.fromString("5dbe027f-2339-4123-9542-606e4d348a72");
    /** An SKU with Exchange only (Exchange Online Plan 1). */
    private static final UUID EXCHANGE_STANDARD = UUID.fromString("4b9405b0-7788-4568-add1-99614e613b69");

    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();

    @BeforeEach
    void freshTenants() {
        Diagnosed.reset(server);
        try (Administration admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            for (String p : List.of("Files.Read", "User.ReadWrite.All", "Organization.Read.All")) {
                admin.grant(new Administration.GrantRequest(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), null,
                        p, "delegated"));
            }
        }
    }

    private static String token(String upn, String... scopes) {
        return server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), upn, TestTenant.ADELE_PASSWORD,
                Set.of(scopes));
    }

    private static HttpResponse<String> rootChildren() {
        return server.graph("GET", ROOT_CHILDREN, token(TestTenant.MEGAN_UPN, "Files.Read"), null);
    }

    private static void subscribe(UUID sku, String partNumber, UUID plan, String planName) {
        // The tenant file's subscribedSkus (what the tenant bought), written as an import writes it.
        server.consentry().store().subscribedSkus().save(TestTenant.TENANT, new dev.consentry.core.directory.SubscribedSku(
                "sku-" + partNumber, sku, partNumber, List.of(new dev.consentry.core.directory.SubscribedSku.ServicePlan(
                        plan, planName, "Success", "User")), null));
    }

    /** Adele (Global Administrator) assigns Megan a licence of the tenant's SKU with a plan named {@code planPrefix}. */
    private static void assignLicenceWithPlan(String planPrefix) {
        GraphServiceClient adele = GraphSdk.client(server, () -> token(TestTenant.ADELE_UPN, "User.ReadWrite.All",
                "Organization.Read.All"));
        dev.consentry.server.testing.Licences.assignSkuWithPlan(adele, TestTenant.MEGAN.toString(), planPrefix);
    }

    private static Diagnosis refused(HttpResponse<String> r, int status, String code, String message, Cause cause)
            throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isEqualTo(message);
        return Diagnosed.as(server, r.headers().firstValue("request-id").orElseThrow(), cause);
    }

    @Test
    @Drives(Cause.TENANT_NOT_LICENSED_SPO)
    void aTenantWithoutSharePointOnlineAnswersAsSharePointDoesUntilItSubscribesAndAssignsIt() throws Exception {
        Diagnosis d = refused(rootChildren(), 400, "BadRequest", "Tenant does not have a SPO license.",
                Cause.TENANT_NOT_LICENSED_SPO);
        assertThat(d.facts()).containsEntry("plan", "SHAREPOINT").containsEntry("skus", "no SKU at all")
                .containsEntry("user", TestTenant.MEGAN_UPN);

        // The fix: the tenant subscribes to an SKU with a SharePoint plan, and Megan is given it.
        subscribe(SPE_E3, "SPE_E3", SHAREPOINT_ENTERPRISE, "SHAREPOINTENTERPRISE");
        assignLicenceWithPlan(d.facts().get("plan"));

        HttpResponse<String> served = rootChildren();
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(JSON.readTree(served.body()).path("value").isArray()).isTrue();
    }

    @Test
    @Drives(Cause.USER_NOT_LICENSED)
    void aTenantWithSharePointRefusesAnUnlicensedUsersFilesUntilSheHasAPlanOfIt() throws Exception {
        subscribe(EXCHANGE_STANDARD, "EXCHANGESTANDARD", UUID.fromString("9aaf7827-d63c-4b61-89c3-182f06f82e5c"),
                "EXCHANGE_S_STANDARD");
        subscribe(SPE_E3, "SPE_E3", SHAREPOINT_ENTERPRISE, "SHAREPOINTENTERPRISE");
        assignLicenceWithPlan("EXCHANGE_S_");

        Diagnosis d = refused(rootChildren(), 403, "accessDenied", "Access denied", Cause.USER_NOT_LICENSED);
        assertThat(d.facts()).containsEntry("plan", "SHAREPOINT").containsEntry("licences", "licences: EXCHANGESTANDARD");

        assignLicenceWithPlan(d.facts().get("plan"));
        assertThat(rootChildren().statusCode()).isEqualTo(200);
    }
}
