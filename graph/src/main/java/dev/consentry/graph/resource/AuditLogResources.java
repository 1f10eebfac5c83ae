package dev.consentry.graph.resource;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.audit.SignIn;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Graph's audit logs, newest first: {@code GET /auditLogs/directoryAudits} from the tenant's {@link AuditStore}, with
 * {@code $top}, and {@code $filter} on {@code activityDateTime} ({@code ge}, {@code le}) and {@code category}
 * ({@code eq}), in Graph's {@code directoryAudit} shape (v1.0 metadata: who initiated the change as a {@code user}
 * or an {@code app}, the target resources and their modified properties); {@code GET /auditLogs/signIns} from the
 * tenant's {@link SignInLogStore}, with {@code $top}, and {@code $filter} on {@code createdDateTime} ({@code ge},
 * {@code le}), {@code userPrincipalName}, {@code appId} and {@code status/errorCode} ({@code eq}), joined by
 * {@code and}, in Graph's {@code signIn} shape.
 *
 * <pre>{@code
 * curl -H "Authorization: Bearer $TOKEN" \
 *   "https://localhost:8443/v1.0/auditLogs/directoryAudits?\$filter=category eq 'ApplicationManagement'&\$top=10"
 * }</pre>
 */
final class AuditLogResources {
    static final List<String> AUDIT_PROPERTIES = List.of("id", "category", "correlationId", "result", "resultReason",
            "activityDisplayName", "activityDateTime", "loggedByService", "operationType", "initiatedBy",
            "targetResources", "additionalDetails");
    static final ODataQuery.Shape DIRECTORY_AUDITS = new ODataQuery.Shape("auditLogs/directoryAudits",
            "microsoft.graph.directoryAudit", AUDIT_PROPERTIES, Set.copyOf(AUDIT_PROPERTIES),
            Set.of("id", "category", "activityDisplayName", "operationType", "result"), 100, Set.of("activityDateTime"));
    static final List<String> SIGN_IN_PROPERTIES = List.of("id", "createdDateTime", "userDisplayName", "userPrincipalName",
            "userId", "appId", "appDisplayName", "ipAddress", "clientAppUsed", "correlationId", "conditionalAccessStatus",
            "isInteractive", "riskDetail", "riskLevelAggregated", "riskLevelDuringSignIn", "riskState", "riskEventTypes_v2",
            "resourceDisplayName", "resourceId", "status", "deviceDetail", "location", "appliedConditionalAccessPolicies");
    static final ODataQuery.Shape SIGN_INS = new ODataQuery.Shape("auditLogs/signIns", "microsoft.graph.signIn",
            SIGN_IN_PROPERTIES, Set.copyOf(SIGN_IN_PROPERTIES), Set.of("id", "userPrincipalName", "userId", "appId",
                    "appDisplayName", "userDisplayName", "ipAddress", "correlationId", "conditionalAccessStatus",
                    "resourceId", "status/errorCode"), 100, Set.of("createdDateTime"));
    private final Store store;

    AuditLogResources(Store store) {
        this.store = store;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", "/auditlogs/directoryaudits", call -> ODataQuery.collection(call, DIRECTORY_AUDITS, store.audit()
                .recent(call.tenant(), TenantSettings.LogRetention.MAX_ENTRIES).stream().map(a -> directoryAudit(call, a)).toList()));
        routes.on("GET", "/auditlogs/signins", call -> ODataQuery.collection(call, SIGN_INS, store.signIns()
                .recent(call.tenant(), TenantSettings.LogRetention.MAX_ENTRIES).stream().map(AuditLogResources::signIn).toList()));
    }

    private Map<String, Object> directoryAudit(GraphCall call, DirectoryAudit a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", a.id());
        row.put("category", a.category());
        // Consentry keeps no separate correlation id for a directory change: the entry's own id stands for it.
        row.put("correlationId", a.id());
        row.put("result", a.result() == null ? "success" : a.result());
        row.put("resultReason", "");
        row.put("activityDisplayName", a.activityDisplayName());
        row.put("activityDateTime", a.activityDateTime().toString());
        row.put("loggedByService", "Core Directory");
        row.put("operationType", a.operationType());
        row.put("initiatedBy", initiatedBy(call, a.initiatedBy()));
        row.put("targetResources", a.targetResources().stream().map(AuditLogResources::target).toList());
        row.put("additionalDetails", List.of());
        return row;
    }

    /** Graph's {@code auditActivityInitiator}: exactly one of {@code user} and {@code app}, names looked up now. */
    private Map<String, Object> initiatedBy(GraphCall call, DirectoryAudit.Initiator by) {
        Map<String, Object> out = new LinkedHashMap<>();
        if ("user".equals(by.kind())) {
            Optional<User> user = Optional.ofNullable(by.id()).flatMap(ObjectId::tryParse)
                    .flatMap(id -> store.users().find(call.tenant(), id));
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("id", by.id());
            u.put("displayName", user.map(User::displayName).orElse(by.name()));
            u.put("userPrincipalName", user.map(User::userPrincipalName).orElse(null));
            u.put("ipAddress", null);
            out.put("user", u);
            out.put("app", null);
            return out;
        }
        Map<String, Object> app = new LinkedHashMap<>();
        var sp = Optional.ofNullable(by.id()).flatMap(AppId::tryParse)
                .flatMap(appId -> store.servicePrincipals().findByAppId(call.tenant(), appId));
        app.put("appId", by.id());
        app.put("displayName", sp.map(s -> s.displayName()).orElse(by.name()));
        app.put("servicePrincipalId", sp.map(s -> s.id().toString()).orElse(null));
        app.put("servicePrincipalName", null);
        out.put("user", null);
        out.put("app", app);
        return out;
    }

    /** Graph's {@code signIn}; risk is not assessed ({@code none}), device and location are not known (empty). */
    static Map<String, Object> signIn(SignIn s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", s.id());
        row.put("createdDateTime", s.createdDateTime().toString());
        row.put("userDisplayName", s.userDisplayName());
        row.put("userPrincipalName", s.userPrincipalName());
        row.put("userId", s.userId());
        row.put("appId", s.appId());
        row.put("appDisplayName", s.appDisplayName());
        row.put("ipAddress", s.ipAddress());
        row.put("clientAppUsed", s.clientAppUsed());
        row.put("correlationId", s.correlationId());
        row.put("conditionalAccessStatus", s.conditionalAccessStatus());
        row.put("isInteractive", s.isInteractive());
        row.put("riskDetail", "none");
        row.put("riskLevelAggregated", "none");
        row.put("riskLevelDuringSignIn", "none");
        row.put("riskState", "none");
        row.put("riskEventTypes_v2", List.of());
        row.put("resourceDisplayName", s.resourceDisplayName());
        row.put("resourceId", s.resourceId());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("errorCode", s.errorCode());
        status.put("failureReason", s.failureReason());
        status.put("additionalDetails", null);
        row.put("status", status);
        row.put("deviceDetail", Map.of());
        row.put("location", Map.of());
        row.put("appliedConditionalAccessPolicies", s.appliedConditionalAccessPolicies().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("displayName", p.displayName());
            m.put("enforcedGrantControls", p.enforcedGrantControls());
            m.put("enforcedSessionControls", List.of());
            m.put("result", p.result());
            return m;
        }).toList());
        return row;
    }

    private static Map<String, Object> target(DirectoryAudit.Target t) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", t.id());
        row.put("displayName", t.displayName());
        row.put("type", t.type());
        row.put("userPrincipalName", null);
        row.put("modifiedProperties", t.modifiedProperties().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("displayName", p.displayName());
            m.put("oldValue", p.oldValue());
            m.put("newValue", p.newValue());
            return m;
        }).toList());
        return row;
    }
}
