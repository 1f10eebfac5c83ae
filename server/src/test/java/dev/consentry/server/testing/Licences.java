package dev.consentry.server.testing;

import com.microsoft.graph.models.AssignedLicense;
import com.microsoft.graph.models.SubscribedSku;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.assignlicense.AssignLicensePostRequestBody;
import java.util.List;

/** What an administrator does through the Graph SDK to give a user a licence, as the licence causes' fixes name it. */
public final class Licences {
    private Licences() {}

    /**
     * Finds the tenant's subscribed SKU with a service plan named {@code planPrefix}* and assigns it to {@code userId}
     * with {@code admin}'s client, after setting the user's usage location, which Graph requires before a licence.
     */
    public static void assignSkuWithPlan(GraphServiceClient admin, String userId, String planPrefix) {
        SubscribedSku sku = admin.subscribedSkus().get().getValue().stream()
                .filter(s -> s.getServicePlans().stream().anyMatch(p -> p.getServicePlanName().startsWith(planPrefix)))
                .findFirst().orElseThrow(() -> new AssertionError("no subscribed SKU has a " + planPrefix + "* plan"));
        com.microsoft.graph.models.User where = new com.microsoft.graph.models.User();
        where.setUsageLocation("US");
        admin.users().byUserId(userId).patch(where);
        AssignedLicense licence = new AssignedLicense();
        licence.setSkuId(sku.getSkuId());
        licence.setDisabledPlans(List.of());
        AssignLicensePostRequestBody body = new AssignLicensePostRequestBody();
        body.setAddLicenses(List.of(licence));
        body.setRemoveLicenses(List.of());
        admin.users().byUserId(userId).assignLicense().post(body);
    }
}
