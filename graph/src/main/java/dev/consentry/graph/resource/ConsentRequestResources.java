package dev.consentry.graph.resource;

import dev.consentry.core.directory.AppConsentRequest;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin consent workflow's requests as Graph serves them (Microsoft Learn, "List appConsentRequests",
 * https://learn.microsoft.com/graph/api/appconsentapprovalroute-list-appconsentrequests):
 * {@code GET /identityGovernance/appConsent/appConsentRequests} (and by id), and each one's
 * {@code userConsentRequests} (and by id). The permissions ({@code ConsentRequest.Read.All}, ...) are the engine's.
 * Requests are made on the approval page; reviewing them through Graph's approval stages is not built.
 */
final class ConsentRequestResources {
    static final String BASE = "/identitygovernance/appconsent/appconsentrequests";
    static final ODataQuery.Shape APP_CONSENT_REQUESTS = DirectoryRows.shape("identityGovernance/appConsent/appConsentRequests",
            "microsoft.graph.appConsentRequest", List.of("id", "appId", "appDisplayName", "pendingScopes"),
            java.util.Set.of("id", "appId", "appDisplayName"));
    static final ODataQuery.Shape USER_CONSENT_REQUESTS = DirectoryRows.shape(
            "identityGovernance/appConsent/appConsentRequests/userConsentRequests", "microsoft.graph.userConsentRequest",
            List.of("id", "status", "reason", "createdDateTime", "completedDateTime", "createdBy", "approvalId", "customData"),
            java.util.Set.of("id", "status"));
    private final Store store;

    ConsentRequestResources(Store store) {
        this.store = store;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", BASE, call -> ODataQuery.collection(call, APP_CONSENT_REQUESTS,
                store.appConsentRequests().list(call.tenant()).stream().map(ConsentRequestResources::row).toList()));
        routes.on("GET", BASE + "/{id}", call -> find(call).map(r -> ODataQuery.single(call, APP_CONSENT_REQUESTS, row(r)))
                .orElseGet(() -> GraphAnswer.notFound(DirectoryRows.segment(call, 3))));
        routes.on("GET", BASE + "/{id}/userconsentrequests", call -> find(call).map(r -> ODataQuery.collection(call,
                        userConsentRequests(r), r.userConsentRequests().stream().map(ConsentRequestResources::row).toList()))
                .orElseGet(() -> GraphAnswer.notFound(DirectoryRows.segment(call, 3))));
        routes.on("GET", BASE + "/{id}/userconsentrequests/{id}", call -> {
            String id = DirectoryRows.segment(call, 5);
            Optional<AppConsentRequest> request = find(call);
            return request.flatMap(r -> r.userConsentRequests().stream().filter(u -> u.id().equalsIgnoreCase(id)).findFirst())
                    .map(u -> ODataQuery.single(call, userConsentRequests(request.get()), row(u)))
                    .orElseGet(() -> GraphAnswer.notFound(id));
        });
    }

    /** The requests' shape under one app consent request, whose id Graph's {@code @odata.context} names. */
    private static ODataQuery.Shape userConsentRequests(AppConsentRequest r) {
        return DirectoryRows.under(USER_CONSENT_REQUESTS, "identityGovernance/appConsent/appConsentRequests('" + r.id()
                + "')/userConsentRequests");
    }

    private Optional<AppConsentRequest> find(GraphCall call) {
        return store.appConsentRequests().find(call.tenant(), DirectoryRows.segment(call, 3));
    }

    /** An appConsentRequest as Graph answers it: without its contained userConsentRequests, which have their own route. */
    static Map<String, Object> row(AppConsentRequest r) {
        Map<String, Object> out = new LinkedHashMap<>(plain(r));
        out.remove("userConsentRequests");
        return out;
    }

    static Map<String, Object> row(AppConsentRequest.UserConsentRequest u) {
        return plain(u);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(Object value) {
        return DirectoryJson.mapper().convertValue(value, LinkedHashMap.class);
    }
}
