package dev.consentry.identity.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TestTenants;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conditional access policies in Graph's shape, evaluated for one request: who and what they apply to (users, groups,
 * roles, exclusions first, resources, client app types), what their grant controls ask (OR and AND, mfa, block,
 * devices), and what their state does (enforced, report-only, disabled); a condition not evaluated yet says so.
 */
class ConditionalAccessTest {
    static final ObjectId ADELE = ObjectId.of("0a0a0a0a-0000-4000-8000-000000000001");
    static final ObjectId MEGAN = ObjectId.of("0a0a0a0a-0000-4000-8000-000000000002");
    static final ObjectId GUEST = ObjectId.of("0a0a0a0a-0000-4000-8000-000000000003");
    static final ObjectId FINANCE = ObjectId.of("0b0b0b0b-0000-4000-8000-000000000001");
    static final AppId WEB = AppId.of("0c0c0c0c-0000-4000-8000-000000000001");
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    final InMemoryStore store = new InMemoryStore();
    final ConditionalAccess access = new ConditionalAccess(store);

    void tenant(ConditionalAccessPolicy... policies) {
        User guest = new User(GUEST, "guest_outlook.com#EXT#@contoso.onmicrosoft.com", "Guest", null, "Guest", true, null, null,
                List.of(), null);
        var b = TestTenants.contoso().withUser(TestTenants.user(ADELE, "adele@contoso.onmicrosoft.com"))
                .withUser(TestTenants.user(MEGAN, "megan@contoso.onmicrosoft.com")).withUser(guest)
                .withGroup(new Group(FINANCE, "Finance", true, false, List.of(), List.of(MEGAN), null))
                .withRoleAssignment(new RoleAssignment("r1", ADELE, TestTenants.GLOBAL_ADMINISTRATOR, "/", null));
        for (ConditionalAccessPolicy p : policies) {
            b.withConditionalAccessPolicy(p);
        }
        store.tenants().replace(b.build());
    }

    static ConditionalAccessPolicy policy(String id, String state, Map<String, Object> users, List<String> apps,
                                          List<String> controls, String operator) {
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("users", users);
        conditions.put("applications", Map.of("includeApplications", apps));
        return new ConditionalAccessPolicy(id, "Policy " + id, state, conditions,
                Map.of("operator", operator, "builtInControls", controls), Map.of(), null);
    }

    AccessDecision evaluate(ObjectId user, AppId resource, AuthContext auth, boolean compliant) {
        User u = store.users().find(TestTenants.CONTOSO, user).orElseThrow();
        AccessRequest request = new AccessRequest(TestTenants.CONTOSO, u, WEB, resource, AccessRequest.MODERN_CLIENT, auth);
        return access.evaluate(compliant ? request.withDevice(LAPTOP) : request);
    }

    /** A registered, enabled, compliant device. */
    static final dev.consentry.core.directory.Device LAPTOP = new dev.consentry.core.directory.Device(
            ObjectId.of("0d0d0d0d-0000-4000-8000-000000000001"), "0e0e0e0e-0000-4000-8000-000000000001", "Laptop", "Windows",
            true, true, true, "AzureAd", T0, null, null);

    static AuthContext mfa() {
        return new AuthContext(List.of("pwd", "mfa"), List.of(), null, T0);
    }

    @Test
    void withoutPoliciesEverythingIsAllowed() {
        tenant();
        assertThat(evaluate(ADELE, WellKnown.GRAPH_APP_ID, AuthContext.password(T0), false).outcomes()).isEmpty();
    }

    @Test
    void mfaForEveryoneIsMetOnlyByASecondFactorAndExclusionsWin() {
        tenant(policy("p1", "enabled", Map.of("includeUsers", List.of("All"), "excludeUsers", List.of(MEGAN.toString())),
                List.of("All"), List.of("mfa"), "OR"));
        AccessDecision password = evaluate(ADELE, WellKnown.GRAPH_APP_ID, AuthContext.password(T0), false);
        assertThat(password.allowed()).isFalse();
        assertThat(password.missing()).containsExactly("mfa");
        assertThat(password.refusingPolicies()).containsExactly("p1");
        assertThat(password.outcomes().get(0).result()).isEqualTo("failure");
        assertThat(evaluate(ADELE, WellKnown.GRAPH_APP_ID, mfa(), false).allowed()).isTrue();
        assertThat(evaluate(ADELE, WellKnown.GRAPH_APP_ID, mfa(), false).outcomes().get(0).result()).isEqualTo("success");
        PolicyOutcome excluded = evaluate(MEGAN, WellKnown.GRAPH_APP_ID, AuthContext.password(T0), false).outcomes().get(0);
        assertThat(excluded.result()).isEqualTo("notApplied");
        assertThat(excluded.why()).isEqualTo("the user is excluded");
    }

    @Test
    void groupsRolesGuestsAndResourcesDecideWhoIsIn() {
        tenant(policy("groups", "enabled", Map.of("includeGroups", List.of(FINANCE.toString())), List.of("All"), List.of("block"), "OR"),
                policy("admins", "enabled", Map.of("includeRoles", List.of(TestTenants.GLOBAL_ADMINISTRATOR)),
                        List.of("Office365"), List.of("mfa"), "OR"),
                policy("guests", "enabled", Map.of("includeUsers", List.of("GuestsOrExternalUsers")),
                        List.of(WellKnown.GRAPH_APP_ID.toString()), List.of("mfa"), "OR"));
        AccessDecision megan = evaluate(MEGAN, WellKnown.GRAPH_APP_ID, mfa(), false);
        assertThat(megan.blocked()).as("Finance is blocked whatever the factor").isTrue();
        assertThat(evaluate(ADELE, WellKnown.GRAPH_APP_ID, AuthContext.password(T0), false).allowed())
                .as("Graph is not in the Office365 group").isTrue();
        assertThat(evaluate(ADELE, WellKnown.EXCHANGE_APP_ID, AuthContext.password(T0), false).missing()).containsExactly("mfa");
        assertThat(evaluate(GUEST, WellKnown.GRAPH_APP_ID, AuthContext.password(T0), false).refusingPolicies())
                .containsExactly("guests");
        assertThat(evaluate(GUEST, WellKnown.SHAREPOINT_APP_ID, AuthContext.password(T0), false).allowed()).isTrue();
    }

    @Test
    void operatorAndReportOnlyDisabledAndUnevaluatedConditions() {
        ConditionalAccessPolicy both = policy("and", "enabled", Map.of("includeUsers", List.of("All")), List.of("All"),
                List.of("mfa", "compliantDevice"), "AND");
        ConditionalAccessPolicy either = policy("or", "enabledForReportingButNotEnforced", Map.of("includeUsers", List.of("All")),
                List.of("All"), List.of("mfa", "compliantDevice"), "OR");
        ConditionalAccessPolicy off = policy("off", "disabled", Map.of("includeUsers", List.of("All")), List.of("All"),
                List.of("block"), "OR");
        Map<String, Object> risky = new LinkedHashMap<>(both.conditions());
        risky.put("signInRiskLevels", List.of("high"));
        ConditionalAccessPolicy risk = new ConditionalAccessPolicy("risk", "Risky", "enabled", risky,
                Map.of("builtInControls", List.of("block")), Map.of(), null);
        tenant(both, either, off, risk);

        AccessDecision mfaOnly = evaluate(ADELE, WellKnown.GRAPH_APP_ID, mfa(), false);
        assertThat(mfaOnly.refusingPolicies()).containsExactly("and");
        assertThat(mfaOnly.missing()).containsExactly("compliantDevice");
        assertThat(results(mfaOnly)).containsExactlyInAnyOrderEntriesOf(Map.of("and", "failure", "or", "reportOnlySuccess",
                "off", "notEnabled", "risk", "notApplied"));
        assertThat(mfaOnly.outcomes().stream().filter(o -> o.id().equals("risk")).findFirst().orElseThrow().why())
                .contains("signInRiskLevels");
        AccessDecision neither = evaluate(ADELE, WellKnown.GRAPH_APP_ID, AuthContext.password(T0), false);
        assertThat(results(neither).get("or")).as("report-only never refuses").isEqualTo("reportOnlyFailure");
        assertThat(neither.refusingPolicies()).containsExactly("and");
        assertThat(evaluate(ADELE, WellKnown.GRAPH_APP_ID, mfa(), true).allowed()).isTrue();
    }

    @Test
    void aPolicyOnAnAuthenticationContextAppliesOnlyWhenTheRequestAsksForItAndMfaWouldSatisfyIt() {
        ConditionalAccessPolicy c1 = new ConditionalAccessPolicy("c1", "Step-up c1", "enabled", Map.of(
                "users", Map.of("includeUsers", List.of("All")),
                "applications", Map.of("includeAuthenticationContextClassReferences", List.of("c1"))),
                Map.of("operator", "OR", "builtInControls", List.of("mfa")), Map.of(), null);
        tenant(c1);
        User adele = store.users().find(TestTenants.CONTOSO, ADELE).orElseThrow();
        AccessRequest plain = new AccessRequest(TestTenants.CONTOSO, adele, WEB, WellKnown.GRAPH_APP_ID,
                AccessRequest.BROWSER, AuthContext.password(T0));
        assertThat(access.evaluate(plain).allowed()).isTrue();
        assertThat(access.evaluate(plain).outcomes().get(0).why()).contains("none of the authentication contexts [c1]");
        AccessRequest asking = new AccessRequest(TestTenants.CONTOSO, adele, WEB, WellKnown.GRAPH_APP_ID,
                AccessRequest.BROWSER, AuthContext.password(T0), null, List.of("c2", "c1"), T0, null);
        AccessDecision refused = access.evaluate(asking);
        assertThat(refused.refusingPolicies()).containsExactly("c1");
        assertThat(access.secondFactorWouldSatisfy(asking, refused)).isTrue();
        assertThat(access.refusal(refused, asking, "Microsoft Graph", true).cause()).as("no authenticator app yet")
                .isEqualTo(dev.consentry.core.cause.Cause.MFA_REGISTRATION_REQUIRED);
        assertThat(access.evaluate(asking.withAuth(mfa())).allowed()).isTrue();
    }

    @Test
    void locationsMatchTheClientsAddressAgainstIpNamedLocationsAndAnExclusionWins() throws Exception {
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("users", Map.of("includeUsers", List.of("All")));
        conditions.put("applications", Map.of("includeApplications", List.of("All")));
        conditions.put("locations", Map.of("includeLocations", List.of("All"), "excludeLocations", List.of("AllTrusted")));
        ConditionalAccessPolicy outside = new ConditionalAccessPolicy("outside", "Block outside the office", "enabled",
                conditions, Map.of("builtInControls", List.of("block")), Map.of(), null);
        tenant(outside);
        store.namedLocations().save(TestTenants.CONTOSO, new dev.consentry.core.directory.NamedLocation("office", null,
                "Office", true, List.of(new dev.consentry.core.directory.NamedLocation.IpRange("#microsoft.graph.iPv4CidrRange",
                        "203.0.113.0/24"), new dev.consentry.core.directory.NamedLocation.IpRange(
                        "#microsoft.graph.iPv6CidrRange", "2001:db8::/48")), null));
        User adele = store.users().find(TestTenants.CONTOSO, ADELE).orElseThrow();
        java.util.function.Function<String, AccessDecision> from = ip -> {
            try {
                return access.evaluate(new AccessRequest(TestTenants.CONTOSO, adele, WEB, WellKnown.GRAPH_APP_ID,
                        AccessRequest.BROWSER, AuthContext.password(T0), null, List.of(), T0,
                        ip == null ? null : java.net.InetAddress.getByName(ip)));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(from.apply("203.0.113.7").allowed()).as("in the trusted office").isTrue();
        assertThat(from.apply("203.0.113.7").outcomes().get(0).why()).contains("excluded location AllTrusted");
        assertThat(from.apply("2001:db8:0:1::5").allowed()).isTrue();
        assertThat(from.apply("198.51.100.9").blocked()).as("anywhere else").isTrue();
        assertThat(from.apply("2001:db9::5").blocked()).isTrue();
        assertThat(from.apply(null).outcomes().get(0).why()).as("unknown address: a policy naming locations does not apply")
                .contains("not known");
    }

    static Map<String, String> results(AccessDecision d) {
        Map<String, String> out = new LinkedHashMap<>();
        d.outcomes().forEach(o -> out.put(o.id(), o.result()));
        return out;
    }

    @Test
    void clientAppTypesLimitWhereAPolicyApplies() {
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("users", Map.of("includeUsers", List.of("All")));
        conditions.put("applications", Map.of("includeApplications", List.of("All")));
        conditions.put("clientAppTypes", List.of("browser"));
        tenant(new ConditionalAccessPolicy("web", "Browsers", "enabled", conditions, Map.of("builtInControls", List.of("mfa")),
                Map.of(), null));
        PolicyOutcome modern = evaluate(ADELE, WellKnown.GRAPH_APP_ID, AuthContext.password(T0), false).outcomes().get(0);
        assertThat(modern.result()).isEqualTo("notApplied");
        assertThat(modern.why()).contains("mobileAppsAndDesktopClients");
        User adele = store.users().find(TestTenants.CONTOSO, ADELE).orElseThrow();
        assertThat(access.evaluate(new AccessRequest(TestTenants.CONTOSO, adele, WEB, WEB, AccessRequest.BROWSER,
                AuthContext.password(T0))).missing()).containsExactly("mfa");
    }
}
