package dev.consentry.identity.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.id.AppId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TestTenants;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A client secret hash cheaper than today's cost is made again at that cost at the app's next successful authentication. */
class SecretHashUpgradeTest {
    static final AppId DAEMON = AppId.of("5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c4d");
    static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    final InMemoryStore store = new InMemoryStore();
    final ClientAuthenticator clients = new ClientAuthenticator(store);

    static FormParameters form(String secret) {
        return FormParameters.parse(("client_id=" + DAEMON + "&client_secret=" + secret).getBytes(StandardCharsets.UTF_8),
                Set.of("client_id", "client_secret"));
    }

    String storedHash() {
        return store.applications().findByAppIdInAnyTenant(DAEMON).orElseThrow().application().passwordCredentials().get(0)
                .secretHash();
    }

    @Test
    void aCheapSecretHashIsMadeAgainAtTodaysCostAtTheNextAuthentication() {
        store.tenants().replace(TenantFile.normalise(TestTenants.fabrikam()
                .withApplication(TestTenants.confidentialApp(DAEMON, "Daemon", TestTenants.secret("daemon-s3cret-value")))
                .build(), new SecretHasher(1_000)));
        assertThat(SecretHasher.iterations(storedHash())).hasValue(1_000);

        FailureException wrong = catchThrowableOfType(FailureException.class,
                () -> clients.authenticate(TestTenants.FABRIKAM, form("daemon-s3cret-wrong"), null, Set.of(), T0));
        assertThat(wrong.failure().cause()).isEqualTo(Cause.CLIENT_SECRET_INVALID);
        assertThat(SecretHasher.iterations(storedHash())).hasValue(1_000);

        clients.authenticate(TestTenants.FABRIKAM, form("daemon-s3cret-value"), null, Set.of(), T0);
        assertThat(SecretHasher.iterations(storedHash())).hasValue(SecretHasher.DEFAULT_ITERATIONS);
        assertThat(SecretHasher.verify("daemon-s3cret-value", storedHash())).isTrue();
        String upgraded = storedHash();
        clients.authenticate(TestTenants.FABRIKAM, form("daemon-s3cret-value"), null, Set.of(), T0.plusSeconds(1));
        assertThat(storedHash()).as("made once").isEqualTo(upgraded);
    }
}
