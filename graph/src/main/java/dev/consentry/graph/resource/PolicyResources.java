package dev.consentry.graph.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.AdminConsentRequestPolicy;
import dev.consentry.core.directory.AuthorizationPolicy;
import dev.consentry.core.directory.Tenant;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Graph's tenant policies that decide consent: {@code adminConsentRequestPolicy} (the admin consent workflow,
 * {@code GET} and {@code PUT}) and {@code authorizationPolicy}, the tenant's one policy that says, among other things,
 * under which permission
 * grant policies users may consent to apps for themselves
 * (https://learn.microsoft.com/graph/api/authorizationpolicy-get, .../authorizationpolicy-update):
 * {@code GET /policies/authorizationPolicy} answers the policy as an entity, {@code PATCH} changes the properties
 * given and answers 204. The permissions ({@code Policy.Read.All}, {@code Policy.ReadWrite.Authorization}) are the
 * authorization engine's, from Microsoft's permission data; a delegated PATCH also needs the role the engine's user
 * stage names.
 *
 * <p>What Consentry keeps is what the tenant file or a PATCH gave; the properties neither gave are answered with the
 * values a new tenant has (Graph's documented example and observed answers), so a client reading the policy sees a
 * complete object. Guaranteed: a refused PATCH changes nothing; the next consent page follows a successful one.
 */
final class PolicyResources {
    static final String PATH = "/policies/authorizationpolicy";
    static final String CONSENT_REQUESTS_PATH = "/policies/adminconsentrequestpolicy";
    private static final String TYPE = "microsoft.graph.authorizationPolicy";
    /** Graph's properties of the policy (its v1.0 metadata) that may be changed, with the JSON type each takes. */
    private static final Map<String, JsonType> PROPERTIES = Map.of(
            "allowedToSignUpEmailBasedSubscriptions", JsonType.BOOLEAN, "allowedToUseSSPR", JsonType.BOOLEAN,
            "allowEmailVerifiedUsersToJoinOrganization", JsonType.BOOLEAN, "allowInvitesFrom", JsonType.STRING,
            "allowUserConsentForRiskyApps", JsonType.BOOLEAN, "blockMsolPowerShell", JsonType.BOOLEAN,
            "defaultUserRolePermissions", JsonType.OBJECT, "guestUserRoleId", JsonType.STRING,
            "displayName", JsonType.STRING, "description", JsonType.STRING);
    private static final Map<String, JsonType> USER_ROLE_PROPERTIES = Map.of(
            "allowedToCreateApps", JsonType.BOOLEAN, "allowedToCreateSecurityGroups", JsonType.BOOLEAN,
            "allowedToCreateTenants", JsonType.BOOLEAN, "allowedToReadBitlockerKeysForOwnedDevice", JsonType.BOOLEAN,
            "allowedToReadOtherUsers", JsonType.BOOLEAN, "permissionGrantPoliciesAssigned", JsonType.STRINGS);
    private static final Set<String> ALLOW_INVITES_FROM = Set.of("none", "adminsAndGuestInviters",
            "adminsGuestInvitersAndAllMembers", "everyone");

    private enum JsonType { BOOLEAN, STRING, STRINGS, OBJECT }

    private final Store store;

    PolicyResources(Store store) {
        this.store = store;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", PATH, call -> withTenant(call, "authorizationPolicy", t -> get(call, t)));
        routes.on("PATCH", PATH, call -> withTenant(call, "authorizationPolicy", t -> patch(call, t)));
        routes.on("GET", CONSENT_REQUESTS_PATH, call -> withTenant(call, "adminConsentRequestPolicy", t -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("@odata.context", call.context("policies/adminConsentRequestPolicy/$entity"));
            body.putAll(view(t.adminConsentRequestPolicy()));
            return GraphAnswer.json(200, body);
        }));
        routes.on("PUT", CONSENT_REQUESTS_PATH, call -> withTenant(call, "adminConsentRequestPolicy", t -> putConsentRequests(call, t)));
    }

    /** {@code action} on the caller's tenant, or Graph's 404 naming {@code policy} when the tenant is gone. */
    private GraphAnswer withTenant(GraphCall call, String policy, Function<Tenant, GraphAnswer> action) {
        return store.tenants().find(call.tenant()).map(action).orElseGet(() -> GraphAnswer.notFound(policy));
    }

    /** The admin consent workflow's policy as Graph answers it. */
    static Map<String, Object> view(AdminConsentRequestPolicy p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", "");
        out.putAll(p.additionalProperties());
        out.put("isEnabled", p.isEnabled());
        out.put("notifyReviewers", p.notifyReviewers());
        out.put("remindersEnabled", p.remindersEnabled());
        out.put("requestDurationInDays", p.requestDurationInDays());
        out.put("version", p.version());
        out.put("reviewers", p.reviewers().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("query", r.query());
            m.put("queryType", r.queryType());
            m.put("queryRoot", r.queryRoot());
            return m;
        }).toList());
        return out;
    }

    /**
     * {@code PUT /policies/adminConsentRequestPolicy} (https://learn.microsoft.com/graph/api/adminconsentrequestpolicy-update):
     * the properties given replace the stored ones; {@code version} counts the changes; 204. Reviewers must name a
     * query; a wrong type or an unknown property is Graph's 400, and nothing changes.
     */
    private GraphAnswer putConsentRequests(GraphCall call, Tenant tenant) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object, e.g. {\"isEnabled\": true, \"reviewers\": "
                    + "[{\"query\": \"/users/{id}\", \"queryType\": \"MicrosoftGraph\"}]}.");
        }
        AdminConsentRequestPolicy old = tenant.adminConsentRequestPolicy();
        Boolean enabled = old.isEnabled();
        Boolean notify = old.notifyReviewers();
        Boolean reminders = old.remindersEnabled();
        Integer days = old.requestDurationInDays();
        List<AdminConsentRequestPolicy.Reviewer> reviewers = old.reviewers();
        for (var fields = body.get().fields(); fields.hasNext(); ) {
            var f = fields.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.startsWith("@odata.") || name.equals("id") || name.equals("version")) {
                continue;
            }
            switch (name) {
                case "isEnabled", "notifyReviewers", "remindersEnabled" -> {
                    if (!v.isBoolean()) {
                        return invalid(name, v.toString());
                    }
                    if (name.equals("isEnabled")) {
                        enabled = v.booleanValue();
                    } else if (name.equals("notifyReviewers")) {
                        notify = v.booleanValue();
                    } else {
                        reminders = v.booleanValue();
                    }
                }
                case "requestDurationInDays" -> {
                    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0) {
                        return invalid(name, v.toString());
                    }
                    days = v.intValue();
                }
                case "reviewers" -> {
                    if (!v.isArray()) {
                        return invalid(name, v.toString());
                    }
                    List<AdminConsentRequestPolicy.Reviewer> given = new ArrayList<>();
                    for (JsonNode r : v) {
                        if (!r.isObject() || !r.path("query").isTextual() || r.path("query").asText().isBlank()) {
                            return invalid(name, r.toString());
                        }
                        given.add(new AdminConsentRequestPolicy.Reviewer(r.path("query").asText(),
                                r.path("queryType").isTextual() ? r.path("queryType").asText() : null,
                                r.path("queryRoot").isTextual() ? r.path("queryRoot").asText() : null));
                    }
                    reviewers = given;
                }
                default -> {
                    return GraphAnswer.error(400, "BadRequest", "Property '" + name
                            + "' does not exist on type 'microsoft.graph.adminConsentRequestPolicy' or cannot be changed.");
                }
            }
        }
        store.tenants().updatePolicy(call.tenant(), new AdminConsentRequestPolicy(enabled, notify, reminders, days,
                reviewers, old.version() + 1, old.additionalProperties()));
        return GraphAnswer.empty(204, Map.of());
    }

    private static GraphAnswer get(GraphCall call, Tenant tenant) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", call.context("policies/authorizationPolicy/$entity"));
        body.putAll(view(tenant.authorizationPolicy()));
        return GraphAnswer.json(200, body);
    }

    /** The policy as Graph answers it: Consentry's stored values over a new tenant's. */
    static Map<String, Object> view(AuthorizationPolicy policy) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", "authorizationPolicy");
        out.put("allowInvitesFrom", "everyone");
        out.put("allowedToSignUpEmailBasedSubscriptions", true);
        out.put("allowedToUseSSPR", true);
        out.put("allowEmailVerifiedUsersToJoinOrganization", false);
        out.put("allowUserConsentForRiskyApps", false);
        out.put("blockMsolPowerShell", false);
        out.put("description", "Used to manage authorization related settings across the company.");
        out.put("displayName", "Authorization Policy");
        out.put("guestUserRoleId", "10dae51f-b6af-4016-8d66-8c2a99b929b3");
        out.putAll(policy.additionalProperties());
        out.put("id", "authorizationPolicy");
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("allowedToCreateApps", true);
        role.put("allowedToCreateSecurityGroups", true);
        role.put("allowedToCreateTenants", true);
        role.put("allowedToReadBitlockerKeysForOwnedDevice", true);
        role.put("allowedToReadOtherUsers", true);
        role.putAll(policy.defaultUserRolePermissions().additionalProperties());
        role.put("permissionGrantPoliciesAssigned", policy.defaultUserRolePermissions().permissionGrantPoliciesAssigned());
        out.put("defaultUserRolePermissions", role);
        return out;
    }

    private GraphAnswer patch(GraphCall call, Tenant tenant) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the properties to change, e.g. "
                    + "{\"defaultUserRolePermissions\": {\"permissionGrantPoliciesAssigned\": []}}.");
        }
        AuthorizationPolicy old = tenant.authorizationPolicy();
        Map<String, Object> extra = new LinkedHashMap<>(old.additionalProperties());
        Map<String, Object> roleExtra = new LinkedHashMap<>(old.defaultUserRolePermissions().additionalProperties());
        List<String> grantPolicies = old.defaultUserRolePermissions().permissionGrantPoliciesAssigned();
        for (var fields = body.get().fields(); fields.hasNext(); ) {
            var f = fields.next();
            String name = f.getKey();
            if (name.startsWith("@odata.") || name.equals("id")) {
                continue; // the SDKs send @odata.type; the id is fixed
            }
            Optional<GraphAnswer> bad = check(name, f.getValue(), PROPERTIES.get(name), TYPE);
            if (bad.isPresent()) {
                return bad.get();
            }
            if (name.equals("allowInvitesFrom") && !ALLOW_INVITES_FROM.contains(f.getValue().asText())) {
                return invalid(name, f.getValue().asText());
            }
            if (!name.equals("defaultUserRolePermissions")) {
                extra.put(name, plain(f.getValue()));
                continue;
            }
            for (var roleFields = f.getValue().fields(); roleFields.hasNext(); ) {
                var r = roleFields.next();
                if (r.getKey().startsWith("@odata.")) {
                    continue;
                }
                Optional<GraphAnswer> badRole = check(r.getKey(), r.getValue(), USER_ROLE_PROPERTIES.get(r.getKey()),
                        "microsoft.graph.defaultUserRolePermissions");
                if (badRole.isPresent()) {
                    return badRole.get();
                }
                if (r.getKey().equals("permissionGrantPoliciesAssigned")) {
                    List<String> given = new ArrayList<>();
                    r.getValue().forEach(v -> given.add(v.asText()));
                    grantPolicies = given;
                } else {
                    roleExtra.put(r.getKey(), r.getValue().booleanValue());
                }
            }
        }
        AuthorizationPolicy changed = new AuthorizationPolicy(new AuthorizationPolicy.DefaultUserRolePermissions(
                grantPolicies, roleExtra), extra);
        store.tenants().updatePolicy(call.tenant(), changed);
        Audits.record(store, call, "Update authorization policy", "Update", "authorizationPolicy", "Authorization Policy",
                "Policy", Audits.changed("PermissionGrantPoliciesAssigned",
                        old.defaultUserRolePermissions().permissionGrantPoliciesAssigned(), grantPolicies));
        return GraphAnswer.empty(204, Map.of());
    }

    /** Graph's 400 for a property the type does not have or a value of the wrong JSON type; empty when it is right. */
    private static Optional<GraphAnswer> check(String name, JsonNode value, JsonType type, String graphType) {
        if (type == null) {
            return Optional.of(GraphAnswer.error(400, "BadRequest", "Property '" + name + "' does not exist on type '"
                    + graphType + "' or cannot be changed."));
        }
        boolean right = switch (type) {
            case BOOLEAN -> value.isBoolean();
            case STRING -> value.isTextual();
            case OBJECT -> value.isObject();
            case STRINGS -> value.isArray() && java.util.stream.StreamSupport.stream(value.spliterator(), false)
                    .allMatch(JsonNode::isTextual);
        };
        return right ? Optional.empty() : Optional.of(invalid(name, value.toString()));
    }

    private static GraphAnswer invalid(String name, String value) {
        return GraphAnswer.error(400, "BadRequest", "Invalid value '" + value + "' for property '" + name + "'.");
    }

    private static Object plain(JsonNode value) {
        return value.isBoolean() ? (Object) value.booleanValue() : value.asText();
    }
}
