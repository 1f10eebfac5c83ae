package dev.consentry.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.identity.key.Certificates;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.server.tls.TlsMaterial;
import dev.consentry.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys are data with a lifecycle kept in the store: a token issued before a restart verifies after it,
 * the local CA (and so {@code ca.pem}) never changes, and a rotation keeps the previous key published.
 */
class KeyLifecycleTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String issue(RunningConsentry server) throws Exception {
        var r = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", TokenEndpointProtocolTest.form(
                TokenEndpointProtocolTest.daemon("https://graph.microsoft.com/.default")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static boolean verifiesWithPublishedKeys(RunningConsentry server, String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet jwks = JWKSet.parse(server.get("/common/discovery/v2.0/keys").body());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        return key != null && jwt.verify(new RSASSAVerifier(key));
    }

    @Test
    void tokensAndCaSurviveARestartOnTheEmbeddedStore(@TempDir Path dir) throws Exception {
        String token;
        String caBefore;
        try (RunningConsentry first = RunningConsentry.start(JdbcStore.h2File(dir), Clock.systemUTC(), dir)) {
            token = issue(first);
            caBefore = Files.readString(dir.resolve(TlsMaterial.CA_FILE));
        }
        try (RunningConsentry second = RunningConsentry.start(JdbcStore.h2File(dir), Clock.systemUTC(), dir)) {
            assertThat(verifiesWithPublishedKeys(second, token)).as("token from before the restart").isTrue();
            assertThat(Files.readString(dir.resolve(TlsMaterial.CA_FILE))).isEqualTo(caBefore);
            assertThat(second.consentry().caCertificate().getEncoded())
                    .isEqualTo(Certificates.certificateFromPem(caBefore).getEncoded());
            assertThat(SignedJWT.parse(issue(second)).getHeader().getKeyID())
                    .isEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
        }
    }

    @Test
    void rotationSignsWithANewKeyAndKeepsThePreviousOnePublished() throws Exception {
        try (RunningConsentry server = RunningConsentry.start()) {
            String before = issue(server);
            String oldKid = SignedJWT.parse(before).getHeader().getKeyID();

            String newKid = server.consentry().signingKeys().rotate();

            String after = issue(server);
            assertThat(newKid).isNotEqualTo(oldKid);
            assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKid);
            assertThat(verifiesWithPublishedKeys(server, before)).as("previous key still published").isTrue();
            assertThat(verifiesWithPublishedKeys(server, after)).isTrue();
            JWKSet jwks = JWKSet.parse(server.get("/common/discovery/v2.0/keys").body());
            assertThat(jwks.getKeys().get(0).getKeyID()).as("primary first").isEqualTo(newKid);
        }
    }
}
