package dev.consentry.graph.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Step;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TestTenants;
import dev.consentry.testkit.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on password resets and authentication methods (product brief, S5 and S6): the token may allow
 * the call, and the signed-in user must still hold a role that Microsoft's table admits for the target; an admin
 * target needs a privileged resetter; methods other than the password need an authentication role (or Global Reader,
 * to read); one's own methods need no role.
 */
class AuthorizationEngineTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final TenantId TENANT = TenantId.of("5f0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f");
    static final ObjectId PLAIN = ObjectId.of("77777777-0000-4000-8000-000000000001");
    static final ObjectId AUTH_ADMIN = ObjectId.of("77777777-0000-4000-8000-000000000002");
    static final ObjectId GLOBAL_ADMIN = ObjectId.of("77777777-0000-4000-8000-000000000003");
    static final ObjectId PRIVILEGED_AUTH_ADMIN = ObjectId.of("77777777-0000-4000-8000-000000000004");
    static final ObjectId HELPDESK = ObjectId.of("77777777-0000-4000-8000-000000000005");
    static final ObjectId READER = ObjectId.of("77777777-0000-4000-8000-000000000006");
    static final String CLIENT = "a1111111-0000-4000-8000-000000000001";
    static SigningKeys keys;
    static AuthorizationEngine engine;

    @BeforeAll
    static void tenant() {
        InMemoryStore store = new InMemoryStore();
        keys = SigningKeys.load(store.signingKeys(), Clock.systemUTC());
        List<User> users = List.of(user(PLAIN, "plain"), user(AUTH_ADMIN, "authadmin"), user(GLOBAL_ADMIN, "ga"),
                user(PRIVILEGED_AUTH_ADMIN, "pam"), user(HELPDESK, "helpdesk"), user(READER, "reader"));
        List<RoleAssignment> roles = List.of(
                new RoleAssignment("r1", AUTH_ADMIN, "c4e39bd9-1100-46d3-8c65-fb160da0071f", "/", null),
                new RoleAssignment("r2", GLOBAL_ADMIN, "62e90394-69f5-4237-9190-012177145e10", "/", null),
                new RoleAssignment("r3", PRIVILEGED_AUTH_ADMIN, "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "/", null),
                new RoleAssignment("r5", HELPDESK, "729827e3-9c14-49f7-bb1b-9608f156bbb8", "/", null),
                new RoleAssignment("r6", READER, "f2ef992c-3afb-46b9-b7cf-a126ee74c451", "/", null),
                // A role scoped to an administrative unit does not count tenant-wide.
                new RoleAssignment("r4", PLAIN, "c4e39bd9-1100-46d3-8c65-fb160da0071f", "/administrativeUnits/x", null));
        store.tenants().replace(TenantFile.normalise(TestTenants.fabrikam().withOnlyDomains("fabrikam.example")
                .withUsers(users).withRoleAssignments(roles).build(), new SecretHasher(1_000)));
        engine = new AuthorizationEngine(TokenChecks.graphTokenValidator(keys), GraphPermissionCatalogue.builtin(), store);
    }

    static User user(ObjectId id, String name) {
        return new User(id, name + "@fabrikam.example", name, null, "Member", true, null, null, List.of(), null);
    }

    static String token(ObjectId actor) {
        return TestTokens.signedWith(keys.primary().signer(), keys.primary().kid()).delegated().tenant(TENANT)
                .aud("https://graph.microsoft.com").appId(CLIENT).oid(actor).scp("UserAuthenticationMethod.ReadWrite.All")
                .at(NOW, Duration.ofHours(1)).sign();
    }

    static Decision reset(ObjectId actor, ObjectId target) throws Exception {
        return engine.decide(new GraphRequest("POST", "/v1.0/users/" + target
                + "/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword", "Bearer " + token(actor)), NOW);
    }

    /** {@code method} on {@code target}'s authenticator apps (the collection for GET, one app for DELETE). */
    static Decision oath(String method, ObjectId actor, ObjectId target) throws Exception {
        String path = "/v1.0/users/" + target + "/authentication/softwareOathMethods"
                + (method.equals("DELETE") ? "/0f0f0f0f-0000-4000-8000-00000000000a" : "");
        return engine.decide(new GraphRequest(method, path, "Bearer " + token(actor)), NOW);
    }

    static void assertDenied(Decision d, Cause cause) {
        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(((Decision.Deny) d).failure().cause()).isEqualTo(cause);
        assertThat(d.steps().get(d.steps().size() - 1).passed()).isFalse();
    }

    @Test
    void aUserWithoutARoleMayNotResetAnothersPassword() throws Exception {
        Decision d = reset(PLAIN, AUTH_ADMIN);
        assertDenied(d, Cause.USER_ROLE_MISSING);
        assertThat(((Decision.Deny) d).failure().explanation()).contains("plain@fabrikam.example")
                .contains("no admin role").contains("Privileged Authentication Administrator");
        assertDenied(reset(PLAIN, GLOBAL_ADMIN), Cause.USER_ROLE_MISSING);
    }

    @Test
    void anAuthenticationAdministratorResetsAPlainUserButNotAGlobalAdministrator() throws Exception {
        Decision ok = reset(AUTH_ADMIN, PLAIN);
        assertThat(ok).isInstanceOf(Decision.Allow.class);
        assertThat(ok.steps()).extracting(s -> s.check().wireName()).containsExactly("token-present", "signature-and-issuer", "lifetime",
                "audience", "account-type", "route", "target-user", "token-type", "permission", "user-rights");
        assertDenied(reset(AUTH_ADMIN, GLOBAL_ADMIN), Cause.USER_ROLE_MISSING);
        assertThat(reset(PRIVILEGED_AUTH_ADMIN, GLOBAL_ADMIN)).isInstanceOf(Decision.Allow.class);
        assertThat(reset(GLOBAL_ADMIN, GLOBAL_ADMIN)).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void otherMethodsThanThePasswordAreForAuthenticationAdministratorsAndReadsAlsoForGlobalReaders() throws Exception {
        assertThat(reset(HELPDESK, PLAIN)).as("a Helpdesk Administrator resets passwords").isInstanceOf(Decision.Allow.class);
        assertDenied(oath("GET", HELPDESK, PLAIN), Cause.USER_ROLE_MISSING);
        assertDenied(oath("DELETE", HELPDESK, PLAIN), Cause.USER_ROLE_MISSING);

        assertThat(oath("GET", READER, GLOBAL_ADMIN)).as("Global Reader reads anyone's").isInstanceOf(Decision.Allow.class);
        assertDenied(oath("DELETE", READER, PLAIN), Cause.USER_ROLE_MISSING);
        assertDenied(reset(READER, PLAIN), Cause.USER_ROLE_MISSING);

        assertThat(oath("DELETE", AUTH_ADMIN, PLAIN)).isInstanceOf(Decision.Allow.class);
        assertDenied(oath("GET", AUTH_ADMIN, GLOBAL_ADMIN), Cause.USER_ROLE_MISSING);
        Decision d = oath("DELETE", AUTH_ADMIN, GLOBAL_ADMIN);
        assertDenied(d, Cause.USER_ROLE_MISSING);
        assertThat(((Decision.Deny) d).failure().explanation()).contains("changing or deleting the authentication methods of")
                .contains("Privileged Authentication Administrator").doesNotContain("Helpdesk");
        assertThat(oath("DELETE", PRIVILEGED_AUTH_ADMIN, GLOBAL_ADMIN)).isInstanceOf(Decision.Allow.class);
        assertThat(oath("DELETE", GLOBAL_ADMIN, GLOBAL_ADMIN)).as("oneself").isInstanceOf(Decision.Allow.class);
    }

    @Test
    void onesOwnMethodsNeedNoRoleAndTargetsAreFoundByName() throws Exception {
        assertThat(reset(PLAIN, PLAIN)).isInstanceOf(Decision.Allow.class);
        Decision byName = engine.decide(new GraphRequest("GET", "/v1.0/users/authadmin@fabrikam.example/authentication/methods",
                "Bearer " + token(PLAIN)), NOW);
        assertDenied(byName, Cause.USER_ROLE_MISSING);
    }

    @Test
    void withoutTheDirectoryTheRolesAndLicencesAreUnknownNotPassedAndAMissingPermissionCannotBeExplained() throws Exception {
        AuthorizationEngine blind = new AuthorizationEngine(new TokenChecks(TokenChecks.graphTokenValidator(keys),
                GraphPermissionCatalogue.builtin()), GraphPermissionCatalogue.builtin(), DirectoryFacts.unknown());
        Decision reset = blind.decide(new GraphRequest("POST", "/v1.0/users/" + AUTH_ADMIN
                + "/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword", "Bearer " + token(PLAIN)), NOW);
        assertThat(reset).as("the token allows it; the user's roles cannot be seen").isInstanceOf(Decision.Allow.class);
        Step last = reset.steps().get(reset.steps().size() - 1);
        assertThat(last.check()).isEqualTo(dev.consentry.core.explain.Check.USER_RIGHTS);
        assertThat(last.outcome()).isEqualTo(dev.consentry.core.explain.Outcome.UNKNOWN);
        assertThat(last.detail()).contains("check their roles");

        Decision mail = blind.decide(new GraphRequest("GET", "/v1.0/users/" + PLAIN + "/messages", "Bearer " + token(PLAIN)), NOW);
        assertDenied(mail, Cause.PERMISSION_NOT_HELD);
        assertThat(((Decision.Deny) mail).failure().explanation()).contains("cannot see this tenant");
    }
}
