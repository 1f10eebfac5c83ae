package dev.consentry.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.OnBehalfOfParameters;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.UserAssertion;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MSAL4J's on-behalf-of flow: a desktop app signs Adele in for the Fabrikam API; the API, a confidential
 * client, exchanges that token for a Microsoft Graph token acting for Adele.
 */
class Msal4jOnBehalfOfTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();



    @Test
    @SuppressWarnings("deprecation") // ROPC stands in for the interactive sign-in, which comes with the pages
    void apiExchangesTheUsersTokenForGraph() throws Exception {
        PublicClientApplication desktop = PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        String userToken = desktop.acquireToken(UserNamePasswordParameters.builder(
                Set.of("api://" + TestTenant.API + "/access_as_user"), TestTenant.ADELE_UPN,
                TestTenant.ADELE_PASSWORD.toCharArray()).build()).get().accessToken();

        ConfidentialClientApplication api = ConfidentialClientApplication.builder(TestTenant.API.toString(),
                        ClientCredentialFactory.createFromSecret(TestTenant.API_SECRET))
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        IAuthenticationResult graph = api.acquireToken(OnBehalfOfParameters.builder(
                Set.of("https://graph.microsoft.com/User.Read"), new UserAssertion(userToken)).build()).get();

        JWTClaimsSet claims = SignedJWT.parse(graph.accessToken()).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly("https://graph.microsoft.com");
        assertThat(claims.getStringClaim("appid")).isEqualTo(TestTenant.API.toString());
        assertThat(claims.getStringClaim("oid")).isEqualTo(TestTenant.ADELE.toString());
        assertThat(claims.getStringClaim("scp")).isEqualTo("User.Read");
    }
}
