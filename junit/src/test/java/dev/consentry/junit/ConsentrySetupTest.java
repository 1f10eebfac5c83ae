package dev.consentry.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * How a test class fares with the extension, run through JUnit's own engine: a tenant that does not load fails the
 * class with the tenant file's message and no stack trace; two extensions are two instances. The classes run here
 * are nested and static, which Maven's test runner leaves out by itself.
 */
class ConsentrySetupTest {
    @Test
    void aTenantThatDoesNotLoadFailsTheClassWithTheTenantFilesMessage() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(MisspelledPermission.class))
                .execute();
        List<Throwable> failures = new ArrayList<>();
        results.containerEvents().failed().stream().map(Event::getPayload)
                .forEach(p -> p.ifPresent(x -> failures.add(((org.junit.platform.engine.TestExecutionResult) x).getThrowable().orElseThrow())));
        assertThat(failures).hasSize(1);
        Throwable failure = failures.get(0);
        assertThat(failure).isInstanceOf(ConsentrySetupException.class);
        assertThat(failure.getMessage())
                .startsWith("Consentry refused the tenants: the tenants built in code for " + MisspelledPermission.class.getName())
                .contains("$.tenants[0].applications[0].requiredResourceAccess[0].resourceAccess[0].id")
                .contains("User.Raed.All").contains("did you mean User.Read.All");
        assertThat(failure.getStackTrace()).isEmpty();
        assertThat(results.testEvents().started().count()).isZero();
    }

    @Test
    void anUnknownDirectoryRoleIsRefusedWhereTheTenantIsWritten() {
        IllegalArgumentException e = org.assertj.core.api.Assertions.catchThrowableOfType(IllegalArgumentException.class,
                () -> ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com").user("adele", u -> u.directoryRole("User Admin")));
        assertThat(e).hasMessageStartingWith("Entra has no directory role named 'User Admin'; did you mean")
                .hasMessageContaining("User Administrator");
    }

    @Test
    void aMissingTenantFileFailsTheClassNamingIt() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(MissingFile.class)).execute();
        assertThat(results.containerEvents().failed().stream().map(Event::getPayload).flatMap(java.util.Optional::stream)
                .map(p -> ((org.junit.platform.engine.TestExecutionResult) p).getThrowable().orElseThrow().getMessage()))
                .singleElement().asString().startsWith("no tenant file classpath:nowhere.tenant.json on the test class path");
    }

    @Test
    void twoExtensionsAreTwoInstances() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(TwoInstances.class)).execute();
        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    }

    static class MisspelledPermission {
        @RegisterExtension
        static final ConsentryExtension consentry = ConsentryExtension.withTenants(ConsentryTenant.named("Contoso",
                "contoso.onmicrosoft.com").app("Daemon", a -> a.secret("s").applicationPermissions("User.Raed.All")));

        @Test
        void neverRuns() {}
    }

    @ConsentryTest(tenantFiles = "classpath:nowhere.tenant.json")
    static class MissingFile {
        @Test
        void neverRuns() {}
    }

    static class TwoInstances {
        @RegisterExtension
        static final ConsentryExtension first = ConsentryExtension.builder().build();

        @RegisterExtension
        static final ConsentryExtension second = ConsentryExtension.builder().build();

        @Test
        void haveTwoPortsAndTwoCas() {
            assertThat(first.server().port()).isNotEqualTo(second.server().port());
            assertThat(first.server().caCertificate()).isNotEqualTo(second.server().caCertificate());
        }
    }
}
