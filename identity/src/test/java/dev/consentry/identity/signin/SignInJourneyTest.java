package dev.consentry.identity.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.directory.Application;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TestTenants;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the password step of the sign-in journey says the sign-in proved. */
class SignInJourneyTest {
    static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");
    static final String ADELE = "adele@" + TestTenants.FABRIKAM_DOMAIN;
    static final String PASSWORD = "Adele-Passw0rd!";

    final InMemoryStore store = new InMemoryStore();
    final Application app = TestTenants.app(AppId.of("66666666-7777-4888-8999-aaaaaaaaaaaa"), "Desktop");
    final SignInJourney journey = new SignInJourney(store);

    SignInJourney.Audience audience() {
        store.tenants().replace(TenantFile.normalise(TestTenants.fabrikam()
                .withUser(TestTenants.user(ObjectId.random(), ADELE, PASSWORD)).withApplication(app).build(),
                TestTenants.FAST_HASHER));
        return new SignInJourney.Audience(TenantPath.require(TestTenants.FABRIKAM.toString(), store.tenants()), app,
                TestTenants.FABRIKAM);
    }

    @Test
    void theRightPasswordIsAPasswordSignInAtTheMomentItWasChecked() {
        var step = journey.next(audience(), new SignInJourney.Action.Password(ADELE, PASSWORD), AT, java.net.InetAddress.getLoopbackAddress());
        assertThat(step).isInstanceOfSatisfying(SignInJourney.Step.SignedIn.class,
                signedIn -> assertThat(signedIn.context()).isEqualTo(AuthContext.password(AT)));
    }

    @Test
    void aWrongPasswordProvesNothing() {
        var step = journey.next(audience(), new SignInJourney.Action.Password(ADELE, "wrong"), AT, java.net.InetAddress.getLoopbackAddress());
        assertThat(step).isInstanceOf(SignInJourney.Step.AskPassword.class);
    }
}
