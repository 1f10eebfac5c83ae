package dev.consentry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.key.LocalAuthority;
import dev.consentry.core.key.SigningKeyRecord;
import dev.consentry.core.key.SigningKeyRecord.KeyStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Store} guarantees; each implementation's test extends this class. */
public abstract class StoreContract {
    protected Store store;

    /** A fresh, empty store. */
    protected abstract Store newStore();

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

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
                List.of(VerifiedDomain.named("contoso.net")), null, null, null, null, null, null, null, null, null, null, null);
        store.tenants().replace(smaller);

        assertThat(store.tenants().export(TestTenants.CONTOSO)).contains(smaller);
        assertThat(store.users().find(TestTenants.CONTOSO, TestTenants.ADELE)).isEmpty();
        assertThat(store.tenants().findByDomain("contoso.com")).isEmpty();
        assertThat(store.tenants().findByDomain("CONTOSO.NET")).map(t -> t.displayName()).contains("Contoso renamed");
        assertThat(store.servicePrincipals().findByName(TestTenants.CONTOSO, "api://orders")).isEmpty();
    }

    @Test
    void aFailedReplaceLeavesThePreviousTenantIntact() {
        store.tenants().replace(TestTenants.contoso());
        store.tenants().replace(TestTenants.fabrikamWithSameIds());
        TenantDirectory clash = new TenantDirectory(TestTenants.CONTOSO, "Clash",
                List.of(VerifiedDomain.named("fabrikam.com")), null, null, null, null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> store.tenants().replace(clash)).hasMessageContaining("fabrikam.com");
        assertThat(store.tenants().export(TestTenants.CONTOSO)).contains(TestTenants.contoso());
    }

    @Test
    void duplicateObjectIdsInOneTenantAreRefusedWhole() {
        TenantDirectory c = TestTenants.contoso();
        List<User> twice = new ArrayList<>(c.users());
        twice.add(c.users().get(0));
        TenantDirectory bad = Kind.USER.with().apply(c, twice);
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
    }

    @Test
    void assertionIsUsableOnceUntilItExpires() {
        Instant exp = T0.plusSeconds(600);
        assertThat(store.assertionReplay().firstUse("client|jti-1", exp, T0)).isTrue();
        assertThat(store.assertionReplay().firstUse("client|jti-1", exp, T0.plusSeconds(599))).isFalse();
        assertThat(store.assertionReplay().firstUse("client|jti-2", exp, T0)).isTrue();
        assertThat(store.assertionReplay().firstUse("client|jti-1", exp.plusSeconds(600), exp)).as("expired exactly now").isTrue();
    }

    // ---- refresh tokens ----------------------------------------------------------------------------

    static dev.consentry.core.session.RefreshTokenRecord token(String hash, String family, Instant at) {
        return new dev.consentry.core.session.RefreshTokenRecord(hash, family, TestTenants.CONTOSO, TestTenants.APP_ID,
                TestTenants.ADELE, "User.Read offline_access", at, at, null, null);
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
