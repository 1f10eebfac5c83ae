package dev.consentry.identity.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TestTenants;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Smart lockout of passwords: counted per user and client address, locked after the tenant's threshold for its duration
 * (longer each time it locks again), the right password refused while locked and forgetting the count once it succeeds.
 */
class SmartLockoutTest {
    static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    static final String ADELE = "adele@" + TestTenants.FABRIKAM_DOMAIN;
    static final String PASSWORD = "Adele-Passw0rd!";
    static final InetAddress HOME = address("192.0.2.10");
    static final InetAddress ATTACKER = address("198.51.100.66");

    final InMemoryStore store = new InMemoryStore();
    final UserAuthenticator users = new UserAuthenticator(store);

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    TenantPath fabrikam(TenantSettings settings) {
        store.tenants().replace(TenantFile.normalise(TestTenants.fabrikam().withSettings(settings)
                .withUser(TestTenants.user(ObjectId.random(), ADELE, PASSWORD)).build(), TestTenants.FAST_HASHER));
        return TenantPath.require(TestTenants.FABRIKAM.toString(), store.tenants());
    }

    Cause attempt(TenantPath path, String password, InetAddress from, Instant at) {
        FailureException e = catchThrowableOfType(FailureException.class, () -> users.authenticate(path, ADELE, password, from, at));
        return e == null ? null : e.failure().cause();
    }

    @Test
    void theTenantsThresholdLocksOneAddressOutAndNotAnother() {
        TenantPath path = fabrikam(new TenantSettings(null, null, null, null, 3, 30, Map.of()));
        assertThat(attempt(path, "wrong-1", ATTACKER, T0)).isEqualTo(Cause.PASSWORD_INVALID);
        assertThat(attempt(path, "wrong-2", ATTACKER, T0.plusSeconds(1))).isEqualTo(Cause.PASSWORD_INVALID);
        assertThat(attempt(path, "wrong-3", ATTACKER, T0.plusSeconds(2))).isEqualTo(Cause.PASSWORD_LOCKOUT);
        assertThat(attempt(path, PASSWORD, ATTACKER, T0.plusSeconds(3))).as("the right one too, while locked")
                .isEqualTo(Cause.PASSWORD_LOCKOUT);

        assertThat(attempt(path, PASSWORD, HOME, T0.plusSeconds(4))).as("the user at home signs in").isNull();
        assertThat(attempt(path, PASSWORD, ATTACKER, T0.plusSeconds(32))).as("30 s after the lock").isNull();
    }

    @Test
    void eachLockThatFollowsAnotherLastsTwiceAsLongAndASuccessForgetsThem() {
        TenantPath path = fabrikam(new TenantSettings(null, null, null, null, 2, 10, Map.of()));
        attempt(path, "wrong", ATTACKER, T0);
        assertThat(attempt(path, "wrong", ATTACKER, T0)).isEqualTo(Cause.PASSWORD_LOCKOUT);
        assertThat(attempt(path, "wrong", ATTACKER, T0.plusSeconds(10))).as("the first failure after it locks again")
                .isEqualTo(Cause.PASSWORD_LOCKOUT);
        assertThat(attempt(path, PASSWORD, ATTACKER, T0.plusSeconds(29))).as("for 20 s this time").isEqualTo(Cause.PASSWORD_LOCKOUT);
        assertThat(attempt(path, PASSWORD, ATTACKER, T0.plusSeconds(30))).isNull();

        attempt(path, "wrong", ATTACKER, T0.plusSeconds(31));
        assertThat(attempt(path, "wrong", ATTACKER, T0.plusSeconds(32))).isEqualTo(Cause.PASSWORD_LOCKOUT);
        assertThat(attempt(path, PASSWORD, ATTACKER, T0.plusSeconds(42))).as("after a success, 10 s again").isNull();
    }

    @Test
    void byDefaultTenWrongPasswordsLockForAMinute() {
        TenantPath path = fabrikam(TenantSettings.DEFAULT);
        for (int i = 0; i < 9; i++) {
            assertThat(attempt(path, "wrong-" + i, ATTACKER, T0)).isEqualTo(Cause.PASSWORD_INVALID);
        }
        assertThat(attempt(path, "wrong-9", ATTACKER, T0)).isEqualTo(Cause.PASSWORD_LOCKOUT);
        assertThat(attempt(path, PASSWORD, ATTACKER, T0.plus(Duration.ofSeconds(59)))).isEqualTo(Cause.PASSWORD_LOCKOUT);
        assertThat(attempt(path, PASSWORD, ATTACKER, T0.plus(Duration.ofSeconds(60)))).isNull();
    }
}
