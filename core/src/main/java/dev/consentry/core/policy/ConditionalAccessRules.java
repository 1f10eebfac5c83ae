package dev.consentry.core.policy;

import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.id.Guid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What makes a conditional access policy one Entra would store, checked the same way for the tenant file and for
 * Graph's {@code POST/PATCH /identity/conditionalAccess/policies} (Graph's conditionalAccessPolicy resource and its
 * enums in the v1.0 metadata): a display name; a {@code state} of {@code enabled}, {@code disabled} or
 * {@code enabledForReportingButNotEnforced}; {@code conditions.users} including someone (by id, {@code All},
 * {@code None}, {@code GuestsOrExternalUsers}, groups, roles) and {@code conditions.applications} including something
 * (app ids, {@code All}, {@code None}, {@code Office365}, {@code MicrosoftAdminPortals}); known {@code clientAppTypes};
 * grant controls of the {@code conditionalAccessGrantControl} enum joined by {@code OR} or {@code AND}, with
 * {@code block} alone. Users and groups named by id must exist in the tenant.
 */
public final class ConditionalAccessRules {
    static final Set<String> STATES = Set.of("enabled", "disabled", "enabledForReportingButNotEnforced");
    static final Set<String> CLIENT_APP_TYPES = Set.of("all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync",
            "easSupported", "other");
    static final Set<String> CONTROLS = Set.of("block", "mfa", "compliantDevice", "domainJoinedDevice", "approvedApplication",
            "compliantApplication", "passwordChange");
    static final Set<String> USER_WORDS = Set.of("All", "None", "GuestsOrExternalUsers");
    static final Set<String> APP_WORDS = Set.of("All", "None", "Office365", "MicrosoftAdminPortals");

    private ConditionalAccessRules() {}

    /** One problem: where in the policy (a JSON path below it, such as {@code conditions.users.includeUsers[0]}) and what. */
    public record Problem(String path, String message) {}

    /**
     * The first problem of {@code policy}, or empty when Entra would store it.
     *
     * @param userExists whether a user id names a user of the tenant
     * @param groupExists whether a group id names a group of the tenant
     * @param locationExists whether an id names a named location of the tenant
     */
    public static Optional<Problem> problem(ConditionalAccessPolicy policy, Predicate<String> userExists,
                                            Predicate<String> groupExists, Predicate<String> locationExists) {
        List<Problem> found = new ArrayList<>();
        check(policy, userExists, groupExists, found);
        if (found.isEmpty()) {
            checkLocations(policy, locationExists, found);
        }
        return found.stream().findFirst();
    }

    /** The words a location condition may hold beside named location ids (Graph's conditionalAccessLocations). */
    static final Set<String> LOCATION_WORDS = Set.of("All", "AllTrusted", "00000000-0000-0000-0000-000000000000");

    private static void checkLocations(ConditionalAccessPolicy p, Predicate<String> locationExists, List<Problem> found) {
        if (!(p.conditions().get("locations") instanceof Map<?, ?> locations)) {
            return;
        }
        for (String key : List.of("includeLocations", "excludeLocations")) {
            Object value = locations.get(key);
            if (value == null) {
                continue;
            }
            if (!(value instanceof List<?> list)) {
                found.add(new Problem("conditions.locations." + key, "expected an array of named location ids"));
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                String v = String.valueOf(list.get(i));
                if (!LOCATION_WORDS.contains(v) && !locationExists.test(v)) {
                    found.add(new Problem("conditions.locations." + key + "[" + i + "]", "'" + v + "' is no named location "
                            + "of the tenant (nor All or AllTrusted)"));
                    return;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void check(ConditionalAccessPolicy p, Predicate<String> userExists, Predicate<String> groupExists,
                              List<Problem> found) {
        if (p.displayName() == null || p.displayName().isBlank()) {
            found.add(new Problem("displayName", "a policy needs a displayName"));
            return;
        }
        if (p.state() == null || !STATES.contains(p.state())) {
            found.add(new Problem("state", "state is enabled, disabled or enabledForReportingButNotEnforced, not "
                    + (p.state() == null ? "missing" : "'" + p.state() + "'")));
            return;
        }
        if (!(p.conditions().get("users") instanceof Map<?, ?> users)) {
            found.add(new Problem("conditions.users", "a policy needs conditions.users (whom it applies to)"));
            return;
        }
        if (!(p.conditions().get("applications") instanceof Map<?, ?> apps)) {
            found.add(new Problem("conditions.applications", "a policy needs conditions.applications (which resources)"));
            return;
        }
        Map<String, Object> u = (Map<String, Object>) users;
        boolean anyone = false;
        for (String key : List.of("includeUsers", "excludeUsers", "includeGroups", "excludeGroups", "includeRoles", "excludeRoles")) {
            Object value = u.get(key);
            if (value == null) {
                continue;
            }
            if (!(value instanceof List<?> list)) {
                found.add(new Problem("conditions.users." + key, "expected an array of ids"));
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                String v = String.valueOf(list.get(i));
                String at = "conditions.users." + key + "[" + i + "]";
                boolean word = key.endsWith("Users") && USER_WORDS.contains(v);
                if (!word && !Guid.isGuid(v)) {
                    found.add(new Problem(at, "'" + v + "' is no id" + (key.endsWith("Users")
                            ? " (nor All, None or GuestsOrExternalUsers)" : "")));
                    return;
                }
                if (!word && key.endsWith("Users") && !userExists.test(v)) {
                    found.add(new Problem(at, "no user of the tenant has the id " + v));
                    return;
                }
                if (key.endsWith("Groups") && !groupExists.test(v)) {
                    found.add(new Problem(at, "no group of the tenant has the id " + v));
                    return;
                }
            }
            anyone |= key.startsWith("include") && !list.isEmpty();
        }
        if (!anyone) {
            found.add(new Problem("conditions.users", "the policy includes no one: give includeUsers, includeGroups or includeRoles"));
            return;
        }
        Map<String, Object> a = (Map<String, Object>) apps;
        boolean anything = false;
        for (String key : List.of("includeApplications", "excludeApplications")) {
            Object value = a.get(key);
            if (value == null) {
                continue;
            }
            if (!(value instanceof List<?> list)) {
                found.add(new Problem("conditions.applications." + key, "expected an array of app ids"));
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                String v = String.valueOf(list.get(i));
                if (!APP_WORDS.contains(v) && !Guid.isGuid(v)) {
                    found.add(new Problem("conditions.applications." + key + "[" + i + "]", "'" + v
                            + "' is no app id (nor All, None, Office365 or MicrosoftAdminPortals)"));
                    return;
                }
            }
            anything |= key.startsWith("include") && !list.isEmpty();
        }
        if (!anything && !(a.get("includeAuthenticationContextClassReferences") instanceof List<?> acrs && !acrs.isEmpty())
                && !(a.get("includeUserActions") instanceof List<?> actions && !actions.isEmpty())) {
            found.add(new Problem("conditions.applications", "the policy includes no resource: give includeApplications"));
            return;
        }
        Object types = p.conditions().get("clientAppTypes");
        if (types != null) {
            if (!(types instanceof List<?> list)) {
                found.add(new Problem("conditions.clientAppTypes", "expected an array"));
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                if (!CLIENT_APP_TYPES.contains(String.valueOf(list.get(i)))) {
                    found.add(new Problem("conditions.clientAppTypes[" + i + "]", "'" + list.get(i) + "' is none of "
                            + new java.util.TreeSet<>(CLIENT_APP_TYPES)));
                    return;
                }
            }
        }
        Object operator = p.grantControls().get("operator");
        if (operator != null && !"OR".equals(operator) && !"AND".equals(operator)) {
            found.add(new Problem("grantControls.operator", "the operator is OR or AND, not '" + operator + "'"));
            return;
        }
        Object controls = p.grantControls().get("builtInControls");
        if (controls != null) {
            if (!(controls instanceof List<?> list)) {
                found.add(new Problem("grantControls.builtInControls", "expected an array"));
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                if (!CONTROLS.contains(String.valueOf(list.get(i)))) {
                    found.add(new Problem("grantControls.builtInControls[" + i + "]", "'" + list.get(i) + "' is none of "
                            + new java.util.TreeSet<>(CONTROLS)));
                    return;
                }
            }
            if (list.contains("block") && list.size() > 1) {
                found.add(new Problem("grantControls.builtInControls", "block cannot be combined with other controls"));
                return;
            }
        }
        if (p.sessionControls() != null && p.sessionControls().get("signInFrequency") instanceof Map<?, ?> f
                && !Boolean.FALSE.equals(f.get("isEnabled"))) {
            Object interval = f.get("frequencyInterval");
            if (interval != null && !"timeBased".equals(interval) && !"everyTime".equals(interval)) {
                found.add(new Problem("sessionControls.signInFrequency.frequencyInterval", "the interval is timeBased or "
                        + "everyTime, not '" + interval + "'"));
            } else if (!"everyTime".equals(interval)) {
                Object type = f.get("type");
                Object value = f.get("value");
                if (!"hours".equals(type) && !"days".equals(type)) {
                    found.add(new Problem("sessionControls.signInFrequency.type", "the type is hours or days, not '" + type + "'"));
                } else if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1
                        || n.longValue() > ("hours".equals(type) ? 23 : 365)) {
                    found.add(new Problem("sessionControls.signInFrequency.value", "a whole number of " + type + " from 1 to "
                            + ("hours".equals(type) ? 23 : 365) + ", not '" + value + "'"));
                }
            }
        }
    }
}
