package dev.consentry.identity.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.FailureException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The claims parameter as MSAL and Entra's challenges write it, and AADSTS50117 for what cannot be read. */
class ClaimsRequestTest {

    static String refused(String value) {
        FailureException e = catchThrowableOfType(FailureException.class, () -> ClaimsRequest.parse(value));
        assertThat(e).as("refused: %s", value).isNotNull();
        assertThat(e.failure().cause()).isEqualTo(Cause.CLAIMS_INVALID);
        return e.failure().explanation();
    }

    @Test
    void readsWhatMsalMergesInAnyOrderAndWhatChallengesCarry() {
        ClaimsRequest merged = ClaimsRequest.parse("{\"access_token\":{\"xms_cc\":{\"values\":[\"cp1\"]},"
                + "\"acrs\":{\"value\":\"c1\",\"essential\":true}}}");
        assertThat(merged.acrs()).containsExactly("c1");
        assertThat(merged.challengeCapable()).isTrue();
        assertThat(ClaimsRequest.parse("{\"access_token\":{\"acrs\":{\"essential\":true,\"values\":[\"c2\",\"c1\",\"c2\"]}}}")
                .acrs()).containsExactly("c2", "c1");
        ClaimsRequest cae = ClaimsRequest.parse("{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"1700000000\"}}}");
        assertThat(cae.notBefore()).contains(Instant.ofEpochSecond(1_700_000_000));
        assertThat(ClaimsRequest.parse("{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\"p1\"]}}}").policyIds())
                .containsExactly("p1");
        assertThat(ClaimsRequest.parse("{\"id_token\":{\"auth_time\":{\"essential\":true}}}")).isEqualTo(ClaimsRequest.NONE);
        assertThat(ClaimsRequest.parse("{\"access_token\":{\"acrs\":null,\"unknown\":{\"x\":1}}}").acrs()).isEmpty();
        assertThat(ClaimsRequest.parse("  ")).isEqualTo(ClaimsRequest.NONE);
        assertThat(ClaimsRequest.parse(null).capabilities()).isEqualTo(Set.of());
    }

    @Test
    void whatCannotBeReadIsAadsts50117NamingTheProblem() {
        assertThat(refused("not json")).contains("not JSON");
        assertThat(refused("[1]")).contains("not a JSON object");
        assertThat(refused("{\"access_token\":\"acrs\"}")).contains("access_token is not an object");
        assertThat(refused("{\"access_token\":{\"acrs\":\"c1\"}}")).contains("acrs is not an object");
        assertThat(refused("{\"access_token\":{\"acrs\":{\"values\":\"c1\"}}}")).contains("values is not an array");
        assertThat(refused("{\"access_token\":{\"acrs\":{\"value\":{\"c\":1}}}}")).contains("other than text");
        assertThat(refused("{\"access_token\":{\"acrs\":{\"value\":\"c100\"}}}")).contains("c100").contains("c1 to c99");
        assertThat(refused("{\"access_token\":{\"acrs\":{\"value\":\"urn:x\"}}}")).contains("not an id from c1 to c99");
        assertThat(refused("{\"access_token\":{\"nbf\":{\"value\":\"soon\"}}}")).contains("nbf");
        assertThat(refused("{\"access_token\":{\"acrs\":{\"value\":\"c1\"}},\"x\":\"" + "y".repeat(9000) + "\"}"))
                .contains("longer than 8192");
        assertThat(List.of(Cause.CLAIMS_INVALID.code(), Cause.CLAIMS_INVALID.error())).containsExactly(50117, "invalid_request");
    }
}
