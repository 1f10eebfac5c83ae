package dev.consentry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consentry.core.directory.AuthorizationPolicy;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.key.LocalAuthority;
import dev.consentry.core.key.SigningKeyRecord;
import dev.consentry.core.key.SigningKeyRecord.KeyStatus;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.AuthorizationCodeRecord;
import dev.consentry.core.session.DeviceCodeRecord;
import dev.consentry.core.session.DeviceCodeRecord.Status;
import dev.consentry.core.session.SignInSession;
import dev.consentry.core.workload.WorkloadItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Store} guarantees; each implementation's test extends this class. */
public abstract class StoreContract {
    protected Store store;

    /** A fresh, empty store. */
    protected abstract Store newStore();

    /** A fresh, empty store that keeps at most {@code traceCapacity} traces. */
    protected abstract Store newStore(int traceCapacity);

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** A context with every part set, none of them the default a migration writes: a dropped column shows. */
    static final AuthContext STEP_UP = new AuthContext(List.of("pwd", "mfa", "otp"), List.of("c1", "c25"),
            "8e0c3f2a-6b1d-4c7e-9a55-2f4d6e8b1c09", T0.minusMillis(90_123));

    static SigningKeyRecord key(String kid, Instant created) {
        return new SigningKeyRecord(kid, KeyStatus.PRIMARY, "cHJpdmF0ZQ==", "Y2VydA==", created);
    }

    // ---- tenants as a whole -----------------------------------------------------------------------

    @Test
    void replaceThenExportGivesTheSameValue() {
        TenantDirectory contoso = TestTenants.contoso();
        store.tenants().replace(contoso);
        assertThat(store.tenants().export(TestTenants.CONTOSO)).contains(contoso);
    }

    @Test
    void replaceIsIdempotentAndReallyReplaces() {
        store.tenants().replace(TestTenants.contoso());
        store.tenants().replace(TestTenants.contoso());
        TenantDirectory smaller = new TenantDirectory(TestTenants.CONTOSO, "Contoso renamed",
                List.of(VerifiedDomain.named("contoso.net")), null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        store.tenants().replace(smaller);

        assertThat(store.tenants().export(TestTenants.CONTOSO)).contains(smaller);
        assertThat(store.users().find(TestTenants.CONTOSO, TestTenants.ADELE)).isEmpty();
        assertThat(store.tenants().findByDomain("contoso.com")).isEmpty();
        assertThat(store.tenants().findByDomain("CONTOSO.NET")).map(t -> t.displayName()).contains("Contoso renamed");
        assertThat(store.servicePrincipals().findByName(TestTenants.CONTOSO, "api://orders")).isEmpty();
    }

    @Test
    void anAuthorizationPolicyUpdateChangesThePolicyAlone() {
        TenantDirectory contoso = TestTenants.contoso();
        store.tenants().replace(contoso);
        AuthorizationPolicy low = contoso.authorizationPolicy().withGrantPolicies(List.of(AuthorizationPolicy.USER_CONSENT_LOW));

        assertThat(store.tenants().updatePolicy(TestTenants.CONTOSO, low)).isTrue();

        assertThat(store.tenants().export(TestTenants.CONTOSO)).contains(contoso.withPolicy(low));
        assertThat(store.tenants().find(TestTenants.CONTOSO).orElseThrow().authorizationPolicy().userConsentPolicies())
                .containsExactly(AuthorizationPolicy.USER_CONSENT_LOW);
        assertThat(store.tenants().find(TestTenants.CONTOSO).orElseThrow().authorizationPolicy().additionalProperties())
                .containsEntry("guestUserRoleId", "10dae51f-b6af-4016-8d66-8c2a99b929b3");
        assertThat(store.tenants().updatePolicy(TestTenants.FABRIKAM, low)).isFalse();
        assertThat(store.tenants().find(TestTenants.FABRIKAM)).isEmpty();
    }

    @Test
    void aTenantReadBeforeAWriteIsNotAnsweredAfterIt() {
        TenantDirectory contoso = TestTenants.contoso();
        store.tenants().replace(contoso);
        assertThat(store.tenants().find(TestTenants.CONTOSO)).isPresent();
        AuthorizationPolicy low = contoso.authorizationPolicy().withGrantPolicies(List.of(AuthorizationPolicy.USER_CONSENT_LOW));

        store.tenants().updatePolicy(TestTenants.CONTOSO, low);
        assertThat(store.tenants().find(TestTenants.CONTOSO).orElseThrow().authorizationPolicy().userConsentPolicies())
                .as("the policy written after the read").containsExactly(AuthorizationPolicy.USER_CONSENT_LOW);

        store.tenants().replace(new TenantDirectory(TestTenants.CONTOSO, "Contoso renamed",
                List.of(VerifiedDomain.named("contoso.net")), null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null));
        assertThat(store.tenants().find(TestTenants.CONTOSO)).map(t -> t.displayName()).contains("Contoso renamed");

        assertThat(store.tenants().delete(TestTenants.CONTOSO)).isTrue();
        assertThat(store.tenants().find(TestTenants.CONTOSO)).isEmpty();
    }

    @Test
    void aFailedReplaceLeavesThePreviousTenantIntact() {
        store.tenants().replace(TestTenants.contoso());
        store.tenants().replace(TestTenants.fabrikamWithSameIds());
        TenantDirectory clash = new TenantDirectory(TestTenants.CONTOSO, "Clash",
                List.of(VerifiedDomain.named("fabrikam.com")), null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> store.tenants().replace(clash)).hasMessageContaining("fabrikam.com");
        assertThat(store.tenants().export(TestTenants.CONTOSO)).contains(TestTenants.contoso());
    }

    @Test
    void duplicateObjectIdsInOneTenantAreRefusedWhole() {
        TenantDirectory c = TestTenants.contoso();
        List<User> twice = new ArrayList<>(c.users());
        twice.add(c.users().get(0));
        TenantDirectory bad = DirectoryKind.USER.with().apply(c, twice);
        assertThatThrownBy(() -> store.tenants().replace(bad)).isInstanceOf(RuntimeException.class);
        assertThat(store.tenants().find(TestTenants.CONTOSO)).isEmpty();
    }

    @Test
    void tenantsAreIsolatedEvenWithTheSameObjectIds() {
        store.tenants().replace(TestTenants.contoso());
        store.tenants().replace(TestTenants.fabrikamWithSameIds());

        assertThat(store.users().find(TestTenants.CONTOSO, TestTenants.ADELE).map(User::displayName)).contains("Adele Vance");
        assertThat(store.users().find(TestTenants.FABRIKAM, TestTenants.ADELE).map(User::displayName)).contains("Other Adele");
        assertThat(store.tenants().list()).extracting(t -> t.id()).containsExactly(TestTenants.CONTOSO, TestTenants.FABRIKAM);
        assertThat(store.tenants().delete(TestTenants.FABRIKAM)).isTrue();
        assertThat(store.tenants().delete(TestTenants.FABRIKAM)).isFalse();
        assertThat(store.users().find(TestTenants.FABRIKAM, TestTenants.ADELE)).isEmpty();
        assertThat(store.users().find(TestTenants.CONTOSO, TestTenants.ADELE)).isPresent();
    }

    // ---- finders -----------------------------------------------------------------------------------

    @Test
    void findersAreCaseInsensitiveWhereEntrasAre() {
        store.tenants().replace(TestTenants.contoso());
        TenantId t = TestTenants.CONTOSO;

        assertThat(store.tenants().findByDomain("CONTOSO.com")).isPresent();
        assertThat(store.users().findByUserPrincipalName(t, "ADELE@CONTOSO.COM").map(User::id)).contains(TestTenants.ADELE);
        assertThat(store.applications().findByAppId(t, TestTenants.APP_ID).map(a -> a.id())).contains(TestTenants.APP);
        assertThat(store.servicePrincipals().findByAppId(t, TestTenants.API_ID).map(s -> s.id())).contains(TestTenants.API_SP);
        assertThat(store.servicePrincipals().findByName(t, "API://Orders").map(s -> s.id())).contains(TestTenants.API_SP);
        assertThat(store.servicePrincipals().findByName(t, "https://orders.contoso.com/").map(s -> s.id())).contains(TestTenants.API_SP);
        assertThat(store.servicePrincipals().findByName(t, "api://other")).isEmpty();
    }

    @Test
    void findByAppIdInAnyTenantNamesTheHomeTenant() {
        store.tenants().replace(TestTenants.contoso());
        store.tenants().replace(TestTenants.fabrikamWithSameIds());
        var homed = store.applications().findByAppIdInAnyTenant(TestTenants.APP_ID).orElseThrow();
        assertThat(homed.tenant()).isEqualTo(TestTenants.CONTOSO);
        assertThat(store.applications().findByAppIdInAnyTenant(AppId.random())).isEmpty();
    }

    @Test
    void aTenantsPoliciesListedAgainShowEveryWriteSinceAndNoOtherTenantsPolicies() {
        store.tenants().replace(TestTenants.contoso());
        store.tenants().replace(TestTenants.fabrikamWithSameIds());
        TenantId t = TestTenants.CONTOSO;
        ConditionalAccessPolicy first = store.conditionalAccessPolicies().list(t).get(0);
        assertThat(store.conditionalAccessPolicies().list(TestTenants.FABRIKAM)).isEmpty();
        ConditionalAccessPolicy second = new ConditionalAccessPolicy("zz-second", "Second", "disabled", first.conditions(),
                first.grantControls(), first.sessionControls(), null);
        store.conditionalAccessPolicies().save(t, second);
        assertThat(store.conditionalAccessPolicies().list(t)).containsExactly(first, second);
        ConditionalAccessPolicy changed = new ConditionalAccessPolicy("zz-second", "Second", "enabled", first.conditions(),
                first.grantControls(), first.sessionControls(), null);
        store.conditionalAccessPolicies().save(t, changed);
        assertThat(store.conditionalAccessPolicies().list(t)).containsExactly(first, changed);
        store.conditionalAccessPolicies().delete(t, first.id());
        assertThat(store.conditionalAccessPolicies().list(t)).containsExactly(changed);
        store.tenants().replace(TestTenants.contoso());
        assertThat(store.conditionalAccessPolicies().list(t)).containsExactly(first);
        assertThat(store.conditionalAccessPolicies().list(TestTenants.FABRIKAM)).isEmpty();
    }

    @Test
    void relationshipFinders() {
        store.tenants().replace(TestTenants.contoso());
        TenantId t = TestTenants.CONTOSO;
        assertThat(store.groups().listByMember(t, TestTenants.ALEX)).extracting(Group::id).containsExactly(TestTenants.GROUP);
        assertThat(store.appRoleAssignments().listByPrincipal(t, TestTenants.APP_SP)).hasSize(1)
                .allSatisfy(a -> assertThat(a.appRoleId()).isEqualTo(TestTenants.ROLE));
        assertThat(store.permissionGrants().listByClient(t, TestTenants.APP_SP)).hasSize(1);
        assertThat(store.roleAssignments().listByPrincipal(t, TestTenants.ADELE)).hasSize(1);
        assertThat(store.subscribedSkus().find(t, TestTenants.SKU)).isPresent();
        assertThat(store.conditionalAccessPolicies().list(t)).hasSize(1);
        assertThat(store.devices().findByDeviceId(t, "D1D1D1D1-0000-4000-8000-000000000001")).as("by device id, any case")
                .hasValueSatisfying(d -> assertThat(d.displayName()).isEqualTo("Adele's laptop"));
        assertThat(store.devices().findByDeviceId(TestTenants.FABRIKAM, "d1d1d1d1-0000-4000-8000-000000000001")).isEmpty();
        assertThat(store.namedLocations().find(t, "LOC-1")).hasValueSatisfying(l -> assertThat(l.trusted()).isTrue());
        assertThat(store.authenticationContexts().list(t)).extracting(c -> c.id()).containsExactly("c1");
    }

    @Test
    void racingSavesOfOneObjectAllSucceedAndOneOfThemIsKept() throws Exception {
        store.tenants().replace(TestTenants.contoso());
        TenantId t = TestTenants.CONTOSO;
        User adele = store.users().find(t, TestTenants.ADELE).orElseThrow();
        int before = store.users().list(t).size();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> saves = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String name = "Adele " + i;
                saves.add(pool.submit(() -> {
                    go.await();
                    store.users().save(t, new User(adele.id(), adele.userPrincipalName(), name, adele.mail(), adele.userType(),
                            adele.accountEnabled(), adele.passwordProfile(), adele.lastPasswordChangeDateTime(),
                            adele.assignedLicenses(), adele.additionalProperties()));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : saves) {
                f.get(30, TimeUnit.SECONDS); // a save that failed would throw here
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.users().find(t, TestTenants.ADELE).orElseThrow().displayName()).startsWith("Adele ");
        assertThat(store.users().list(t)).as("still one Adele").hasSize(before);
        assertThat(store.users().findByUserPrincipalName(t, "adele@contoso.com")).isPresent();
    }

    @Test
    void aUsersAuthenticatorAppsAreFoundByTheUserAndKeepTheirSecret() {
        store.tenants().replace(TestTenants.contoso());
        TenantId t = TestTenants.CONTOSO;
        assertThat(store.softwareOathMethods().listByUser(t, TestTenants.ADELE)).extracting(SoftwareOathMethod::secretKey)
                .containsExactly("JBSWY3DPEHPK3PXP");
        assertThat(store.softwareOathMethods().listByUser(t, TestTenants.ALEX)).isEmpty();
        SoftwareOathMethod second = new SoftwareOathMethod("OATH-2", TestTenants.ALEX, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", T0);
        store.softwareOathMethods().save(t, second);
        assertThat(store.softwareOathMethods().listByUser(t, TestTenants.ALEX)).containsExactly(second);
        assertThat(store.softwareOathMethods().find(t, "oath-2")).as("ids compare case-insensitively").contains(second);
        assertThat(store.tenants().export(t).orElseThrow().softwareOathMethods()).hasSize(2);
        assertThat(store.softwareOathMethods().delete(t, "oath-2")).isTrue();
        assertThat(store.softwareOathMethods().listByUser(t, TestTenants.ALEX)).isEmpty();
        assertThat(store.softwareOathMethods().listByUser(TestTenants.FABRIKAM, TestTenants.ADELE)).isEmpty();
    }

    @Test
    void saveAndDeleteSingleObjects() {
        store.tenants().replace(TestTenants.contoso());
        TenantId t = TestTenants.CONTOSO;
        User renamed = new User(TestTenants.ALEX, "alex.w@contoso.com", "Alex W", null, null, true, null, null, null, null);
        store.users().save(t, renamed);
        assertThat(store.users().find(t, TestTenants.ALEX)).contains(renamed);
        assertThat(store.users().findByUserPrincipalName(t, "alex@contoso.com")).isEmpty();
        assertThat(store.users().list(t)).hasSize(2);

        Group g = store.groups().find(t, TestTenants.GROUP).orElseThrow();
        store.groups().save(t, new Group(g.id(), g.displayName(), true, false, List.of(), List.of(TestTenants.ADELE), null));
        assertThat(store.groups().listByMember(t, TestTenants.ALEX)).isEmpty();

        assertThat(store.users().delete(t, TestTenants.ALEX)).isTrue();
        assertThat(store.users().delete(t, TestTenants.ALEX)).isFalse();
        assertThat(store.servicePrincipals().delete(t, TestTenants.API_SP)).isTrue();
        assertThat(store.servicePrincipals().findByName(t, "api://orders")).isEmpty();
        assertThatThrownBy(() -> store.users().save(TenantId.random(), renamed)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void exportKeepsOrderAfterSave() {
        store.tenants().replace(TestTenants.contoso());
        User first = TestTenants.contoso().users().get(0);
        store.users().save(TestTenants.CONTOSO, first);
        assertThat(store.tenants().export(TestTenants.CONTOSO).orElseThrow().users()).isEqualTo(TestTenants.contoso().users());
    }

    // ---- signing keys ----------------------------------------------------------------------------

    @Test
    void firstKeyIsCreatedOnce() {
        SigningKeyRecord a = store.signingKeys().initializeIfEmpty(key("a", T0));
        SigningKeyRecord b = store.signingKeys().initializeIfEmpty(key("b", T0.plusSeconds(1)));
        assertThat(a.kid()).isEqualTo("a");
        assertThat(b.kid()).isEqualTo("a");
        assertThat(store.signingKeys().list()).hasSize(1);
    }

    @Test
    void rotationKeepsOnePrimaryAndRetiresBeyondTheKeptPrevious() {
        store.signingKeys().initializeIfEmpty(key("k1", T0));
        store.signingKeys().rotate(key("k2", T0.plusSeconds(10)), 2);
        store.signingKeys().rotate(key("k3", T0.plusSeconds(20)), 2);
        store.signingKeys().rotate(key("k4", T0.plusSeconds(30)), 2);

        assertThat(store.signingKeys().primary().map(SigningKeyRecord::kid)).contains("k4");
        assertThat(store.signingKeys().list()).extracting(SigningKeyRecord::kid, SigningKeyRecord::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("k4", KeyStatus.PRIMARY),
                org.assertj.core.groups.Tuple.tuple("k3", KeyStatus.PREVIOUS),
                org.assertj.core.groups.Tuple.tuple("k2", KeyStatus.PREVIOUS),
                org.assertj.core.groups.Tuple.tuple("k1", KeyStatus.RETIRED));
    }

    @Test
    void concurrentFirstStartsAgreeOnOneKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<SigningKeyRecord>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String kid = "kid-" + i;
                Callable<SigningKeyRecord> c = () -> store.signingKeys().initializeIfEmpty(key(kid, T0));
                results.add(pool.submit(c));
            }
            String winner = results.get(0).get().kid();
            for (Future<SigningKeyRecord> f : results) {
                assertThat(f.get().kid()).isEqualTo(winner);
            }
            assertThat(store.signingKeys().list()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- CA and replay ---------------------------------------------------------------------------

    @Test
    void localAuthorityIsStoredOnce() {
        assertThat(store.localAuthority().load()).isEmpty();
        LocalAuthority first = new LocalAuthority("CERT-1", "KEY-1", T0);
        assertThat(store.localAuthority().initializeIfEmpty(first)).isEqualTo(first);
        assertThat(store.localAuthority().initializeIfEmpty(new LocalAuthority("CERT-2", "KEY-2", T0))).isEqualTo(first);
        assertThat(store.localAuthority().load()).contains(first);
        LocalAuthority renewed = new LocalAuthority("CERT-3", "KEY-3", T0.plusSeconds(60));
        store.localAuthority().replace(renewed);
        assertThat(store.localAuthority().load()).as("replaced on request").contains(renewed);
        assertThat(store.localAuthority().initializeIfEmpty(first)).isEqualTo(renewed);
    }

    @Test
    void assertionIsUsableOnceUntilItExpires() {
        Instant exp = T0.plusSeconds(600);
        assertThat(store.assertionReplay().firstUse("client|jti-1", exp, T0)).isTrue();
        assertThat(store.assertionReplay().firstUse("client|jti-1", exp, T0.plusSeconds(599))).isFalse();
        assertThat(store.assertionReplay().firstUse("client|jti-2", exp, T0)).isTrue();
        assertThat(store.assertionReplay().firstUse("client|jti-1", exp.plusSeconds(600), exp)).as("expired exactly now").isTrue();
    }

    @Test
    void tenFailuresLockForTheDurationAndTheFirstFailureAfterItLocksAgain() {
        LockoutStore l = store.lockouts();
        Duration minute = Duration.ofSeconds(60);
        for (int i = 1; i < 10; i++) {
            assertThat(l.failed("mfa|u1", 10, minute, T0.plusSeconds(i))).as("failure %d", i).isEmpty();
        }
        assertThat(l.lockedUntil("mfa|u1", T0.plusSeconds(9))).isEmpty();
        assertThat(l.failed("mfa|u1", 10, minute, T0.plusSeconds(10))).contains(T0.plusSeconds(70));
        assertThat(l.lockedUntil("mfa|u1", T0.plusSeconds(69))).contains(T0.plusSeconds(70));
        assertThat(l.failed("mfa|u1", 10, minute, T0.plusSeconds(20))).as("no longer while locked").contains(T0.plusSeconds(70));
        l.succeeded("mfa|u1", T0.plusSeconds(30));
        assertThat(l.lockedUntil("mfa|u1", T0.plusSeconds(30))).as("a success does not lift a lock").isPresent();
        assertThat(l.lockedUntil("mfa|u1", T0.plusSeconds(70))).as("over exactly then").isEmpty();
        assertThat(l.lockedUntil("mfa|u2", T0)).as("keys apart").isEmpty();

        assertThat(l.failed("mfa|u1", 10, minute, T0.plusSeconds(80))).as("first failure after the lock: twice as long")
                .contains(T0.plusSeconds(200));
        assertThat(l.failed("mfa|u1", 10, minute, T0.plusSeconds(200))).as("and again: four times")
                .contains(T0.plusSeconds(440));
        l.succeeded("mfa|u1", T0.plusSeconds(440));
        assertThat(l.failed("mfa|u1", 10, minute, T0.plusSeconds(441))).as("a success starts the count again").isEmpty();
        for (int i = 2; i < 10; i++) {
            assertThat(l.failed("mfa|u1", 10, minute, T0.plusSeconds(441 + i))).isEmpty();
        }
        assertThat(l.failed("mfa|u1", 10, minute, T0.plusSeconds(460))).as("and the lock its first length again")
                .contains(T0.plusSeconds(520));
        assertThat(LockoutStore.lockDuration(minute, 9)).as("at most 32 times").isEqualTo(Duration.ofMinutes(32));
    }

    @Test
    void racingFailuresAreAllCountedAndLockOnce() throws Exception {
        LockoutStore l = store.lockouts();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<Instant>>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(pool.submit(() -> l.failed("mfa|race", 10, Duration.ofSeconds(60), T0)));
            }
            long locking = 0;
            for (Future<Optional<Instant>> a : answers) {
                locking += a.get().isPresent() ? 1 : 0;
            }
            assertThat(locking).as("only the tenth failure locks").isEqualTo(1);
            assertThat(l.lockedUntil("mfa|race", T0)).contains(T0.plusSeconds(60));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- refresh tokens ----------------------------------------------------------------------------

    static dev.consentry.core.session.RefreshTokenRecord token(String hash, String family, Instant at) {
        return new dev.consentry.core.session.RefreshTokenRecord(hash, family, TestTenants.CONTOSO, TestTenants.APP_ID,
                TestTenants.ADELE, AuthContext.password(at), "User.Read offline_access", at, at, null, null);
    }

    @Test
    void aRefreshTokenKeepsItsFamilysSignInThroughRotationAndRevocation() {
        var tokens = store.refreshTokens();
        var first = new dev.consentry.core.session.RefreshTokenRecord("h1", "f1", TestTenants.CONTOSO, TestTenants.APP_ID,
                TestTenants.ADELE, STEP_UP, "User.Read offline_access", T0, T0, null, null);
        tokens.save(first);
        assertThat(tokens.find("h1")).contains(first);

        var next = new dev.consentry.core.session.RefreshTokenRecord("h2", "f1", TestTenants.CONTOSO, TestTenants.APP_ID,
                TestTenants.ADELE, STEP_UP, "User.Read offline_access", T0.plusSeconds(60), T0.plusSeconds(60), null, null);
        assertThat(tokens.rotate("h1", next, T0.plusSeconds(60))).isTrue();
        tokens.revokeFamily("f1", T0.plusSeconds(90));
        for (String hash : List.of("h1", "h2")) {
            AuthContext kept = tokens.find(hash).orElseThrow().auth();
            assertThat(kept.amr()).as(hash).containsExactly("pwd", "mfa", "otp");
            assertThat(kept.acrs()).as(hash).containsExactly("c1", "c25");
            assertThat(kept.deviceId()).as(hash).isEqualTo("8e0c3f2a-6b1d-4c7e-9a55-2f4d6e8b1c09");
            assertThat(kept.authTime()).as(hash).isEqualTo(T0.minusMillis(90_123));
        }
    }

    @Test
    void refreshTokensRotateOnceAndRevokeByFamilyAndUser() {
        var tokens = store.refreshTokens();
        tokens.save(token("h1", "f1", T0));
        tokens.save(token("x1", "f2", T0));
        assertThat(tokens.find("h1")).contains(token("h1", "f1", T0));

        assertThat(tokens.rotate("h1", token("h2", "f1", T0.plusSeconds(60)), T0.plusSeconds(60))).isTrue();
        assertThat(tokens.rotate("h1", token("h3", "f1", T0.plusSeconds(61)), T0.plusSeconds(61))).as("second redemption").isFalse();
        assertThat(tokens.find("h3")).isEmpty();
        assertThat(tokens.find("h1").orElseThrow().replacedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(tokens.find("h2").orElseThrow().replacedAt()).isNull();

        tokens.revokeFamily("f1", T0.plusSeconds(90));
        assertThat(tokens.find("h2").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(tokens.find("x1").orElseThrow().revokedAt()).isNull();
        assertThat(tokens.rotate("h2", token("h4", "f1", T0.plusSeconds(100)), T0.plusSeconds(100))).as("revoked").isFalse();

        tokens.revokeUser(TestTenants.CONTOSO, TestTenants.ADELE, T0.plusSeconds(120));
        assertThat(tokens.find("x1").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(tokens.find("h2").orElseThrow().revokedAt()).as("first revocation kept").isEqualTo(T0.plusSeconds(90));
        assertThat(tokens.find("nope")).isEmpty();
    }

    /** Runs {@code n} calls at once, released together, and returns their answers in call order. */
    static <T> List<T> race(int n, IntFunction<Callable<T>> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<T> c = call.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return c.call();
                }));
            }
            start.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- authorization codes -------------------------------------------------------------------------

    static AuthorizationCodeRecord code(String hash, Instant expiresAt) {
        return new AuthorizationCodeRecord(hash, TestTenants.CONTOSO, TestTenants.APP_ID, TestTenants.ADELE,
                "https://app.contoso.com/signin-oidc", "openid profile offline_access User.Read",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", "n-0S6_WzA2Mj", STEP_UP, T0, expiresAt,
                null, null);
    }

    static AuthorizationCodeRecord redeemed(AuthorizationCodeRecord c, Instant at, String family) {
        return new AuthorizationCodeRecord(c.hash(), c.tenant(), c.clientId(), c.userId(), c.redirectUri(), c.scope(),
                c.codeChallenge(), c.codeChallengeMethod(), c.nonce(), c.auth(), c.issuedAt(), c.expiresAt(), at, family);
    }

    @Test
    void anAuthorizationCodeIsRedeemedOnce() {
        var codes = store.authorizationCodes();
        AuthorizationCodeRecord code = code("c1", T0.plusSeconds(600));
        codes.save(code);

        assertThat(codes.redeem("c1", T0.plusSeconds(10))).as("first redemption: the code as issued").contains(code);
        assertThat(codes.redeem("c1", T0.plusSeconds(20))).as("second redemption sees the first")
                .contains(redeemed(code, T0.plusSeconds(10), null));
        assertThat(codes.redeem("c1", T0.plusSeconds(30)).orElseThrow().redeemedAt()).as("first time kept")
                .isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void anAuthorizationCodeKeepsWhatItsSignInProved() {
        store.authorizationCodes().save(code("c1", T0.plusSeconds(600)));
        AuthContext kept = store.authorizationCodes().redeem("c1", T0.plusSeconds(10)).orElseThrow().auth();
        assertThat(kept.amr()).containsExactly("pwd", "mfa", "otp");
        assertThat(kept.acrs()).containsExactly("c1", "c25");
        assertThat(kept.deviceId()).isEqualTo("8e0c3f2a-6b1d-4c7e-9a55-2f4d6e8b1c09");
        assertThat(kept.authTime()).isEqualTo(T0.minusMillis(90_123));
    }

    @Test
    void anAuthorizationCodeWithoutOptionalPartsRoundTrips() {
        var codes = store.authorizationCodes();
        AuthorizationCodeRecord plain = new AuthorizationCodeRecord("c2", TestTenants.FABRIKAM, TestTenants.API_ID,
                TestTenants.ALEX, "http://localhost:8400/", "openid", null, null, null, AuthContext.password(T0), T0,
                T0.plusSeconds(60), null, null);
        codes.save(plain);
        assertThat(codes.redeem("c2", T0.plusSeconds(1))).contains(plain);
    }

    @Test
    void redeemingAnUnknownAuthorizationCodeIsEmpty() {
        store.authorizationCodes().save(code("c1", T0.plusSeconds(600)));
        assertThat(store.authorizationCodes().redeem("nope", T0)).isEmpty();
        store.authorizationCodes().linkRefreshFamily("nope", "f1");
        assertThat(store.authorizationCodes().redeem("nope", T0)).isEmpty();
    }

    @Test
    void theLinkedRefreshFamilyIsSeenByALaterRedemption() {
        var codes = store.authorizationCodes();
        AuthorizationCodeRecord code = code("c1", T0.plusSeconds(600));
        codes.save(code);
        codes.redeem("c1", T0.plusSeconds(10));
        codes.linkRefreshFamily("c1", "family-1");

        assertThat(codes.redeem("c1", T0.plusSeconds(20))).contains(redeemed(code, T0.plusSeconds(10), "family-1"));
    }

    @Test
    void expiredAuthorizationCodesAreDeletedStrictlyBeforeTheLimit() {
        var codes = store.authorizationCodes();
        Instant limit = T0.plusSeconds(600);
        codes.save(code("before", limit.minusMillis(1)));
        codes.save(code("at", limit));
        codes.save(code("after", limit.plusSeconds(1)));

        assertThat(codes.deleteExpired(limit)).isEqualTo(1);
        assertThat(codes.redeem("before", limit)).isEmpty();
        assertThat(codes.redeem("at", limit)).as("expiring exactly at the limit is kept").isPresent();
        assertThat(codes.redeem("after", limit)).isPresent();
        assertThat(codes.deleteExpired(limit)).isZero();
        assertThat(codes.deleteExpired(limit.plusSeconds(2))).isEqualTo(2);
    }

    @Test
    void concurrentRedemptionsOfOneAuthorizationCodeHaveOneWinner() throws Exception {
        store.authorizationCodes().save(code("c1", T0.plusSeconds(600)));
        List<Optional<AuthorizationCodeRecord>> answers = race(8,
                i -> () -> store.authorizationCodes().redeem("c1", T0.plusSeconds(10 + i)));

        assertThat(answers).allSatisfy(a -> assertThat(a).isPresent());
        List<Instant> seen = answers.stream().map(a -> a.orElseThrow().redeemedAt()).toList();
        assertThat(seen.stream().filter(at -> at == null)).as("winners").hasSize(1);
        int winner = seen.indexOf(null);
        assertThat(seen.stream().filter(at -> at != null)).as("losers see the winner's time")
                .containsOnly(T0.plusSeconds(10 + winner));
    }

    // ---- sign-in sessions ----------------------------------------------------------------------------

    static SignInSession session(String browser, TenantId tenant, ObjectId user, Instant lastSeen) {
        return new SignInSession(browser, tenant, user, AuthContext.password(lastSeen.minusSeconds(5)), lastSeen);
    }

    @Test
    void aSignInSessionKeepsWhatItsSignInProvedAndASaveReplacesIt() {
        var sessions = store.signInSessions();
        sessions.save(new SignInSession("b1", TestTenants.CONTOSO, TestTenants.ADELE, STEP_UP, T0));
        AuthContext kept = sessions.list("b1").get(0).auth();
        assertThat(kept.amr()).containsExactly("pwd", "mfa", "otp");
        assertThat(kept.acrs()).containsExactly("c1", "c25");
        assertThat(kept.deviceId()).isEqualTo("8e0c3f2a-6b1d-4c7e-9a55-2f4d6e8b1c09");
        assertThat(kept.authTime()).isEqualTo(T0.minusMillis(90_123));

        AuthContext passwordOnly = AuthContext.password(T0.plusSeconds(50));
        sessions.save(new SignInSession("b1", TestTenants.CONTOSO, TestTenants.ADELE, passwordOnly, T0.plusSeconds(60)));
        assertThat(sessions.list("b1")).singleElement().extracting(SignInSession::auth).as("every part replaced")
                .isEqualTo(passwordOnly);
    }

    @Test
    void savingASignInSessionAgainReplacesIt() {
        var sessions = store.signInSessions();
        sessions.save(session("b1", TestTenants.CONTOSO, TestTenants.ADELE, T0));
        SignInSession later = new SignInSession("b1", TestTenants.CONTOSO, TestTenants.ADELE, STEP_UP, T0.plusSeconds(60));
        sessions.save(later);

        assertThat(sessions.list("b1")).containsExactly(later);
        assertThat(sessions.list("b2")).isEmpty();
    }

    @Test
    void signInSessionsAreListedMostRecentlySeenFirst() {
        var sessions = store.signInSessions();
        SignInSession adele = session("b1", TestTenants.CONTOSO, TestTenants.ADELE, T0.plusSeconds(10));
        SignInSession alex = session("b1", TestTenants.CONTOSO, TestTenants.ALEX, T0.plusSeconds(30));
        SignInSession otherAdele = session("b1", TestTenants.FABRIKAM, TestTenants.ADELE, T0.plusSeconds(20));
        sessions.save(adele);
        sessions.save(alex);
        sessions.save(otherAdele);
        sessions.save(session("b2", TestTenants.CONTOSO, TestTenants.ADELE, T0.plusSeconds(99)));
        List<SignInSession> before = sessions.list("b1");
        assertThat(before).containsExactly(alex, otherAdele, adele);

        SignInSession adeleAgain = session("b1", TestTenants.CONTOSO, TestTenants.ADELE, T0.plusSeconds(40));
        sessions.save(adeleAgain);
        assertThat(sessions.list("b1")).containsExactly(adeleAgain, alex, otherAdele);
        assertThat(before).as("an earlier answer is a snapshot").containsExactly(alex, otherAdele, adele);
    }

    @Test
    void removingABrowserSignsOutOnlyItsAccounts() {
        var sessions = store.signInSessions();
        sessions.save(session("b1", TestTenants.CONTOSO, TestTenants.ADELE, T0));
        sessions.save(session("b1", TestTenants.CONTOSO, TestTenants.ALEX, T0));
        SignInSession other = session("b2", TestTenants.CONTOSO, TestTenants.ADELE, T0);
        sessions.save(other);

        sessions.removeBrowser("b1");
        sessions.removeBrowser("unknown");
        assertThat(sessions.list("b1")).isEmpty();
        assertThat(sessions.list("b2")).containsExactly(other);
    }

    @Test
    void removingAUserEndsItsSessionsInEveryBrowserAndNoOneElses() {
        var sessions = store.signInSessions();
        sessions.save(session("b1", TestTenants.CONTOSO, TestTenants.ADELE, T0.plusSeconds(2)));
        SignInSession alex = session("b1", TestTenants.CONTOSO, TestTenants.ALEX, T0.plusSeconds(1));
        sessions.save(alex);
        sessions.save(session("b2", TestTenants.CONTOSO, TestTenants.ADELE, T0));
        SignInSession sameIdOtherTenant = session("b2", TestTenants.FABRIKAM, TestTenants.ADELE, T0);
        sessions.save(sameIdOtherTenant);
        sessions.save(session("b3", TestTenants.CONTOSO, TestTenants.ADELE, T0));

        sessions.removeUser(TestTenants.CONTOSO, TestTenants.ADELE);
        assertThat(sessions.list("b1")).containsExactly(alex);
        assertThat(sessions.list("b2")).containsExactly(sameIdOtherTenant);
        assertThat(sessions.list("b3")).isEmpty();
        sessions.removeUser(TestTenants.CONTOSO, ObjectId.random());
        assertThat(sessions.list("b1")).containsExactly(alex);
    }

    // ---- device codes --------------------------------------------------------------------------------

    static DeviceCodeRecord device(String hash, String userCode, Instant expiresAt) {
        return new DeviceCodeRecord(hash, userCode, "common", TestTenants.APP_ID, "User.Read offline_access", T0, expiresAt,
                5, null, Status.PENDING, null, null, null);
    }

    static DeviceCodeRecord with(DeviceCodeRecord r, Status status, int interval, Instant lastPolledAt, TenantId tenant,
                                 ObjectId user, AuthContext auth) {
        return new DeviceCodeRecord(r.deviceHash(), r.userCode(), r.tenantPath(), r.clientId(), r.scope(), r.issuedAt(),
                r.expiresAt(), interval, lastPolledAt, status, tenant, user, auth);
    }

    @Test
    void anApprovedDeviceAuthorizationKeepsWhatTheSignInProved() {
        var devices = store.deviceCodes();
        devices.save(device("d1", "ABCD-EFGH", T0.plusSeconds(900)));
        assertThat(devices.findByUserCode("ABCD-EFGH").orElseThrow().auth()).as("nothing proved while pending").isNull();
        assertThat(devices.approve("ABCD-EFGH", TestTenants.CONTOSO, TestTenants.ADELE, STEP_UP)).isTrue();

        AuthContext kept = devices.poll("d1", T0.plusSeconds(30), false).orElseThrow().auth();
        assertThat(kept.amr()).containsExactly("pwd", "mfa", "otp");
        assertThat(kept.acrs()).containsExactly("c1", "c25");
        assertThat(kept.deviceId()).isEqualTo("8e0c3f2a-6b1d-4c7e-9a55-2f4d6e8b1c09");
        assertThat(kept.authTime()).isEqualTo(T0.minusMillis(90_123));
        assertThat(devices.redeem("d1")).isTrue();
        assertThat(devices.findByUserCode("ABCD-EFGH").orElseThrow().auth()).as("kept once redeemed").isEqualTo(STEP_UP);
    }

    @Test
    void aDeviceAuthorizationIsFoundByItsExactUserCode() {
        var devices = store.deviceCodes();
        DeviceCodeRecord d = device("d1", "ABCD-EFGH", T0.plusSeconds(900));
        devices.save(d);

        assertThat(devices.findByUserCode("ABCD-EFGH")).contains(d);
        assertThat(devices.findByUserCode("abcd-efgh")).isEmpty();
        assertThat(devices.findByUserCode("ABCD-EFGX")).isEmpty();
    }

    @Test
    void aUserCodeInUseIsRefusedUntilItsAuthorizationExpires() {
        var devices = store.deviceCodes();
        DeviceCodeRecord first = device("d1", "ABCD-EFGH", T0.plusSeconds(900));
        devices.save(first);

        DeviceCodeRecord clash = device("d2", "ABCD-EFGH", T0.plusSeconds(900));
        assertThatThrownBy(() -> devices.save(clash)).isInstanceOf(IllegalArgumentException.class);
        assertThat(devices.findByUserCode("ABCD-EFGH")).contains(first);
        assertThat(devices.poll("d2", T0, false)).isEmpty();

        DeviceCodeRecord reuse = new DeviceCodeRecord("d3", "ABCD-EFGH", "organizations", TestTenants.APP_ID, "openid",
                first.expiresAt(), first.expiresAt().plusSeconds(900), 5, null, Status.PENDING, null, null, null);
        devices.save(reuse);
        assertThat(devices.findByUserCode("ABCD-EFGH")).contains(reuse);
        assertThat(devices.poll("d1", T0, false)).as("the expired holder is gone").isEmpty();
    }

    @Test
    void pollingRecordsTheTimeAndSlowsDown() {
        var devices = store.deviceCodes();
        DeviceCodeRecord d = device("d1", "ABCD-EFGH", T0.plusSeconds(900));
        devices.save(d);

        assertThat(devices.poll("d1", T0.plusSeconds(5), false)).as("before the first poll").contains(d);
        assertThat(devices.poll("d1", T0.plusSeconds(10), true))
                .contains(with(d, Status.PENDING, 5, T0.plusSeconds(5), null, null, null));
        assertThat(devices.poll("d1", T0.plusSeconds(20), false))
                .contains(with(d, Status.PENDING, 10, T0.plusSeconds(10), null, null, null));
        assertThat(devices.findByUserCode("ABCD-EFGH"))
                .contains(with(d, Status.PENDING, 10, T0.plusSeconds(20), null, null, null));
        assertThat(devices.poll("unknown", T0, true)).isEmpty();
    }

    @Test
    void anApprovedDeviceAuthorizationIsRedeemedOnce() {
        var devices = store.deviceCodes();
        DeviceCodeRecord d = device("d1", "ABCD-EFGH", T0.plusSeconds(900));
        devices.save(d);
        assertThat(devices.redeem("d1")).as("redeem while pending").isFalse();

        AuthContext signIn = AuthContext.password(T0.plusSeconds(30));
        assertThat(devices.approve("ABCD-EFGH", TestTenants.CONTOSO, TestTenants.ADELE, signIn)).isTrue();
        DeviceCodeRecord approved = with(d, Status.APPROVED, 5, null, TestTenants.CONTOSO, TestTenants.ADELE, signIn);
        assertThat(devices.findByUserCode("ABCD-EFGH")).contains(approved);
        assertThat(devices.approve("ABCD-EFGH", TestTenants.CONTOSO, TestTenants.ALEX, AuthContext.password(T0)))
                .as("approve twice").isFalse();
        assertThat(devices.decline("ABCD-EFGH")).as("decline after approve").isFalse();
        assertThat(devices.findByUserCode("ABCD-EFGH")).contains(approved);

        assertThat(devices.redeem("d1")).isTrue();
        assertThat(devices.redeem("d1")).as("redeem twice").isFalse();
        assertThat(devices.approve("ABCD-EFGH", TestTenants.CONTOSO, TestTenants.ALEX, AuthContext.password(T0))).isFalse();
        assertThat(devices.decline("ABCD-EFGH")).isFalse();
        assertThat(devices.poll("d1", T0.plusSeconds(60), false))
                .contains(with(d, Status.REDEEMED, 5, null, TestTenants.CONTOSO, TestTenants.ADELE, signIn));
    }

    @Test
    void aDeclinedDeviceAuthorizationStaysDeclined() {
        var devices = store.deviceCodes();
        DeviceCodeRecord d = device("d1", "ABCD-EFGH", T0.plusSeconds(900));
        devices.save(d);

        assertThat(devices.decline("ABCD-EFGH")).isTrue();
        assertThat(devices.decline("ABCD-EFGH")).as("decline twice").isFalse();
        assertThat(devices.approve("ABCD-EFGH", TestTenants.CONTOSO, TestTenants.ADELE, AuthContext.password(T0)))
                .as("approve after decline").isFalse();
        assertThat(devices.redeem("d1")).as("redeem after decline").isFalse();
        assertThat(devices.findByUserCode("ABCD-EFGH")).contains(with(d, Status.DECLINED, 5, null, null, null, null));
    }

    @Test
    void unknownDeviceAuthorizationsChangeNothing() {
        store.deviceCodes().save(device("d1", "ABCD-EFGH", T0.plusSeconds(900)));
        assertThat(store.deviceCodes().approve("WXYZ-WXYZ", TestTenants.CONTOSO, TestTenants.ADELE, AuthContext.password(T0)))
                .isFalse();
        assertThat(store.deviceCodes().decline("WXYZ-WXYZ")).isFalse();
        assertThat(store.deviceCodes().redeem("unknown")).isFalse();
        assertThat(store.deviceCodes().findByUserCode("ABCD-EFGH").orElseThrow().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void expiredDeviceAuthorizationsAreDeletedStrictlyBeforeTheLimit() {
        var devices = store.deviceCodes();
        Instant limit = T0.plusSeconds(900);
        devices.save(device("before", "AAAA-AAAA", limit.minusMillis(1)));
        devices.save(device("at", "BBBB-BBBB", limit));
        devices.save(device("after", "CCCC-CCCC", limit.plusSeconds(1)));

        assertThat(devices.deleteExpired(limit)).isEqualTo(1);
        assertThat(devices.findByUserCode("AAAA-AAAA")).isEmpty();
        assertThat(devices.poll("before", limit, false)).isEmpty();
        assertThat(devices.findByUserCode("BBBB-BBBB")).as("expiring exactly at the limit is kept").isPresent();
        assertThat(devices.findByUserCode("CCCC-CCCC")).isPresent();
        assertThat(devices.deleteExpired(limit)).isZero();

        devices.save(device("again", "AAAA-AAAA", limit.plusSeconds(900)));
        assertThat(devices.findByUserCode("AAAA-AAAA").map(DeviceCodeRecord::deviceHash)).contains("again");
    }

    @Test
    void concurrentApprovalsHaveOneWinner() throws Exception {
        store.deviceCodes().save(device("d1", "ABCD-EFGH", T0.plusSeconds(900)));
        List<ObjectId> users = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            users.add(ObjectId.random());
        }
        List<Boolean> answers = race(8,
                i -> () -> store.deviceCodes().approve("ABCD-EFGH", TestTenants.CONTOSO, users.get(i),
                        AuthContext.password(T0.plusSeconds(i))));

        assertThat(answers.stream().filter(b -> b)).hasSize(1);
        int winner = answers.indexOf(true);
        DeviceCodeRecord stored = store.deviceCodes().findByUserCode("ABCD-EFGH").orElseThrow();
        assertThat(stored.status()).isEqualTo(Status.APPROVED);
        assertThat(stored.userId()).isEqualTo(users.get(winner));
        assertThat(stored.auth()).isEqualTo(AuthContext.password(T0.plusSeconds(winner)));
    }

    @Test
    void concurrentDeviceRedemptionsHaveOneWinner() throws Exception {
        store.deviceCodes().save(device("d1", "ABCD-EFGH", T0.plusSeconds(900)));
        store.deviceCodes().approve("ABCD-EFGH", TestTenants.CONTOSO, TestTenants.ADELE, AuthContext.password(T0));
        List<Boolean> answers = race(8, i -> () -> store.deviceCodes().redeem("d1"));

        assertThat(answers.stream().filter(b -> b)).hasSize(1);
        assertThat(store.deviceCodes().findByUserCode("ABCD-EFGH").orElseThrow().status()).isEqualTo(Status.REDEEMED);
    }

    @Test
    void concurrentPollsLoseNoSlowDown() throws Exception {
        store.deviceCodes().save(device("d1", "ABCD-EFGH", T0.plusSeconds(900)));
        List<Optional<DeviceCodeRecord>> answers = race(8, i -> () -> store.deviceCodes().poll("d1", T0.plusSeconds(1), true));

        assertThat(answers.stream().map(a -> a.orElseThrow().intervalSeconds()))
                .as("each poll saw a different interval").containsExactlyInAnyOrder(5, 10, 15, 20, 25, 30, 35, 40);
        assertThat(store.deviceCodes().findByUserCode("ABCD-EFGH").orElseThrow().intervalSeconds()).isEqualTo(45);
    }

    // ---- reads after writes -------------------------------------------------------------------------------

    static User withTitle(User u, String title) {
        java.util.Map<String, Object> extra = new java.util.LinkedHashMap<>(u.additionalProperties());
        extra.put("jobTitle", title);
        return new User(u.id(), u.userPrincipalName(), u.displayName(), u.mail(), u.userType(), u.accountEnabled(),
                u.passwordProfile(), u.lastPasswordChangeDateTime(), u.assignedLicenses(), extra);
    }

    @Test
    void aReadAfterEveryKindOfWriteSeesThatWrite() {
        store.tenants().replace(TestTenants.contoso());
        User adele = store.users().find(TestTenants.CONTOSO, TestTenants.ADELE).orElseThrow(); // a first read, perhaps kept
        store.users().save(TestTenants.CONTOSO, withTitle(adele, "Director"));
        assertThat(store.users().find(TestTenants.CONTOSO, TestTenants.ADELE).orElseThrow().additionalProperties())
                .containsEntry("jobTitle", "Director");
        store.users().delete(TestTenants.CONTOSO, TestTenants.ADELE);
        assertThat(store.users().find(TestTenants.CONTOSO, TestTenants.ADELE)).isEmpty();
        store.tenants().replace(TestTenants.contoso());
        assertThat(store.users().find(TestTenants.CONTOSO, TestTenants.ADELE)).as("back with the tenant").isPresent();
        store.tenants().delete(TestTenants.CONTOSO);
        assertThat(store.users().find(TestTenants.CONTOSO, TestTenants.ADELE)).as("gone with the tenant").isEmpty();
    }

    @Test
    void readsRacingWritesEndOnTheLastWrite() throws Exception {
        store.tenants().replace(TestTenants.contoso());
        User adele = store.users().find(TestTenants.CONTOSO, TestTenants.ADELE).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    while (writing.get()) {
                        store.users().find(TestTenants.CONTOSO, TestTenants.ADELE);
                    }
                    return null;
                }));
            }
            for (int v = 1; v <= 100; v++) {
                store.users().save(TestTenants.CONTOSO, withTitle(adele, "v" + v));
            }
            writing.set(false);
            for (Future<?> f : readers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.users().find(TestTenants.CONTOSO, TestTenants.ADELE).orElseThrow().additionalProperties())
                .containsEntry("jobTitle", "v100");
    }

    // ---- users' mail, calendar and files -------------------------------------------------------------------

    /** Contoso with Adele's mailbox seeded as a tenant file gives it: two messages, one without an id. */
    static TenantDirectory contosoWithMail() {
        TenantDirectory d = TestTenants.contoso();
        List<User> users = new ArrayList<>();
        for (User u : d.users()) {
            if (u.id().equals(TestTenants.ADELE)) {
                java.util.Map<String, Object> extra = new java.util.LinkedHashMap<>(u.additionalProperties());
                extra.put("messages", List.of(
                        java.util.Map.of("id", "m-old", "subject", "Welcome", "receivedDateTime", "2026-01-01T08:00:00Z"),
                        java.util.Map.of("subject", "Lunch?", "receivedDateTime", "2026-01-02T12:00:00Z")));
                u = new User(u.id(), u.userPrincipalName(), u.displayName(), u.mail(), u.userType(), u.accountEnabled(),
                        u.passwordProfile(), u.lastPasswordChangeDateTime(), u.assignedLicenses(), extra);
            }
            users.add(u);
        }
        return new TenantDirectory(d.id(), d.displayName(), d.verifiedDomains(), users, d.groups(), d.applications(),
                d.servicePrincipals(), d.appRoleAssignments(), d.oauth2PermissionGrants(), d.roleAssignments(),
                d.subscribedSkus(), d.conditionalAccessPolicies(), d.appConsentRequests(), d.softwareOathMethods(), d.namedLocations(), d.devices(), d.authenticationContextClassReferences(), d.authorizationPolicy(), d.adminConsentRequestPolicy(), d.settings(), d.additionalProperties());
    }

    @Test
    void aTenantFilesMailIsSeededNewestFirstAndAReplaceReseedsIt() {
        store.tenants().replace(contosoWithMail());
        var inbox = store.workload().list(TestTenants.CONTOSO, TestTenants.ADELE, WorkloadItem.Kind.MESSAGE);
        assertThat(inbox).extracting(i -> i.body().get("subject")).containsExactly("Lunch?", "Welcome");
        assertThat(inbox.get(0).id()).as("a stable id for an item without one").isNotBlank();
        store.workload().saveAll(TestTenants.CONTOSO, List.of(new WorkloadItem(TestTenants.ADELE, WorkloadItem.Kind.MESSAGE,
                "m-new", T0.plusSeconds(86_400 * 30), java.util.Map.of("subject", "Sent later"))));
        assertThat(store.workload().list(TestTenants.CONTOSO, TestTenants.ADELE, WorkloadItem.Kind.MESSAGE)).hasSize(3);

        store.tenants().replace(contosoWithMail());
        var again = store.workload().list(TestTenants.CONTOSO, TestTenants.ADELE, WorkloadItem.Kind.MESSAGE);
        assertThat(again).extracting(WorkloadItem::id).as("the seed again, the later mail gone")
                .containsExactly(inbox.get(0).id(), "m-old");
        assertThat(store.workload().list(TestTenants.CONTOSO, TestTenants.ALEX, WorkloadItem.Kind.MESSAGE)).isEmpty();
        assertThat(store.workload().list(TestTenants.CONTOSO, TestTenants.ADELE, WorkloadItem.Kind.EVENT)).isEmpty();
    }

    @Test
    void workloadItemsAreFoundSavedAgainAndDeletedByOwnerKindAndId() {
        store.tenants().replace(contosoWithMail());
        WorkloadItem old = store.workload().find(TestTenants.CONTOSO, TestTenants.ADELE, WorkloadItem.Kind.MESSAGE, "m-old")
                .orElseThrow();
        assertThat(old.body()).containsEntry("id", "m-old").containsEntry("subject", "Welcome");
        assertThat(store.workload().find(TestTenants.CONTOSO, TestTenants.ALEX, WorkloadItem.Kind.MESSAGE, "m-old")).isEmpty();
        assertThat(store.workload().find(TestTenants.CONTOSO, TestTenants.ADELE, WorkloadItem.Kind.EVENT, "m-old")).isEmpty();

        store.workload().saveAll(TestTenants.CONTOSO, List.of(new WorkloadItem(TestTenants.ADELE, WorkloadItem.Kind.MESSAGE,
                "m-old", old.createdDateTime(), java.util.Map.of("subject", "Welcome (read)", "isRead", true))));
        assertThat(store.workload().find(TestTenants.CONTOSO, TestTenants.ADELE, WorkloadItem.Kind.MESSAGE, "m-old")
                .orElseThrow().body()).containsEntry("isRead", true);

        assertThat(store.workload().delete(TestTenants.CONTOSO, TestTenants.ADELE, WorkloadItem.Kind.MESSAGE, "m-old")).isTrue();
        assertThat(store.workload().delete(TestTenants.CONTOSO, TestTenants.ADELE, WorkloadItem.Kind.MESSAGE, "m-old")).isFalse();
        assertThatThrownBy(() -> store.workload().saveAll(TestTenants.FABRIKAM, List.of(new WorkloadItem(TestTenants.ADELE,
                WorkloadItem.Kind.EVENT, "e", T0, java.util.Map.of())))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.workload().list(TestTenants.FABRIKAM, TestTenants.ADELE, WorkloadItem.Kind.EVENT))
                .as("nothing saved for a tenant that does not exist").isEmpty();
    }

    // ---- traces ------------------------------------------------------------------------------------------------

    static TraceEntry trace(String requestId, String traceId, String correlationId, Instant at) {
        return new TraceEntry(requestId, traceId, correlationId, TraceChannel.GRAPH, at,
                "{\"request\":\"" + requestId + "\",\"decision\":\"allow\"}");
    }

    /** Retries {@code assertion} for a few seconds: pruning waits for the JDBC store's next write behind. */
    static void eventually(Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Replaces the store by a fresh one with a small trace capacity (an H2 file is open once at a time). */
    void reopenKeeping(int traceCapacity) {
        store.close();
        store = newStore(traceCapacity);
    }

    @Test
    void aTraceIsFoundByEachOfItsIdsWhateverTheirCase() {
        TraceEntry e = new TraceEntry("5A0C3F2E-1D4B-4C8A-9E7F-0B1C2D3E4F50", "c0ffee00-aaaa-4bbb-8ccc-000000000001",
                "Corr-0001", TraceChannel.STS, Instant.parse("2026-01-01T00:00:00.123456789Z"), "{\"error\":\"invalid_grant\"}");
        store.traces().record(e);

        assertThat(e.at()).as("kept to the microsecond").isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
        assertThat(store.traces().findByRequestId("5a0c3f2e-1d4b-4c8a-9e7f-0b1c2d3e4f50")).contains(e);
        assertThat(store.traces().findByTraceId("C0FFEE00-AAAA-4BBB-8CCC-000000000001")).contains(e);
        assertThat(store.traces().findByCorrelationId("corr-0001")).containsExactly(e);
    }

    @Test
    void aSecondTraceWithTheSameRequestIdReplacesTheFirst() {
        store.traces().record(trace("r1", "t1", "c1", T0));
        TraceEntry second = new TraceEntry("R1", "t2", "c1", TraceChannel.STS, T0.plusSeconds(1), "{\"second\":true}");
        store.traces().record(second);

        assertThat(store.traces().findByRequestId("r1")).contains(second);
        assertThat(store.traces().findByTraceId("t1")).as("the first one's trace id").isEmpty();
        assertThat(store.traces().findByTraceId("t2")).contains(second);
        assertThat(store.traces().findByCorrelationId("c1")).containsExactly(second);
    }

    @Test
    void unknownTraceIdsAreEmpty() {
        store.traces().record(trace("r1", "t1", "c1", T0));
        store.traces().record(trace("r2", null, null, T0));
        assertThat(store.traces().findByRequestId("nope")).isEmpty();
        assertThat(store.traces().findByTraceId("nope")).isEmpty();
        assertThat(store.traces().findByCorrelationId("nope")).isEmpty();
        assertThat(store.traces().findByRequestId("r2").orElseThrow().traceId()).isNull();
    }

    @Test
    void theOldestTracesGoBeyondTheCapacity() throws Exception {
        reopenKeeping(5);
        for (int i = 0; i < 5; i++) {
            store.traces().record(trace("r" + i, "t" + i, "shared", T0.plusSeconds(i)));
        }
        Thread.sleep(500); // a store that writes behind has written these: the later ones prune its table
        for (int i = 5; i < 8; i++) {
            store.traces().record(trace("r" + i, "t" + i, "shared", T0.plusSeconds(i)));
        }
        eventually(() -> {
            for (int i = 0; i < 3; i++) {
                assertThat(store.traces().findByRequestId("r" + i)).as("r" + i).isEmpty();
                assertThat(store.traces().findByTraceId("t" + i)).as("t" + i).isEmpty();
            }
            assertThat(store.traces().findByCorrelationId("shared")).extracting(TraceEntry::requestId)
                    .containsExactly("r7", "r6", "r5", "r4", "r3");
        });
        for (int i = 3; i < 8; i++) {
            assertThat(store.traces().findByRequestId("r" + i)).as("r" + i).isPresent();
        }
    }

    @Test
    void aCorrelationListsItsNewestHundredNewestFirst() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 105; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(7));
        for (int i : order) {
            store.traces().record(trace("r" + i, "t" + i, "operation-1", T0.plusMillis(i)));
        }
        store.traces().record(trace("other", "t-other", "operation-2", T0.plusSeconds(60)));

        List<TraceEntry> listed = store.traces().findByCorrelationId("OPERATION-1");
        assertThat(listed).hasSize(TraceStore.MAX_CORRELATED);
        assertThat(listed.get(0).requestId()).isEqualTo("r104");
        assertThat(listed.get(99).requestId()).isEqualTo("r5");
        assertThat(listed).extracting(TraceEntry::at).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void anAppsEntriesAreListedNewestFirstUpToTheLimitAndAReplacedEntryMovesWithIt() {
        String app = "5E0F2B43-7A6D-4C9E-B154-8D2F3A0B6C41";
        for (int i = 0; i < 5; i++) {
            store.traces().record(new TraceEntry("c" + i, null, null, TraceChannel.STS, T0.plusMillis(i), "{}", app));
        }
        store.traces().record(new TraceEntry("other", null, null, TraceChannel.GRAPH, T0.plusSeconds(9), "{}", "another-app"));
        store.traces().record(trace("nobody", null, null, T0.plusSeconds(10)));

        List<TraceEntry> listed = store.traces().findByClientId(app.toLowerCase(java.util.Locale.ROOT), 3);
        assertThat(listed).extracting(TraceEntry::requestId).containsExactly("c4", "c3", "c2");
        assertThat(listed.get(0).clientId()).as("kept as recorded").isEqualTo(app);
        assertThat(store.traces().findByClientId(app, 500)).hasSize(5);
        assertThat(store.traces().findByClientId("unknown", 10)).isEmpty();
        assertThat(store.traces().findByClientId(app, 0)).isEmpty();

        store.traces().record(new TraceEntry("c4", null, null, TraceChannel.STS, T0.plusMillis(4), "{}", "another-app"));
        assertThat(store.traces().findByClientId(app, 10)).extracting(TraceEntry::requestId).containsExactly("c3", "c2", "c1", "c0");
        assertThat(store.traces().findByClientId("ANOTHER-APP", 10)).extracting(TraceEntry::requestId).containsExactly("other", "c4");
    }

    @Test
    void concurrentRecordingLosesNothingWithinTheCapacity() throws Exception {
        reopenKeeping(1_000);
        int threads = 4;
        int each = 200;
        race(threads, t -> () -> {
            for (int i = 0; i < each; i++) {
                store.traces().record(trace("r-" + t + "-" + i, "t-" + t + "-" + i, "c-" + t, T0.plusMillis(t * each + i)));
            }
            return null;
        });
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                assertThat(store.traces().findByRequestId("r-" + t + "-" + i)).as("r-" + t + "-" + i).isPresent();
            }
            assertThat(store.traces().findByTraceId("t-" + t + "-" + (each - 1))).isPresent();
            assertThat(store.traces().findByCorrelationId("c-" + t)).hasSize(TraceStore.MAX_CORRELATED);
        }
    }

    @Test
    void aTraceBodyIsKeptUpTo64KibOfUtf8AndRefusedBeyond() {
        String exactly = "{\"x\":\"" + "a".repeat(TraceEntry.MAX_BODY_BYTES - 8) + "\"}";
        assertThat(exactly.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(TraceEntry.MAX_BODY_BYTES);
        TraceEntry big = new TraceEntry("big", null, null, TraceChannel.GRAPH, T0, exactly);
        store.traces().record(big);
        assertThat(store.traces().findByRequestId("big")).contains(big);

        assertThatThrownBy(() -> new TraceEntry("r", null, null, TraceChannel.GRAPH, T0, exactly + " "))
                .isInstanceOf(IllegalArgumentException.class);
        String accents = "é".repeat(TraceEntry.MAX_BODY_BYTES / 2 + 1); // fewer chars than the cap, more bytes
        assertThatThrownBy(() -> new TraceEntry("r", null, null, TraceChannel.GRAPH, T0, accents))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.traces().findByRequestId("r")).isEmpty();
    }

    // ---- the directory audit log ---------------------------------------------------------------------------------

    static dev.consentry.core.audit.DirectoryAudit audit(String id, Instant at, String activity) {
        return new dev.consentry.core.audit.DirectoryAudit(id, at, dev.consentry.core.audit.DirectoryAudit.APPLICATION_MANAGEMENT,
                activity, "Assign", "success", dev.consentry.core.audit.DirectoryAudit.Initiator.commandLine(),
                List.of(new dev.consentry.core.audit.DirectoryAudit.Target("sp-1", "Contoso Daemon", "ServicePrincipal",
                        List.of(new dev.consentry.core.audit.DirectoryAudit.ModifiedProperty("AppRole.Value", null,
                                "User.Read.All")))));
    }

    @Test
    void auditEntriesAreKeptPerTenantAndListedNewestFirst() {
        TenantId a = TenantId.of("11111111-1111-4111-8111-111111111111");
        TenantId b = TenantId.of("22222222-2222-4222-8222-222222222222");
        var first = audit("e1", T0, "Add app role assignment to service principal");
        var second = audit("e2", T0.plusSeconds(5), "Add delegated permission grant");
        var sameTime = audit("e3", T0.plusSeconds(5), "Remove delegated permission grant");
        store.audit().record(a, first);
        store.audit().record(a, second);
        store.audit().record(a, sameTime);
        store.audit().record(b, audit("e4", T0, "Add application"));

        assertThat(store.audit().recent(a, 10)).containsExactly(sameTime, second, first);
        assertThat(store.audit().recent(a, 2)).containsExactly(sameTime, second);
        assertThat(store.audit().recent(b, 10)).extracting(dev.consentry.core.audit.DirectoryAudit::id).containsExactly("e4");
        assertThat(store.audit().recent(TenantId.of("33333333-3333-4333-8333-333333333333"), 10)).isEmpty();
        assertThat(store.audit().recent(a, 0)).isEmpty();
    }

    // ---- the sign-in log ------------------------------------------------------------------------------------------

    static dev.consentry.core.audit.SignIn signIn(String id, Instant at, int errorCode) {
        return new dev.consentry.core.audit.SignIn(id, at, TestTenants.ADELE.toString(), "adele@contoso.example", "Adele Vance",
                "d0a1b2c3-0005-4f60-8a7b-9c0d1e2f3a4b", "Contoso Desktop", "127.0.0.1", "Mobile Apps and Desktop clients",
                "corr-" + id, "notApplied", true, "00000003-0000-0000-c000-000000000000", "Microsoft Graph", errorCode,
                errorCode == 0 ? null : "Invalid username or password.",
                List.of(new dev.consentry.core.audit.SignIn.AppliedPolicy("p1", "Require MFA", List.of("mfa"), "notApplied")));
    }

    @Test
    void signInsAreKeptPerTenantNewestFirstAndFor30DaysBeforeTheNewest() {
        TenantId a = TenantId.of("11111111-1111-4111-8111-111111111111");
        TenantId b = TenantId.of("22222222-2222-4222-8222-222222222222");
        var refused = signIn("s1", T0, 50126);
        var issued = signIn("s2", T0.plusSeconds(1), 0);
        store.signIns().record(a, refused);
        store.signIns().record(a, issued);
        store.signIns().record(b, signIn("s3", T0, 0));

        assertThat(store.signIns().recent(a, 10)).containsExactly(issued, refused);
        assertThat(store.signIns().recent(a, 1)).containsExactly(issued);
        assertThat(store.signIns().recent(b, 10)).extracting(dev.consentry.core.audit.SignIn::id).containsExactly("s3");
        assertThat(store.signIns().recent(TenantId.of("33333333-3333-4333-8333-333333333333"), 10)).isEmpty();

        // Exactly 30 days before the newest is kept; a millisecond older is dropped, in this tenant only.
        var month = signIn("s4", T0.plus(dev.consentry.core.directory.TenantSettings.LogRetention.DEFAULT.age()), 0);
        store.signIns().record(a, month);
        assertThat(store.signIns().recent(a, 10)).containsExactly(month, issued, refused);
        store.signIns().record(a, signIn("s5", T0.plus(dev.consentry.core.directory.TenantSettings.LogRetention.DEFAULT.age()).plusMillis(1001), 0));
        assertThat(store.signIns().recent(a, 10)).extracting(dev.consentry.core.audit.SignIn::id).containsExactly("s5", "s4");
        assertThat(store.signIns().recent(b, 10)).hasSize(1);
    }

    // ---- the change feed ---------------------------------------------------------------------------------------

    /** Events heard by one subscriber, in order. */
    static final class Heard implements java.util.function.Consumer<StoreEvent> {
        final List<StoreEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void accept(StoreEvent e) {
            events.add(e);
        }

        /** What was heard since the last call, then forgets it. */
        List<StoreEvent> take() {
            List<StoreEvent> taken = List.copyOf(events);
            events.clear();
            return taken;
        }
    }

    @Test
    void eachDirectoryWriteIsAnnouncedOnceWithItsTenant() {
        Heard heard = new Heard();
        store.events().subscribe(heard);
        TenantId t = TestTenants.CONTOSO;
        var changed = new StoreEvent.DirectoryChanged(t);

        store.tenants().replace(TestTenants.contoso());
        assertThat(heard.take()).as("tenant replace").containsExactly(changed);
        TenantDirectory d = store.tenants().export(t).orElseThrow();
        store.users().list(t);
        store.groups().find(t, TestTenants.GROUP);
        assertThat(heard.take()).as("reads").isEmpty();

        store.users().save(t, d.users().get(0));
        assertThat(heard.take()).as("user").containsExactly(changed);
        store.groups().save(t, d.groups().get(0));
        assertThat(heard.take()).as("group").containsExactly(changed);
        store.applications().save(t, d.applications().get(0));
        assertThat(heard.take()).as("application").containsExactly(changed);
        store.servicePrincipals().save(t, d.servicePrincipals().get(0));
        assertThat(heard.take()).as("service principal").containsExactly(changed);
        store.appRoleAssignments().save(t, d.appRoleAssignments().get(0));
        assertThat(heard.take()).as("app role assignment").containsExactly(changed);
        store.permissionGrants().save(t, d.oauth2PermissionGrants().get(0));
        assertThat(heard.take()).as("permission grant").containsExactly(changed);
        store.roleAssignments().save(t, d.roleAssignments().get(0));
        assertThat(heard.take()).as("role assignment").containsExactly(changed);
        store.subscribedSkus().save(t, d.subscribedSkus().get(0));
        assertThat(heard.take()).as("subscribed SKU").containsExactly(changed);
        store.conditionalAccessPolicies().save(t, d.conditionalAccessPolicies().get(0));
        assertThat(heard.take()).as("policy").containsExactly(changed);

        assertThat(store.permissionGrants().delete(t, d.oauth2PermissionGrants().get(0).id())).isTrue();
        assertThat(heard.take()).as("grant deleted").containsExactly(changed);
        assertThat(store.users().delete(t, TestTenants.ALEX)).isTrue();
        assertThat(heard.take()).as("user deleted").containsExactly(changed);
        assertThat(store.tenants().delete(t)).isTrue();
        assertThat(heard.take()).as("tenant deleted").containsExactly(changed);
    }

    @Test
    void signingKeyWritesAreAnnounced() {
        Heard heard = new Heard();
        store.events().subscribe(heard);
        store.signingKeys().initializeIfEmpty(key("k1", T0));
        assertThat(heard.take()).as("first key").containsExactly(new StoreEvent.SigningKeysChanged());
        store.signingKeys().initializeIfEmpty(key("k-other", T0));
        assertThat(heard.take()).as("a key already there: nothing changed").isEmpty();
        store.signingKeys().rotate(key("k2", T0.plusSeconds(10)), 1);
        assertThat(heard.take()).as("rotation").containsExactly(new StoreEvent.SigningKeysChanged());
    }

    @Test
    void aFailedOrEmptyWriteAnnouncesNothing() {
        store.tenants().replace(TestTenants.contoso());
        store.tenants().replace(TestTenants.fabrikamWithSameIds());
        Heard heard = new Heard();
        store.events().subscribe(heard);
        User someone = store.users().find(TestTenants.CONTOSO, TestTenants.ADELE).orElseThrow();
        TenantDirectory clash = new TenantDirectory(TestTenants.CONTOSO, "Clash",
                List.of(VerifiedDomain.named("fabrikam.com")), null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> store.tenants().replace(clash)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.users().save(TenantId.random(), someone)).isInstanceOf(RuntimeException.class);
        assertThat(store.users().delete(TestTenants.CONTOSO, ObjectId.random())).isFalse();
        assertThat(store.tenants().delete(TenantId.random())).isFalse();
        assertThat(heard.take()).isEmpty();
    }

    @Test
    void unsubscribingStopsDelivery() {
        Heard kept = new Heard();
        Heard left = new Heard();
        store.events().subscribe(kept);
        StoreEvents.Subscription leaving = store.events().subscribe(left);
        store.tenants().replace(TestTenants.contoso());
        leaving.close();
        leaving.close(); // closing twice is harmless

        store.tenants().replace(TestTenants.contoso());
        assertThat(left.take()).hasSize(1);
        assertThat(kept.take()).hasSize(2);
    }

    @Test
    void aThrowingListenerBreaksNeitherTheWriteNorTheListenersAfterIt() {
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        store.events().subscribe(e -> calls.add("first"));
        store.events().subscribe(e -> {
            calls.add("broken");
            throw new IllegalStateException("a broken cache");
        });
        store.events().subscribe(e -> calls.add("last"));

        store.tenants().replace(TestTenants.contoso());
        assertThat(store.tenants().find(TestTenants.CONTOSO)).as("the write stands").isPresent();
        assertThat(calls).as("in subscription order").containsExactly("first", "broken", "last");
    }

    @Test
    void eventsPublishedByCallersReachEveryListener() {
        Heard heard = new Heard();
        store.events().subscribe(heard);
        var revoked = new StoreEvent.UserSessionsRevoked(TestTenants.CONTOSO, TestTenants.ADELE, T0);
        store.events().publish(revoked);
        assertThat(heard.take()).containsExactly(revoked);
    }

    @Test
    void unknownThingsAreEmptyNotErrors() {
        TenantId nobody = TenantId.random();
        assertThat(store.tenants().find(nobody)).isEmpty();
        assertThat(store.tenants().export(nobody)).isEmpty();
        assertThat(store.users().list(nobody)).isEmpty();
        assertThat(store.users().find(nobody, ObjectId.random())).isEmpty();
        assertThat(store.signingKeys().primary()).isEmpty();
    }
}
