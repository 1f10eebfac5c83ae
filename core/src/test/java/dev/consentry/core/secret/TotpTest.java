package dev.consentry.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

/** RFC 6238's own test vectors (appendix B, SHA-1), the drift window, and the URI an authenticator app scans. */
class TotpTest {
    /** RFC 6238's SHA-1 seed, the ASCII of "12345678901234567890". */
    static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc6238AppendixBVectorsForSha1() {
        assertThat(Totp.code(SEED, 59 / 30, 8)).isEqualTo("94287082");
        assertThat(Totp.code(SEED, 1111111109L / 30, 8)).isEqualTo("07081804");
        assertThat(Totp.code(SEED, 1111111111L / 30, 8)).isEqualTo("14050471");
        assertThat(Totp.code(SEED, 1234567890L / 30, 8)).isEqualTo("89005924");
        assertThat(Totp.code(SEED, 2000000000L / 30, 8)).isEqualTo("69279037");
        assertThat(Totp.code(SEED, 20000000000L / 30, 8)).isEqualTo("65353130");
    }

    @Test
    void aCodeIsAcceptedOneStepEitherSideAndNoFurther() {
        String secret = new Base32().encodeToString(SEED);
        Instant now = Instant.ofEpochSecond(1234567890L);
        long step = Totp.step(now);
        assertThat(Totp.verify(secret, Totp.code(secret, step), now)).hasValue(step);
        assertThat(Totp.verify(secret, Totp.code(secret, step - 1), now)).hasValue(step - 1);
        assertThat(Totp.verify(secret, " " + Totp.code(secret, step + 1) + " ", now)).hasValue(step + 1);
        assertThat(Totp.verify(secret, Totp.code(secret, step + 2), now)).isEmpty();
        assertThat(Totp.verify(secret, "12345", now)).isEmpty();
        assertThat(Totp.verify(secret, "abcdef", now)).isEmpty();
        assertThat(Totp.verify(secret, null, now)).isEmpty();
    }

    @Test
    void newSecretsAre160BitsOfBase32AndTheUriCarriesThem() {
        String secret = Totp.newSecret();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(new Base32().decode(secret)).hasSize(20);
        assertThat(Totp.uri("Consentry (Contoso)", "adele@contoso.com", secret)).isEqualTo("otpauth://totp/Consentry%20%28Contoso%29:"
                + "adele%40contoso.com?secret=" + secret + "&issuer=Consentry%20%28Contoso%29&algorithm=SHA1&digits=6&period=30");
    }
}
