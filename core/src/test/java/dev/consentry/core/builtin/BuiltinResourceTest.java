package dev.consentry.core.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The names a token's audience may give Microsoft Graph: its identifier URIs and app id, in any case, one slash. */
class BuiltinResourceTest {
    @ParameterizedTest
    @ValueSource(strings = {"https://graph.microsoft.com", "https://graph.microsoft.com/", "HTTPS://Graph.Microsoft.com",
        "00000003-0000-0000-c000-000000000000", "00000003-0000-0000-C000-000000000000"})
    void graphAnswersToItsNamesAndItsAppId(String name) {
        assertThat(BuiltinResources.graph().matchesName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://graph.microsoft.com.example", "https://graph.microsoft.com//", "graph.microsoft.com",
        "00000003-0000-0000-c000-000000000001", "00000002-0000-0000-c000-000000000000", ""})
    void nothingElseNamesGraph(String name) {
        assertThat(BuiltinResources.graph().matchesName(name)).isFalse();
    }
}
