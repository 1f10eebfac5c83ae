package dev.consentry.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the control and the tenant builder say when a test names something that is not there. */
class ConsentryControlErrorsTest {
    static final ConsentryTenant CONTOSO = ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com")
            .user("adele", u -> u.password("Adele-Pass-1"))
            .app("Daemon", a -> a.secret("daemon-secret-value").applicationPermissions("User.Read.All"));

    @RegisterExtension
    static final ConsentryExtension consentry = ConsentryExtension.withTenants(CONTOSO);

    @Test
    void anUnknownUserIsNamed(ConsentryControl control) {
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> control.revokeSignInSessions(CONTOSO, "nobody")))
                .hasMessage("no user nobody in contoso.onmicrosoft.com");
    }

    @Test
    void anUnknownDeviceCodeIsNamed(ConsentryControl control) {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> control.approveDeviceCode(CONTOSO, "ABCD-EFGH", "adele"))).hasMessageStartingWith(
                "no device code sign-in waits for the code ABCD-EFGH");
    }

    @Test
    void anUnknownAppIsNamed(ConsentryControl control) {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> control.grantApplicationPermissions(CONTOSO, "Nightly Job", "User.Read.All")))
                .hasMessage("no app named Nightly Job in Contoso");
    }

    @Test
    void aLicenceTheTenantDoesNotHoldIsNamedWithTheOnesItDoes() {
        ConsentryTenant t = ConsentryTenant.named("Fabrikam", "fabrikam.onmicrosoft.com").user("megan", u -> u.licence("SPE_E5"));
        IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
                () -> ConsentryExtension.tenantFile(List.of(t), "test"));
        assertThat(e).hasMessage("user megan@fabrikam.onmicrosoft.com is given the licence SPE_E5, which the tenant does not "
                + "hold; add it with licence(Sku) first (holds: none)");
    }

    @Test
    void importedTenantsReplaceTheirEarlierSelves(LocalConsentry server, ConsentryControl control) {
        ConsentryTenant more = ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com")
                .user("adele", u -> u.password("Adele-Pass-1")).user("lee", u -> u.password("Lee-Pass-1"))
                .app("Daemon", a -> a.secret("daemon-secret-value").applicationPermissions("User.Read.All"));
        control.importTenants(more);
        assertThat(GraphClients.forApp(server, CONTOSO, "Daemon", "daemon-secret-value").users().get().getValue())
                .extracting(u -> u.getUserPrincipalName()).contains("lee@contoso.onmicrosoft.com");
        assertThat(control.exportTenants()).contains("lee@contoso.onmicrosoft.com").doesNotContain("Lee-Pass-1");
        control.importTenants(CONTOSO); // as the class began
    }
}
