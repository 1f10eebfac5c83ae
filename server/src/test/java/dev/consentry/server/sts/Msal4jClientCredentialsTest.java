package dev.consentry.server.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The foundation issue's acceptance: a real MSAL4J {@code ConfidentialClientApplication}, built with
 * {@code instanceDiscovery(false)} as any non-Microsoft host needs, gets a Microsoft Graph token from a
 * running Consentry with a client secret and with a certificate, and sees Entra's error codes.
 */
class Msal4jClientCredentialsTest {
    static final Set<String> GRAPH_DEFAULT = Set.of("https://graph.microsoft.com/.default");
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();



    private ConfidentialClientApplication app(String clientId, IClientCredential credential, String tenant) throws Exception {
        return ConfidentialClientApplication.builder(clientId, credential)
                .authority(server.authority(tenant))
                .instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory())
                .build();
    }

    private IAuthenticationResult acquire(ConfidentialClientApplication app, Set<String> scopes) throws Exception {
        return app.acquireToken(ClientCredentialParameters.builder(scopes).build()).get();
    }

    /** The token's claims, after checking its signature against the published JWKS. */
    private JWTClaimsSet verified(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet jwks = JWKSet.parse(server.get("/" + TestTenant.TENANT + "/discovery/v2.0/keys").body());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the token's kid is published").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).as("signature verifies with the JWKS key").isTrue();
        return jwt.getJWTClaimsSet();
    }

    @Test
    void daemonGetsGraphTokenWithClientSecret() throws Exception {
        IAuthenticationResult result = acquire(app(TestTenant.DAEMON.toString(),
                ClientCredentialFactory.createFromSecret(TestTenant.DAEMON_SECRET), TestTenant.TENANT.toString()), GRAPH_DEFAULT);

        JWTClaimsSet claims = verified(result.accessToken());
        assertThat(claims.getAudience()).containsExactly("https://graph.microsoft.com");
        assertThat(claims.getIssuer()).isEqualTo("https://sts.windows.net/" + TestTenant.TENANT + "/");
        assertThat(claims.getStringClaim("ver")).isEqualTo("1.0");
        assertThat(claims.getStringClaim("appid")).isEqualTo(TestTenant.DAEMON.toString());
        assertThat(claims.getStringClaim("appidacr")).isEqualTo("1");
        assertThat(claims.getStringClaim("idtyp")).isEqualTo("app");
        assertThat(claims.getStringClaim("tid")).isEqualTo(TestTenant.TENANT.toString());
        assertThat(claims.getStringClaim("oid")).isEqualTo(TestTenant.DAEMON_SP.toString());
        assertThat(claims.getSubject()).isEqualTo(TestTenant.DAEMON_SP.toString());
        assertThat(claims.getStringListClaim("roles")).containsExactly("User.Read.All");
        assertThat(claims.getClaim("scp")).isNull();
        assertThat(result.expiresOnDate()).isAfter(new java.util.Date());
    }

    @Test
    void certificateAppGetsGraphTokenWithClientAssertion() throws Exception {
        IAuthenticationResult result = acquire(app(TestTenant.CERT_APP.toString(),
                ClientCredentialFactory.createFromCertificate(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT),
                TestTenant.DOMAIN), GRAPH_DEFAULT);

        JWTClaimsSet claims = verified(result.accessToken());
        assertThat(claims.getStringClaim("appid")).isEqualTo(TestTenant.CERT_APP.toString());
        assertThat(claims.getStringClaim("appidacr")).as("2 = certificate").isEqualTo("2");
        assertThat(claims.getStringClaim("tid")).as("asked by domain, issued for the GUID").isEqualTo(TestTenant.TENANT.toString());
        assertThat(claims.getStringListClaim("roles")).containsExactly("User.Read.All");
    }

    @Test
    void customApiGetsV2TokenWithItsAppRole() throws Exception {
        IAuthenticationResult result = acquire(app(TestTenant.DAEMON.toString(),
                ClientCredentialFactory.createFromSecret(TestTenant.DAEMON_SECRET), TestTenant.TENANT.toString()),
                Set.of("api://" + TestTenant.API + "/.default"));

        JWTClaimsSet claims = verified(result.accessToken());
        assertThat(claims.getStringClaim("ver")).isEqualTo("2.0");
        assertThat(claims.getAudience()).containsExactly(TestTenant.API.toString());
        assertThat(claims.getIssuer()).isEqualTo(server.baseUrl() + "/" + TestTenant.TENANT + "/v2.0");
        assertThat(claims.getStringClaim("azp")).isEqualTo(TestTenant.DAEMON.toString());
        assertThat(claims.getStringClaim("azpacr")).isEqualTo("1");
        assertThat(claims.getStringListClaim("roles")).containsExactly("Orders.Read.All");
    }

    @Test
    void aRoleForUsersOnlyNeverReachesAnAppOnlyToken() throws Exception {
        // A store can hold what the tenant file refuses (written by an older version, or directly): a role whose
        // allowedMemberTypes lacks "Application", assigned to the web app's service principal beside a real one.
        UUID approve = UUID.fromString("33333333-0000-4000-8000-0000000000a1");
        var store = server.consentry().store();
        ServicePrincipal api = store.servicePrincipals().find(TestTenant.TENANT, TestTenant.API_SP).orElseThrow();
        List<AppRole> roles = new ArrayList<>(api.appRoles());
        roles.add(new AppRole(approve, "Orders.Approve", "Approve orders", "Approve orders", List.of("User"), true));
        store.servicePrincipals().save(TestTenant.TENANT, new ServicePrincipal(api.id(), api.appId(), api.displayName(),
                api.accountEnabled(), api.servicePrincipalType(), api.appOwnerOrganizationId(), api.appRoleAssignmentRequired(),
                api.servicePrincipalNames(), roles, api.oauth2PermissionScopes(), api.additionalProperties()));
        for (UUID role : List.of(approve, TestTenant.ORDERS_READ_ALL)) {
            store.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.WEB_APP_SP,
                    "ServicePrincipal", TestTenant.API_SP, role, Instant.now(), null));
        }

        IAuthenticationResult result = acquire(app(TestTenant.WEB_APP.toString(),
                ClientCredentialFactory.createFromSecret(TestTenant.WEB_SECRET), TestTenant.TENANT.toString()),
                Set.of("api://" + TestTenant.API + "/.default"));

        assertThat(verified(result.accessToken()).getStringListClaim("roles")).containsExactly("Orders.Read.All");
    }

    @Test
    void appWithoutAssignedRolesGetsTokenWithoutRoles() throws Exception {
        IAuthenticationResult result = acquire(app(TestTenant.CERT_APP.toString(),
                ClientCredentialFactory.createFromCertificate(TestTenant.CERT_KEYS.getPrivate(), TestTenant.CERT),
                TestTenant.TENANT.toString()), Set.of("api://" + TestTenant.API + "/.default"));

        assertThat(verified(result.accessToken()).getClaim("roles")).as("Entra omits roles when none is assigned").isNull();
    }

    @Test
    void badSecretSurfacesAsInvalidClientWithAadsts7000215() throws Exception {
        MsalServiceException e = serviceException(app(TestTenant.DAEMON.toString(),
                ClientCredentialFactory.createFromSecret("not-the-secret"), TestTenant.TENANT.toString()), GRAPH_DEFAULT);

        assertThat(e.errorCode()).isEqualTo("invalid_client");
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.getMessage()).startsWith("AADSTS7000215:");
    }

    @Test
    void nonDefaultScopeSurfacesAsInvalidScopeWithAadsts1002012() throws Exception {
        MsalServiceException e = serviceException(app(TestTenant.DAEMON.toString(),
                ClientCredentialFactory.createFromSecret(TestTenant.DAEMON_SECRET), TestTenant.TENANT.toString()),
                Set.of("https://graph.microsoft.com/User.Read"));

        assertThat(e.errorCode()).isEqualTo("invalid_scope");
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("AADSTS1002012:");
    }

    @Test
    void unknownTenantSurfacesAsAadsts90002() throws Exception {
        MsalServiceException e = serviceException(app(TestTenant.DAEMON.toString(),
                ClientCredentialFactory.createFromSecret(TestTenant.DAEMON_SECRET), "nobody.onmicrosoft.com"), GRAPH_DEFAULT);

        assertThat(e.errorCode()).isEqualTo("invalid_request");
        assertThat(e.getMessage()).startsWith("AADSTS90002:");
    }

    private MsalServiceException serviceException(ConfidentialClientApplication app, Set<String> scopes) {
        Throwable t = catchThrowable(() -> acquire(app, scopes));
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MsalServiceException.class);
        return (MsalServiceException) t.getCause();
    }
}
