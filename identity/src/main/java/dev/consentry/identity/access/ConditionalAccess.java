package dev.consentry.identity.access;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.NamedLocation;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.id.AppId;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates a tenant's conditional access policies, in Graph's {@code conditionalAccessPolicy} shape, for one request
 * (Microsoft Learn, "Building a Conditional Access policy"; Graph's conditionalAccessPolicy, conditionalAccessConditionSet
 * and conditionalAccessGrantControls resources).
 *
 * <p>A policy applies when every condition it sets matches: users ({@code includeUsers}/{@code excludeUsers} by id,
 * {@code All}, {@code None}, {@code GuestsOrExternalUsers}; groups by direct membership; directory roles held
 * tenant-wide), applications ({@code includeApplications}/{@code excludeApplications} by the resource's app id,
 * {@code All}, {@code None}, {@code Office365}: Exchange Online and SharePoint Online), and {@code clientAppTypes}.
 * An exclusion wins over an inclusion. Its grant controls ({@code builtInControls}, joined by {@code operator} OR or
 * AND) are then met or not: {@code mfa} by a sign-in whose {@code amr} holds {@code mfa}, {@code compliantDevice} and
 * {@code domainJoinedDevice} by the request's device, {@code block} never; a control Consentry does not evaluate is not
 * met. {@code state} decides the effect: {@code enabled} enforces, {@code enabledForReportingButNotEnforced} only
 * reports, {@code disabled} is not evaluated.
 *
 * A policy whose applications condition names authentication contexts
 * ({@code includeAuthenticationContextClassReferences}) applies instead when the request asks for one of them (the
 * {@code claims} parameter's {@code acrs}), whatever the resource.
 *
 * Locations ({@code includeLocations}/{@code excludeLocations}: {@code All}, {@code AllTrusted}, named location ids)
 * match the client's address against the tenant's IP named locations.
 *
 * <p>Not evaluated yet, and then the policy is reported as not applied with that reason: platforms, sign-in and user
 * risk, device filters, authentication strengths; country named locations never match.
 */
public final class ConditionalAccess {
    /** The members of Entra's "Office365" application group that Consentry knows as resources. */
    static final Set<AppId> OFFICE_365 = Set.of(WellKnown.EXCHANGE_APP_ID, WellKnown.SHAREPOINT_APP_ID);
    private static final Set<String> CONDITIONS_EVALUATED = Set.of("users", "applications", "clientAppTypes", "locations");
    private final Store store;

    public ConditionalAccess(Store store) {
        this.store = store;
    }

    /** Every policy of the request's tenant, evaluated. */
    public AccessDecision evaluate(AccessRequest request) {
        return evaluate(request, store.conditionalAccessPolicies().list(request.tenant()));
    }

    /**
     * What a resource that enforces continuous access evaluation checks again at each call (Microsoft Learn,
     * "Continuous access evaluation", IP address variation; only IP named locations): the tenant's policies that name
     * locations, evaluated for the address the call comes from. The other policies were decided when the token was
     * issued, and a policy's sign-in frequency is the STS's to enforce, so neither is looked at here.
     */
    public AccessDecision evaluateLocations(AccessRequest request) {
        List<ConditionalAccessPolicy> located = store.conditionalAccessPolicies().list(request.tenant()).stream()
                .filter(ConditionalAccess::namesLocations).toList();
        AccessRequest atSignIn = new AccessRequest(request.tenant(), request.user(), request.client(), request.resource(),
                request.clientAppType(), request.auth(), request.device(), request.acrs(), request.auth().authTime(),
                request.clientAddress());
        return evaluate(atSignIn, located);
    }

    private static boolean namesLocations(ConditionalAccessPolicy p) {
        return p.conditions().get("locations") instanceof Map<?, ?> m
                && !(strings(m.get("includeLocations")).isEmpty() && strings(m.get("excludeLocations")).isEmpty());
    }

    private AccessDecision evaluate(AccessRequest request, List<ConditionalAccessPolicy> policies) {
        List<PolicyOutcome> outcomes = new ArrayList<>();
        if (policies.isEmpty()) {
            return new AccessDecision(List.of());
        }
        // The user's groups and roles are looked up once, and only when a policy names groups or roles.
        java.util.function.Supplier<Set<String>> groups = memo(() -> {
            Set<String> ids = new HashSet<>();
            for (Group g : store.groups().listByMember(request.tenant(), request.user().id())) {
                ids.add(g.id().toString().toLowerCase(Locale.ROOT));
            }
            return ids;
        });
        java.util.function.Supplier<Set<String>> roles = memo(() -> {
            Set<String> ids = new HashSet<>();
            for (RoleAssignment r : store.roleAssignments().listByPrincipal(request.tenant(), request.user().id())) {
                if (r.directoryScopeId() == null || "/".equals(r.directoryScopeId())) {
                    ids.add(r.roleDefinitionId().toLowerCase(Locale.ROOT));
                }
            }
            return ids;
        });
        java.util.function.Supplier<List<NamedLocation>> locations = memo(() -> store.namedLocations().list(request.tenant()));
        Lookups lookups = new Lookups(groups, roles, locations);
        for (ConditionalAccessPolicy p : policies) {
            outcomes.add(evaluate(p, request, lookups));
        }
        return new AccessDecision(outcomes);
    }

    /** What a policy may need beyond the request, each looked up once per evaluation and only when asked for. */
    private record Lookups(java.util.function.Supplier<Set<String>> groups, java.util.function.Supplier<Set<String>> roles,
                           java.util.function.Supplier<List<NamedLocation>> locations) {}

    /**
     * True when a second factor is what the interactive sign-in should ask for next: a policy refusing the request
     * misses {@code mfa} and a second factor changes the decision (it allows the request, or leaves only what comes
     * after it, such as a device), while nothing blocks and no sign-in frequency has run out.
     */
    public boolean secondFactorWouldSatisfy(AccessRequest request, AccessDecision decision) {
        if (decision.allowed() || decision.blocked() || !decision.missing().contains("mfa")
                || decision.missing().contains("signInFrequency") || request.auth().multiFactor()) {
            return false;
        }
        AccessDecision stronger = evaluate(request.withAuth(request.auth().withSecondFactor(request.auth().authTime())));
        return stronger.allowed() || (!stronger.blocked() && !stronger.missing().contains("mfa"));
    }

    /**
     * The refusal for a request {@code decision} does not allow ({@link AccessDecision#refusal}), knowing whether the user
     * has an authenticator app to prove a second factor with.
     */
    public Failure refusal(AccessDecision decision, AccessRequest request, String resourceName, boolean withClaims) {
        return decision.refusal(request, resourceName, withClaims,
                !store.softwareOathMethods().listByUser(request.tenant(), request.user().id()).isEmpty());
    }

    private static <T> java.util.function.Supplier<T> memo(java.util.function.Supplier<T> compute) {
        return new java.util.function.Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = compute.get();
                }
                return value;
            }
        };
    }

    private static PolicyOutcome evaluate(ConditionalAccessPolicy p, AccessRequest request, Lookups lookups) {
        List<String> controls = strings(p.grantControls().get("builtInControls"));
        String state = p.state() == null ? "enabled" : p.state();
        boolean reportOnly = "enabledForReportingButNotEnforced".equals(state);
        if ("disabled".equals(state)) {
            return new PolicyOutcome(p.id(), p.displayName(), "notEnabled", "the policy is disabled", controls, List.of(), null);
        }
        Optional<String> notApplied = notApplied(p.conditions(), request, lookups);
        if (notApplied.isPresent()) {
            return new PolicyOutcome(p.id(), p.displayName(), reportOnly ? "reportOnlyNotApplied" : "notApplied",
                    notApplied.get(), controls, List.of(), null);
        }
        List<String> unmet = new ArrayList<>();
        List<String> met = new ArrayList<>();
        for (String c : controls) {
            (met(c, request) ? met : unmet).add(c);
        }
        boolean and = "AND".equalsIgnoreCase(String.valueOf(p.grantControls().getOrDefault("operator", "OR")));
        boolean satisfied = controls.isEmpty() || (and ? unmet.isEmpty() : !met.isEmpty());
        if (controls.contains("block")) {
            satisfied = false;
            unmet = List.of("block");
        }
        String why = satisfied ? (controls.isEmpty() ? "applies, with no grant control" : "its controls are met: " + met)
                : controls.contains("block") ? "it blocks access" : "not met: " + String.join(and ? " and " : " or ", unmet);
        java.time.Duration frequency = signInFrequency(p.sessionControls());
        List<String> missing = satisfied ? List.of() : unmet;
        if (frequency != null && !controls.contains("block")
                && java.time.Duration.between(request.auth().authTime(), request.at()).compareTo(frequency) > 0) {
            // The sign-in is older than the policy lets a session be: whatever else it proved, sign in again.
            missing = new ArrayList<>(missing);
            missing.add(0, "signInFrequency");
            why = (satisfied ? "" : why + "; ") + "the sign-in of " + request.auth().authTime() + " is older than its sign-in "
                    + "frequency (" + frequency + ")";
            satisfied = false;
        }
        String result = satisfied ? (reportOnly ? "reportOnlySuccess" : "success") : (reportOnly ? "reportOnlyFailure" : "failure");
        return new PolicyOutcome(p.id(), p.displayName(), result, why, controls, missing, frequency);
    }

    /**
     * A policy's {@code sessionControls.signInFrequency} (Graph's signInFrequencySessionControl: {@code value} with
     * {@code type} hours or days, or {@code frequencyInterval} everyTime), when {@code isEnabled} is not false; null
     * when the policy has none or it cannot be read.
     */
    @SuppressWarnings("unchecked")
    static java.time.Duration signInFrequency(Map<String, Object> sessionControls) {
        if (!(sessionControls.get("signInFrequency") instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, Object> f = (Map<String, Object>) m;
        if (Boolean.FALSE.equals(f.get("isEnabled"))) {
            return null;
        }
        if ("everyTime".equals(f.get("frequencyInterval"))) {
            return java.time.Duration.ZERO;
        }
        if (!(f.get("value") instanceof Number n) || n.longValue() <= 0) {
            return null;
        }
        return "days".equals(f.get("type")) ? java.time.Duration.ofDays(n.longValue()) : "hours".equals(f.get("type"))
                ? java.time.Duration.ofHours(n.longValue()) : null;
    }

    private static boolean met(String control, AccessRequest request) {
        return switch (control) {
            case "mfa" -> request.auth().multiFactor();
            case "compliantDevice" -> request.device() != null && request.device().compliant();
            case "domainJoinedDevice" -> request.device() != null && request.device().domainJoined();
            default -> false;
        };
    }

    /** Why the policy's conditions leave the request out; empty when the policy applies. */
    @SuppressWarnings("unchecked")
    private static Optional<String> notApplied(Map<String, Object> conditions, AccessRequest request, Lookups lookups) {
        var groups = lookups.groups();
        var roles = lookups.roles();
        for (String key : conditions.keySet()) {
            if (!CONDITIONS_EVALUATED.contains(key) && conditions.get(key) != null) {
                return Optional.of("Consentry does not evaluate the condition '" + key + "' yet");
            }
        }
        Map<String, Object> users = conditions.get("users") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String userId = request.user().id().toString().toLowerCase(Locale.ROOT);
        boolean guest = "Guest".equalsIgnoreCase(request.user().userType());
        boolean excluded = matchesUser(strings(users.get("excludeUsers")), userId, guest)
                || intersects(strings(users.get("excludeGroups")), groups) || intersects(strings(users.get("excludeRoles")), roles);
        if (excluded) {
            return Optional.of("the user is excluded");
        }
        boolean included = matchesUser(strings(users.get("includeUsers")), userId, guest)
                || intersects(strings(users.get("includeGroups")), groups) || intersects(strings(users.get("includeRoles")), roles);
        if (!included) {
            return Optional.of("the user is not included");
        }
        Map<String, Object> apps = conditions.get("applications") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<String> contexts = strings(apps.get("includeAuthenticationContextClassReferences"));
        if (!contexts.isEmpty()) {
            // A policy on authentication contexts applies when the request asks for one of them (Microsoft Learn,
            // "Conditional Access: Target resources", authentication context), whatever the resource.
            if (contexts.stream().noneMatch(c -> request.acrs().stream().anyMatch(c::equalsIgnoreCase))) {
                return Optional.of("the request asks for none of the authentication contexts " + contexts);
            }
        } else if (matchesApp(strings(apps.get("excludeApplications")), request.resource())) {
            return Optional.of("the resource " + request.resource() + " is excluded");
        } else if (!matchesApp(strings(apps.get("includeApplications")), request.resource())) {
            return Optional.of("the resource " + request.resource() + " is not included");
        }
        List<String> types = strings(conditions.get("clientAppTypes"));
        if (!types.isEmpty() && !types.contains("all") && !types.contains(request.clientAppType())) {
            return Optional.of("the client app type " + request.clientAppType() + " is not among " + types);
        }
        Map<String, Object> locations = conditions.get("locations") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return location(strings(locations.get("includeLocations")), strings(locations.get("excludeLocations")), request,
                lookups.locations());
    }

    /**
     * Why a location condition leaves the request out (Graph's conditionalAccessLocations): {@code All}, {@code AllTrusted}
     * (the named locations marked trusted) or named location ids, matched against the client's address; an exclusion
     * wins. Empty when the policy applies. With the address unknown, only a policy on all locations applies.
     */
    private static Optional<String> location(List<String> include, List<String> exclude, AccessRequest request,
                                             java.util.function.Supplier<List<NamedLocation>> named) {
        if (include.isEmpty() && exclude.isEmpty()) {
            return Optional.empty();
        }
        java.net.InetAddress address = request.clientAddress();
        if (address == null) {
            return include.contains("All") && exclude.isEmpty() ? Optional.empty()
                    : Optional.of("the client's address is not known, and the policy names locations");
        }
        String where = address.getHostAddress();
        for (String e : exclude) {
            if (inLocation(e, address, named)) {
                return Optional.of("the client's address " + where + " is in the excluded location " + e);
            }
        }
        if (!include.isEmpty() && include.stream().noneMatch(i -> inLocation(i, address, named))) {
            return Optional.of("the client's address " + where + " is in none of the included locations " + include);
        }
        return Optional.empty();
    }

    private static boolean inLocation(String location, java.net.InetAddress address,
                                      java.util.function.Supplier<List<NamedLocation>> named) {
        if (location.equals("All")) {
            return true;
        }
        boolean trusted = location.equals("AllTrusted");
        return named.get().stream().anyMatch(n -> (trusted ? n.trusted() : n.id().equalsIgnoreCase(location))
                && n.contains(address));
    }

    private static boolean matchesUser(List<String> values, String userId, boolean guest) {
        for (String v : values) {
            if (v.equalsIgnoreCase("All") || v.equalsIgnoreCase(userId) || (guest && v.equalsIgnoreCase("GuestsOrExternalUsers"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesApp(List<String> values, AppId resource) {
        for (String v : values) {
            if (v.equalsIgnoreCase("All") || v.equalsIgnoreCase(resource.toString())
                    || (v.equalsIgnoreCase("Office365") && OFFICE_365.contains(resource))) {
                return true;
            }
        }
        return false;
    }

    private static boolean intersects(List<String> values, java.util.function.Supplier<Set<String>> held) {
        return !values.isEmpty() && values.stream().anyMatch(v -> held.get().contains(v.toLowerCase(Locale.ROOT)));
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        list.forEach(o -> out.add(String.valueOf(o)));
        return out;
    }
}
