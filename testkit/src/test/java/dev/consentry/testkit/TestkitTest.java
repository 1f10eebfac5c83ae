package dev.consentry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fixtures do what their Javadoc says: clocks move only when told, tokens carry only what was set. */
class TestkitTest {
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aStillClockMovesOnlyWhenSetOrAdvanced() {
        MutableClock clock = MutableClock.at(T0);
        assertThat(clock.instant()).isEqualTo(T0);
        assertThat(clock.advance(Duration.ofMinutes(10))).isEqualTo(T0.plusSeconds(600));
        clock.set(T0);
        assertThat(clock.withZone(java.time.ZoneId.of("Europe/Paris")).instant()).isEqualTo(T0);
    }

    @Test
    void aTickingClockFollowsTheSystemClockWithItsOffset() {
        MutableClock clock = MutableClock.ticking();
        clock.advance(Duration.ofDays(90));
        assertThat(clock.instant()).isAfter(Instant.now().plus(Duration.ofDays(89)));
        clock.reset();
        assertThat(Duration.between(Instant.now(), clock.instant()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void aTokenCarriesWhatItsBuilderSetAndIsSignedWithTheKey() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String token = TestTokens.signedWith(key).delegated().tenant(TestTenants.FABRIKAM).aud("https://graph.microsoft.com")
                .oid("u1").scp("User.Read", "Mail.Read").at(MutableClock.at(T0)).sign();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("k1");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("https://sts.windows.net/" + TestTenants.FABRIKAM + "/");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scp")).isEqualTo("User.Read Mail.Read");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(T0.plus(TestTokens.DEFAULT_LIFETIME));
        assertThat(jwt.getJWTClaimsSet().getClaim("roles")).isNull();

        MutableClock clock = MutableClock.at(T0);
        var endsNow = SignedJWT.parse(TestTokens.signedWith(key).appOnly().roles("Orders.Read.All").issuedAt(clock)
                .expiresAt(clock).sign()).getJWTClaimsSet();
        assertThat(endsNow.getExpirationTime().toInstant()).isEqualTo(T0).isEqualTo(endsNow.getIssueTime().toInstant());
        assertThat(endsNow.getStringListClaim("roles")).containsExactly("Orders.Read.All");
    }

    @Test
    void hiddenFieldsAndTheFormActionAreReadUnescaped() {
        String html = "<form method=\"post\" action=\"/t/login?a=1&amp;b=2\"><input type=\"hidden\" name=\"csrf\" value=\"x&#39;y\">"
                + "<input name=\"username\" type=\"text\"><input type=\"hidden\" name=\"step\" value=\"password\"></form>";
        assertThat(HtmlForms.hiddenFields(html)).containsExactly(Map.entry("csrf", "x'y"), Map.entry("step", "password"));
        assertThat(HtmlForms.formAction(html)).contains("/t/login?a=1&b=2");
        assertThat(HtmlForms.redirectParameters("https://app/cb?code=a%2Bb&state=s#x=1")).containsExactly(Map.entry("x", "1"));
        assertThat(HtmlForms.parameters(HtmlForms.encode(Map.of("k", "a b&c")))).containsExactly(Map.entry("k", "a b&c"));
    }

    @Test
    void aBuiltTenantHoldsWhatWasAdded() {
        var d = TestTenants.contoso().withUser(TestTenants.user(dev.consentry.core.id.ObjectId.random(), "adele@contoso.com"))
                .withDomain("contoso.com").build();
        assertThat(d.id()).isEqualTo(TestTenants.CONTOSO);
        assertThat(d.verifiedDomains()).extracting(v -> v.name()).containsExactly(TestTenants.CONTOSO_DOMAIN, "contoso.com");
        assertThat(d.users()).singleElement().satisfies(u -> assertThat(u.displayName()).isEqualTo("adele"));
    }
}
