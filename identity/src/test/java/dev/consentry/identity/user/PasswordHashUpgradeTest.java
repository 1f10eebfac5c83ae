package dev.consentry.identity.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TestTenants;
import java.net.InetAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A password hash cheaper than today's cost (an older Consentry's 210,000 iterations, a test's 1,000) is made again at
 * {@link SecretHasher#DEFAULT_ITERATIONS} at the user's next successful sign-in, the one moment the clear password is
 * at hand; a failed one changes nothing.
 */
class PasswordHashUpgradeTest {
    static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    static final String ADELE = "adele@" + TestTenants.FABRIKAM_DOMAIN;
    static final String PASSWORD = "Adele-Passw0rd!";
    static final InetAddress HOME = InetAddress.getLoopbackAddress();

    final InMemoryStore store = new InMemoryStore();
    final UserAuthenticator users = new UserAuthenticator(store);

    @Test
    void aCheapHashIsMadeAgainAtTodaysCostAtTheNextSignInAndKeepsWorking() {
        ObjectId id = ObjectId.random();
        store.tenants().replace(TenantFile.normalise(TestTenants.fabrikam().withSettings(TenantSettings.DEFAULT)
                .withUser(TestTenants.user(id, ADELE, PASSWORD)).build(), new SecretHasher(1_000)));
        TenantPath path = TenantPath.require(TestTenants.FABRIKAM.toString(), store.tenants());
        assertThat(SecretHasher.iterations(hash(id))).hasValue(1_000);

        FailureException wrong = catchThrowableOfType(FailureException.class, () -> users.authenticate(path, ADELE, "nope", HOME, T0));
        assertThat(wrong.failure().cause()).isEqualTo(Cause.PASSWORD_INVALID);
        assertThat(SecretHasher.iterations(hash(id))).as("a failed sign-in changes nothing").hasValue(1_000);

        User signedIn = users.authenticate(path, ADELE, PASSWORD, HOME, T0.plusSeconds(1)).user();
        assertThat(SecretHasher.iterations(hash(id))).hasValue(SecretHasher.DEFAULT_ITERATIONS);
        assertThat(signedIn.passwordProfile().passwordHash()).isEqualTo(hash(id));
        assertThat(SecretHasher.verify(PASSWORD, hash(id))).isTrue();
        assertThat(user(id).lastPasswordChangeDateTime()).as("the password did not change").isEqualTo(
                TestTenants.user(id, ADELE, PASSWORD).lastPasswordChangeDateTime());

        assertThat(users.authenticate(path, ADELE, PASSWORD, HOME, T0.plusSeconds(2)).user().id()).isEqualTo(id);
        String upgraded = hash(id);
        FailureException stillWrong = catchThrowableOfType(FailureException.class,
                () -> users.authenticate(path, ADELE, "Adele-Passw0rd?", HOME, T0.plusSeconds(3)));
        assertThat(stillWrong.failure().cause()).isEqualTo(Cause.PASSWORD_INVALID);
        assertThat(hash(id)).as("made once").isEqualTo(upgraded);
    }

    @Test
    void theCostIsReadFromTheEncodedHash() {
        SecretHasher standard = SecretHasher.standard();
        assertThat(standard.isWeakerThanThis("pbkdf2-sha256$210000$c2FsdA$aGFzaA")).isTrue();
        assertThat(standard.isWeakerThanThis("pbkdf2-sha256$600000$c2FsdA$aGFzaA")).isFalse();
        assertThat(standard.isWeakerThanThis("not a hash")).as("nothing to upgrade from").isFalse();
        assertThat(SecretHasher.iterations("pbkdf2-sha256$210000$c2FsdA$aGFzaA")).hasValue(210_000);
    }

    private User user(ObjectId id) {
        return store.users().find(TestTenants.FABRIKAM, id).orElseThrow();
    }

    private String hash(ObjectId id) {
        return user(id).passwordProfile().passwordHash();
    }
}
