package dev.consentry.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tenant whose own app exposes an API, and the tokens other apps get for it through MSAL4J. */
class CustomApiTest {
    static final ConsentryTenant CONTOSO = ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com")
            .user("adele", u -> u.password("Adele-Pass-1"))
            .app("Orders API", a -> a.identifierUri("api://orders").exposesScope("Orders.Read").exposesAppRole("Orders.Read.All"))
            .app("Orders Job", a -> a.secret("orders-job-secret").applicationPermissionsOn("Orders API", "Orders.Read.All"))
            .app("Orders Desktop", a -> a.publicClient("http://localhost").delegatedPermissionsOn("Orders API", "Orders.Read"))
            .app("Stock API", a -> a.identifierUri("api://stock").requestedAccessTokenVersion(2).exposesAppRole("Stock.Read.All"))
            .app("Stock Job", a -> a.secret("stock-job-secret").applicationPermissionsOn("Stock API", "Stock.Read.All"));

    @RegisterExtension
    static final ConsentryExtension consentry = ConsentryExtension.withTenants(CONTOSO);

    @Test
    void aDaemonGetsTheApisAppRole(LocalConsentry server) throws Exception {
        String token = MsalClients.confidential(server, CONTOSO, "Orders Job", "orders-job-secret")
                .acquireToken(ClientCredentialParameters.builder(Set.of("api://orders/.default")).build()).get().accessToken();
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsAnyOf("api://orders", CONTOSO.clientId("Orders API"));
        assertThat(claims.getStringListClaim("roles")).containsExactly("Orders.Read.All");
        // An API that does not ask for v2.0 tokens gets Entra's v1.0 ones.
        assertThat(claims.getIssuer()).isEqualTo("https://sts.windows.net/" + CONTOSO.tenantId() + "/");
    }

    @Test
    void anApiThatAsksForV2TokensGetsTheV2Issuer(LocalConsentry server) throws Exception {
        String token = MsalClients.confidential(server, CONTOSO, "Stock Job", "stock-job-secret")
                .acquireToken(ClientCredentialParameters.builder(Set.of("api://stock/.default")).build()).get().accessToken();
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(server.issuer(CONTOSO));
        assertThat(claims.getAudience()).containsExactly(CONTOSO.clientId("Stock API"));
        assertThat(claims.getStringListClaim("roles")).containsExactly("Stock.Read.All");
    }

    @Test
    @SuppressWarnings("deprecation") // the password grant stands in for an interactive sign-in
    void aUserGetsTheApisScopeThroughADesktopApp(LocalConsentry server) throws Exception {
        String token = MsalClients.publicClient(server, CONTOSO, "Orders Desktop")
                .acquireToken(UserNamePasswordParameters.builder(Set.of("api://orders/Orders.Read"),
                        "adele@contoso.onmicrosoft.com", "Adele-Pass-1".toCharArray()).build()).get().accessToken();
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getStringClaim("scp")).isEqualTo("Orders.Read");
        assertThat(claims.getStringClaim("oid")).isEqualTo(CONTOSO.userId("adele"));
    }
}
