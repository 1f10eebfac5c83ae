package dev.consentry.server.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.http.HttpClient;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

/**
 * A Spring Security resource server configured from the tenant's issuer URI (as
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} does: discovery document, then JWKS) validates
 * a v2 token Consentry issued for the tenant's own API, and refuses one for another audience.
 */
class SpringResourceServerTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static NimbusJwtDecoder decoder;

    @BeforeAll
    static void start() {
        String issuer = server.baseUrl() + "/" + TestTenant.TENANT + "/v2.0";
        RestTemplate rest = new RestTemplate(new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().sslContext(server.sslContext()).build()));
        decoder = NimbusJwtDecoder.withIssuerLocation(issuer).restOperations(rest).build();
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<java.util.List<String>>("aud",
                aud -> aud != null && aud.contains(TestTenant.API.toString()));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer), audience));
    }


    private static String token(String scope) throws Exception {
        ConfidentialClientApplication app = ConfidentialClientApplication.builder(TestTenant.DAEMON.toString(),
                        ClientCredentialFactory.createFromSecret(TestTenant.DAEMON_SECRET))
                .authority(server.authority(TestTenant.TENANT.toString()))
                .instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory())
                .build();
        return app.acquireToken(ClientCredentialParameters.builder(Set.of(scope)).build()).get().accessToken();
    }

    @Test
    void validatesV2TokenForTheTenantsApi() throws Exception {
        Jwt jwt = decoder.decode(token("api://" + TestTenant.API + "/.default"));

        assertThat(jwt.getAudience()).containsExactly(TestTenant.API.toString());
        assertThat(jwt.getIssuer().toString()).isEqualTo(server.baseUrl() + "/" + TestTenant.TENANT + "/v2.0");
        assertThat(jwt.getClaimAsString("azp")).isEqualTo(TestTenant.DAEMON.toString());
        assertThat(jwt.getClaimAsStringList("roles")).containsExactly("Orders.Read.All");
    }

    @Test
    void refusesTokenMintedForAnotherResource() throws Exception {
        String graphToken = token("https://graph.microsoft.com/.default");

        assertThatThrownBy(() -> decoder.decode(graphToken)).isInstanceOf(JwtValidationException.class);
    }
}
