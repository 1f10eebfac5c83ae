package dev.consentry.graph.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerChallengeTest {
    final BearerChallenge challenge = new BearerChallenge("https://localhost:8443");

    @Test
    void graphsPlainChallengeQuotesEveryValue() {
        assertThat(challenge.plain()).isEqualTo("Bearer realm=\"\", authorization_uri=\"https://localhost:8443/common/oauth2/"
                + "authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
    }

    @Test
    void anErrorCarriesItsDescriptionAndClaims() {
        assertThat(challenge.withError("insufficient_claims", "Claims are needed.", "eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="))
                .startsWith(challenge.plain())
                .endsWith(", error=\"insufficient_claims\", error_description=\"Claims are needed.\", claims=\"eyJhY2Nlc3NfdG9rZW4iOnt9fQ==\"");
        assertThat(challenge.withError("invalid_token", null, null)).endsWith(", error=\"invalid_token\"");
    }

    @Test
    void aDescriptionThatIsNotHeaderSafeFallsBackToAFixedOne() {
        for (String unsafe : new String[] {"a \"quoted\" scope", "back\\slash", "line\nbreak", "caf\u00e9", "x".repeat(301)}) {
            assertThat(challenge.withError("invalid_token", unsafe, null))
                    .endsWith("error_description=\"The access token is not valid.\"");
        }
        assertThat(challenge.withError("invalid_request", "x".repeat(300), null)).contains("x".repeat(300));
    }

    @Test
    void aClaimsValueMustBeBase64() {
        assertThatThrownBy(() -> challenge.withError("insufficient_claims", null, "{\"a\":1}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
