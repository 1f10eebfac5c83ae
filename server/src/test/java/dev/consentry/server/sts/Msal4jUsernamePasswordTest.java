package dev.consentry.server.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MSAL4J's username/password flow (a public client): the user realm lookup, the password grant, an account
 * in MSAL's cache (id token + client_info), and invalid_grant failures raised as interaction-required.
 */
class Msal4jUsernamePasswordTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();



    static PublicClientApplication app() throws Exception {
        return PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority("organizations"))
                .instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory())
                .build();
    }

    @SuppressWarnings("deprecation") // ROPC is deprecated by Microsoft, still offered by MSAL and emulated here
    static IAuthenticationResult signIn(PublicClientApplication app, String user, String password, String scope) throws Exception {
        return app.acquireToken(UserNamePasswordParameters.builder(Set.of(scope), user, password.toCharArray()).build()).get();
    }

    @Test
    void signsInAndMsalKeepsTheAccount() throws Exception {
        PublicClientApplication app = app();
        IAuthenticationResult result = signIn(app, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, "User.Read");

        var claims = SignedJWT.parse(result.accessToken()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("scp")).isEqualTo("User.Read");
        assertThat(claims.getAudience()).containsExactly("https://graph.microsoft.com");
        assertThat(claims.getStringClaim("tid")).isEqualTo(TestTenant.TENANT.toString());
        assertThat(result.account().username()).isEqualTo(TestTenant.ADELE_UPN);
        assertThat(result.account().homeAccountId()).isEqualTo(TestTenant.ADELE + "." + TestTenant.TENANT);
        assertThat(app.getAccounts().get()).hasSize(1);
    }

    @Test
    void acquireTokenSilentlyRefreshesWithTheRefreshToken() throws Exception {
        PublicClientApplication app = app();
        IAuthenticationResult first = signIn(app, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, "User.Read");
        var account = app.getAccounts().get().iterator().next();
        // MSAL4J keeps the account's environment as the host without its port and, for a refresh, rebuilds the
        // authority from it: on a port other than 443 the silent call must be given the authority again.
        assertThat(account.environment()).isEqualTo("localhost");

        IAuthenticationResult refreshed = app.acquireTokenSilently(com.microsoft.aad.msal4j.SilentParameters
                .builder(Set.of("User.Read"), account).authorityUrl(server.authority(TestTenant.TENANT.toString()))
                .forceRefresh(true).build()).get();

        assertThat(refreshed.accessToken()).isNotEqualTo(first.accessToken());
        assertThat(SignedJWT.parse(refreshed.accessToken()).getJWTClaimsSet().getStringClaim("scp")).isEqualTo("User.Read");
    }

    @Test
    void wrongPasswordIsInteractionRequiredWithAadsts50126() throws Exception {
        Throwable t = catchThrowable(() -> signIn(app(), TestTenant.ADELE_UPN, "wrong", "User.Read"));
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MsalInteractionRequiredException.class);
        MsalInteractionRequiredException e = (MsalInteractionRequiredException) t.getCause();
        assertThat(e.errorCode()).isEqualTo("invalid_grant");
        assertThat(e.getMessage()).startsWith("AADSTS50126:");
    }

    @Test
    void unconsentedScopeIsConsentRequiredWithAadsts65001() throws Exception {
        Throwable t = catchThrowable(() -> signIn(app(), TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, "Mail.Read"));
        assertThat(t).hasCauseInstanceOf(MsalInteractionRequiredException.class);
        MsalInteractionRequiredException e = (MsalInteractionRequiredException) t.getCause();
        assertThat(e.getMessage()).startsWith("AADSTS65001:");
        assertThat(e.reason().name()).isEqualTo("CONSENT_REQUIRED");
    }
}
