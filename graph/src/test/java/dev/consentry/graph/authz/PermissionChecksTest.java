package dev.consentry.graph.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Step;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.PathRule;
import dev.consentry.core.permission.Scheme;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.identity.token.TokenView;
import dev.consentry.identity.token.VerifiedToken;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TenantBuilder;
import dev.consentry.testkit.TestTenants;
import dev.consentry.testkit.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The route and permission stage against a small tenant whose apps each stand for one situation: one that
 * requests an application permission nobody granted, one that requests nothing, one that holds only a
 * delegated grant, one whose application permission was granted after its token. Tokens are real RS256
 * tokens verified by the token validator; the catalogue is the built-in one.
 */
class PermissionChecksTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final TenantId TENANT = TenantId.of("5f0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f");
    static final ObjectId GRAPH_SP = ObjectId.of("99999999-0000-4000-8000-000000000003");
    static final AppId REQUESTS_ROLE = AppId.of("a1111111-0000-4000-8000-000000000001");
    static final AppId REQUESTS_NOTHING = AppId.of("a2222222-0000-4000-8000-000000000002");
    static final AppId DELEGATED_ONLY = AppId.of("a3333333-0000-4000-8000-000000000003");
    static final AppId LATE_ROLE = AppId.of("a4444444-0000-4000-8000-000000000004");
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    static final ObjectId ME = ObjectId.of("11111111-1111-4111-8111-111111111111");
    static final ObjectId OTHER = ObjectId.of("11111111-1111-4111-8111-222222222222");
    /** An application whose owners include the service principal of {@link #REQUESTS_NOTHING}, and one with no owners. */
    static final ObjectId OWNED = ObjectId.of("c1111111-0000-4000-8000-000000000001");
    static final ObjectId NOT_OWNED = ObjectId.of("c2222222-0000-4000-8000-000000000002");
    static final GraphPermissionCatalogue CATALOGUE = GraphPermissionCatalogue.builtin();
    static SigningKeys keys;
    static TokenValidator validator;
    static PermissionChecks checks;

    @BeforeAll
    static void tenant() {
        InMemoryStore store = new InMemoryStore();
        keys = SigningKeys.load(store.signingKeys(), Clock.systemUTC());
        validator = TokenValidator.builder(keys).ignoreAudience().build();
        UUID userReadAllRole = CATALOGUE.permission("User.Read.All").orElseThrow().in(Scheme.APPLICATION).orElseThrow().id();
        TenantBuilder tenant = TestTenants.fabrikam().withOnlyDomains("fabrikam.example");
        tenant.withServicePrincipal(new ServicePrincipal(GRAPH_SP, WellKnown.GRAPH_APP_ID, "Microsoft Graph", true, "Application", null, false,
                List.of(), List.of(), List.of(), null));
        for (AppId id : List.of(REQUESTS_ROLE, REQUESTS_NOTHING, DELEGATED_ONLY, LATE_ROLE)) {
            List<RequiredResourceAccess> rra = id.equals(REQUESTS_NOTHING) ? List.of() : List.of(new RequiredResourceAccess(
                    WellKnown.GRAPH_APP_ID.toString(), List.of(new RequiredResourceAccess.ResourceAccess(userReadAllRole, "Role"))));
            tenant.withApplication(new Application(ObjectId.random(), id, "app " + id, "AzureADMyOrg", null, null, null, null, null, rra,
                    null, null, null, null, null));
            tenant.withServicePrincipal(new ServicePrincipal(sp(id), id, "app " + id, true, "Application", TENANT, false, List.of(), List.of(),
                    List.of(), null));
        }
        tenant.withApplication(new Application(OWNED, AppId.of("c1111111-0000-4000-8000-0000000000a1"), "Owned", null, null, null,
                null, null, null, null, null, null, null, null, List.of(sp(REQUESTS_NOTHING)), null));
        tenant.withApplication(new Application(NOT_OWNED, AppId.of("c2222222-0000-4000-8000-0000000000a2"), "Not owned", null,
                null, null, null, null, null, null, null, null, null, null, null));
        tenant.withGrant(new OAuth2PermissionGrant("g1", sp(DELEGATED_ONLY), "AllPrincipals", null,
                GRAPH_SP, "User.Read.All", NOW.minus(Duration.ofDays(1)), null));
        tenant.withAppRoleAssignment(new AppRoleAssignment("r1", sp(LATE_ROLE), "ServicePrincipal", GRAPH_SP,
                userReadAllRole, NOW.minus(Duration.ofMinutes(1)), null));
        tenant.withUser(new dev.consentry.core.directory.User(ME, "me@fabrikam.example", "Me", null, "Member", true, null, null,
                        List.of(), null))
                .withUser(new dev.consentry.core.directory.User(OTHER, "other@fabrikam.example", "Other", null, "Member", true,
                        null, null, List.of(), null));
        store.tenants().replace(TenantFile.normalise(tenant.build(), new SecretHasher(1_000)));
        checks = new PermissionChecks(CATALOGUE, DirectoryFacts.of(store));
    }

    @AfterAll
    static void everyPermissionCauseIsProvenHere() {
        assertThat(EXERCISED).containsAll(EnumSet.of(Cause.UNKNOWN_PATH, Cause.ROUTE_WITHOUT_PERMISSION_DATA, Cause.DELEGATED_ONLY_API, Cause.NO_APPLICATION_PERMISSION,
                Cause.NO_DELEGATED_PERMISSION, Cause.PERMISSION_TYPE_MISMATCH, Cause.PERMISSION_NOT_REQUESTED,
                Cause.PERMISSION_NOT_CONSENTED, Cause.TOKEN_PREDATES_CONSENT, Cause.APP_NOT_OWNED));
    }

    static ObjectId sp(AppId app) {
        return ObjectId.of("b" + app.toString().substring(1));
    }

    static VerifiedToken appToken(AppId client, String... roles) {
        TestTokens.Builder t = base(client).appOnly().oid(sp(client));
        if (roles.length > 0) {
            t.roles(roles);
        }
        return verify(t);
    }

    static VerifiedToken userToken(AppId client, String scp) {
        return verify(base(client).delegated().oid("11111111-1111-4111-8111-111111111111").scp(scp));
    }

    static TestTokens.Builder base(AppId client) {
        Instant iat = NOW.minus(Duration.ofMinutes(10));
        return TestTokens.signedWith(keys.primary().signer(), keys.primary().kid()).tenant(TENANT)
                .aud("https://graph.microsoft.com").appId(client).issuedAt(iat).expiresAt(NOW.plus(Duration.ofHours(1)));
    }

    static VerifiedToken verify(TestTokens.Builder token) {
        return ((TokenValidator.Result.Valid) validator.validate(token.sign(), NOW)).token();
    }

    /** The permission stage on its own, after a token stage that accepted {@code token}. */
    static StageResult check(TokenView token, GraphRequest request) {
        return checks.apply(Evaluation.of(request, NOW).withToken(token));
    }

    static StageResult.Stop refused(StageResult stage, Cause cause) {
        EXERCISED.add(cause);
        assertThat(stage).isInstanceOf(StageResult.Stop.class);
        StageResult.Stop r = (StageResult.Stop) stage;
        assertThat(r.failure().cause()).as(r.failure().explanation()).isEqualTo(cause);
        assertThat(r.steps().get(r.steps().size() - 1).passed()).isFalse();
        return r;
    }

    @Test
    void theLeastPrivilegedPermissionAllowsTheCall() throws Exception {
        StageResult stage = check(userToken(REQUESTS_NOTHING, "User.Read"), new GraphRequest("GET", "/v1.0/me", null));
        assertThat(stage).isInstanceOf(StageResult.Continue.class);
        StageResult.Continue passed = (StageResult.Continue) stage;
        assertThat(passed.next().permission()).isEqualTo("User.Read");
        assertThat(passed.next().leastPrivileged().get("DelegatedWork")).contains("User.Read");
        assertThat(passed.steps()).extracting(Step::check).containsExactly(Check.ROUTE, Check.TOKEN_TYPE, Check.PERMISSION);

        StageResult app = check(appToken(LATE_ROLE, "User.Read.All"), new GraphRequest("GET", "/v1.0/users", null));
        assertThat(app).isInstanceOf(StageResult.Continue.class);
    }

    @Test
    void unknownPathsAndTheWrongTokenTypeForTheRoute() throws Exception {
        StageResult.Stop unknown = refused(check(userToken(REQUESTS_NOTHING, "User.Read"),
                new GraphRequest("GET", "/v1.0/nonsense/things", null)), Cause.UNKNOWN_PATH);
        assertThat(unknown.failure().publicMessage()).isEqualTo("Resource not found for the segment 'nonsense'.");
        assertThat(unknown.failure().cause().status()).isEqualTo(400);

        // Graph's metadata names the first segment it does not know, wherever it is, and offers the nearest name.
        StageResult.Stop typo = refused(check(userToken(REQUESTS_NOTHING, "User.Read"),
                new GraphRequest("GET", "/v1.0/me/mesages", null)), Cause.UNKNOWN_PATH);
        assertThat(typo.failure().publicMessage()).isEqualTo("Resource not found for the segment 'mesages'.");
        assertThat(typo.failure().explanation()).contains("did you mean 'messages'?");
        StageResult.Stop deep = refused(check(userToken(REQUESTS_NOTHING, "User.Read"),
                new GraphRequest("GET", "/v1.0/users/abc/displayName/more", null)), Cause.UNKNOWN_PATH);
        assertThat(deep.failure().publicMessage()).isEqualTo("Resource not found for the segment 'more'.");

        // A path Graph's metadata has that Microsoft's permission data does not: known, but not decided by guesswork.
        StageResult.Stop undecided = refused(check(appToken(LATE_ROLE, "Directory.Read.All"),
                new GraphRequest("GET", "/v1.0/domainDnsRecords", null)), Cause.ROUTE_WITHOUT_PERMISSION_DATA);
        assertThat(undecided.failure().cause().status()).isEqualTo(501);
        assertThat(undecided.failure().publicMessage()).contains("GET /v1.0/domainDnsRecords");

        // Graph's /drive singleton is the signed-in user's drive: the /me/drive rules decide it.
        assertThat(check(userToken(REQUESTS_NOTHING, "Files.Read"), new GraphRequest("GET", "/v1.0/drive/root/children", null)))
                .isInstanceOf(StageResult.Continue.class);
        refused(check(appToken(LATE_ROLE, "Files.Read.All"), new GraphRequest("GET", "/v1.0/drive", null)),
                Cause.DRIVE_NEEDS_USER);

        refused(check(appToken(LATE_ROLE, "User.Read.All"), new GraphRequest("GET", "/v1.0/me", null)),
                Cause.DELEGATED_ONLY_API);
        // Microsoft's data lists UserAuthenticationMethod.Read.All (application) for this /me route; Graph does not.
        refused(check(appToken(LATE_ROLE, "UserAuthenticationMethod.Read.All"),
                new GraphRequest("GET", "/v1.0/me/authentication/softwareOathMethods", null)), Cause.DELEGATED_ONLY_API);
        StageResult.Stop reset = refused(check(appToken(LATE_ROLE, "User.ReadWrite.All", "Directory.ReadWrite.All",
                        "UserAuthenticationMethod.ReadWrite.All"),
                new GraphRequest("POST", "/v1.0/users/someone/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword",
                        null)), Cause.NO_APPLICATION_PERMISSION);
        assertThat(reset.at().leastPrivileged()).containsKey("DelegatedWork");

        // A route only application permissions allow, called with a delegated token.
        PathRule appOnly = CATALOGUE.pathRules().stream()
                .filter(r -> r.methods().contains("GET") && r.schemes().contains(Scheme.APPLICATION))
                .filter(r -> CATALOGUE.match("GET", concrete(r.template()), Scheme.DELEGATED_WORK)
                        instanceof dev.consentry.core.permission.PathMatch.Matched m && m.sufficient().isEmpty())
                .findFirst().orElseThrow();
        refused(check(userToken(REQUESTS_NOTHING, "User.Read"), new GraphRequest("GET", "/v1.0" + concrete(appOnly.template()),
                null)), Cause.NO_DELEGATED_PERMISSION);
    }

    @Test
    void whyATokenLacksThePermission() throws Exception {
        GraphRequest listUsers = new GraphRequest("GET", "/v1.0/users", null);
        StageResult.Stop mismatch = refused(check(appToken(DELEGATED_ONLY), listUsers), Cause.PERMISSION_TYPE_MISMATCH);
        assertThat(mismatch.failure().explanation()).contains("User.Read.All").contains("delegated");

        StageResult.Stop late = refused(check(appToken(LATE_ROLE), listUsers), Cause.TOKEN_PREDATES_CONSENT);
        assertThat(late.failure().explanation()).contains("User.Read.All");

        StageResult.Stop notConsented = refused(check(appToken(REQUESTS_ROLE), listUsers), Cause.PERMISSION_NOT_CONSENTED);
        assertThat(notConsented.failure().explanation()).contains("requests User.Read.All");
        assertThat(notConsented.failure().fix()).as("the fix names the least privileged one").contains("User.ReadBasic.All");

        StageResult.Stop notRequested = refused(check(appToken(REQUESTS_NOTHING), listUsers),
                Cause.PERMISSION_NOT_REQUESTED);
        assertThat(notRequested.failure().fix()).contains("User.ReadBasic.All");
        assertThat(notRequested.at().leastPrivileged().get("Application")).contains("User.ReadBasic.All");
    }

    @Test
    void ownPermissionsReachOnlyTheSignedInUser() throws Exception {
        VerifiedToken me = userToken(REQUESTS_NOTHING, "User.Read");
        assertThat(check(me, new GraphRequest("GET", "/v1.0/users/" + ME, null))).isInstanceOf(StageResult.Continue.class);
        assertThat(check(me, new GraphRequest("GET", "/v1.0/users/me@fabrikam.example", null)))
                .isInstanceOf(StageResult.Continue.class);
        StageResult.Stop other = refused(check(me, new GraphRequest("GET", "/v1.0/users/" + OTHER, null)),
                Cause.PERMISSION_NOT_REQUESTED);
        assertThat(other.failure().explanation()).contains("needs one of User.ReadBasic.All");
        assertThat(other.steps()).extracting(Step::check).contains(Check.TARGET_USER);
        assertThat(check(userToken(REQUESTS_NOTHING, "User.ReadBasic.All"), new GraphRequest("GET", "/v1.0/users/" + OTHER,
                null))).isInstanceOf(StageResult.Continue.class);
    }

    /** A template with its {placeholders} replaced by values. */
    static String concrete(String template) {
        return template.replaceAll("\\{[^}]+}", "x1").replaceAll("=x1", "='x1'");
    }

    @Test
    void ownedByReachesOnlyWhatTheCallerOwnsUnlessABroaderPermissionIsHeld() throws Exception {
        VerifiedToken ownedBy = appToken(REQUESTS_NOTHING, "Application.ReadWrite.OwnedBy");
        StageResult mine = check(ownedBy, new GraphRequest("PATCH", "/v1.0/applications/" + OWNED, null));
        assertThat(mine).isInstanceOf(StageResult.Continue.class);
        assertThat(((StageResult.Continue) mine).steps()).extracting(Step::check)
                .containsExactly(Check.ROUTE, Check.TOKEN_TYPE, Check.PERMISSION, Check.OWNERSHIP);

        StageResult.Stop notMine = refused(check(ownedBy, new GraphRequest("POST", "/v1.0/applications/" + NOT_OWNED
                + "/addPassword", null)), Cause.APP_NOT_OWNED);
        assertThat(notMine.steps().get(notMine.steps().size() - 1).check()).isEqualTo(Check.OWNERSHIP);
        assertThat(notMine.failure().explanation()).contains("it has no owners").contains(sp(REQUESTS_NOTHING).toString());
        assertThat(notMine.failure().fix()).contains("/applications/" + NOT_OWNED + "/owners/$ref");

        assertThat(check(ownedBy, new GraphRequest("GET", "/v1.0/applications/" + NOT_OWNED, null)))
                .as("it reads every application").isInstanceOf(StageResult.Continue.class);
        assertThat(check(ownedBy, new GraphRequest("POST", "/v1.0/applications", null))).as("and creates")
                .isInstanceOf(StageResult.Continue.class);
        StageResult broader = check(appToken(REQUESTS_NOTHING, "Application.ReadWrite.OwnedBy", "Application.ReadWrite.All"),
                new GraphRequest("PATCH", "/v1.0/applications/" + NOT_OWNED, null));
        assertThat(broader).isInstanceOf(StageResult.Continue.class);
        assertThat(((StageResult.Continue) broader).next().permission()).isEqualTo("Application.ReadWrite.All");

        refused(check(ownedBy, new GraphRequest("POST", "/v1.0/applications/" + OWNED + "/owners/$ref", null)),
                Cause.PERMISSION_NOT_REQUESTED); // adding an owner also needs Directory.Read.All, as Graph's table says

        PermissionChecks blind = new PermissionChecks(CATALOGUE, DirectoryFacts.unknown());
        StageResult unknown = blind.apply(Evaluation.of(new GraphRequest("PATCH", "/v1.0/applications/" + NOT_OWNED, null), NOW)
                .withToken(ownedBy));
        assertThat(unknown).as("a tenant Consentry cannot see: said, not decided").isInstanceOf(StageResult.Continue.class);
        assertThat(((StageResult.Continue) unknown).steps().get(3).outcome()).isEqualTo(dev.consentry.core.explain.Outcome.UNKNOWN);
    }

    @Test
    void anAppRollsItsOwnKeysWithoutAPermissionButNoOneElses() throws Exception {
        AppId owned = AppId.of("c1111111-0000-4000-8000-0000000000a1");
        StageResult own = check(verify(base(owned).appOnly()), new GraphRequest("POST", "/v1.0/applications(appId='" + owned
                + "')/addKey", null));
        assertThat(own).isInstanceOf(StageResult.Continue.class);
        assertThat(((StageResult.Continue) own).next().permission()).isEqualTo(PermissionChecks.OWN_KEYS);
        assertThat(check(verify(base(owned).appOnly()), new GraphRequest("POST", "/v1.0/applications/" + NOT_OWNED + "/removeKey",
                null))).isInstanceOf(StageResult.Stop.class);
        assertThat(check(verify(base(owned).appOnly()), new GraphRequest("PATCH", "/v1.0/applications/" + OWNED, null)))
                .as("only the key actions").isInstanceOf(StageResult.Stop.class);
    }
}
