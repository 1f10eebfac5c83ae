package dev.consentry.core.cause;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Invariants of the one catalogue of causes (style guide: "a catalogue test guards invariants"). */
class CauseCatalogueTest {

    @Test
    void slugsAreUniqueAndKebabCase() {
        Set<String> seen = new HashSet<>();
        for (Cause c : Cause.values()) {
            assertThat(c.slug()).matches("[a-z]+(-[a-z0-9]+)*");
            assertThat(seen.add(c.slug())).as("duplicate slug " + c.slug()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Cause.class)
    void publicMessageIsHeaderSafeAsciiAndEndsLikeASentence(Cause c) {
        // Graph's IDX14100 text has a line feed of its own; it goes in the JSON body only, never in a header.
        assertThat(c == Cause.TOKEN_NOT_COMPACT ? c.publicMessageTemplate().replace("\n", " ") : c.publicMessageTemplate())
                .matches("[\\x20-\\x7E]+").doesNotContain("\"");
        // Graph's continuous access evaluation text, verbatim, ends with its code; Entra's 50126 has no full stop today.
        if (c != Cause.CAE_CHALLENGE && c != Cause.CAE_LOCATION_CHALLENGE && c != Cause.PASSWORD_INVALID) {
            assertThat(c.publicMessageTemplate()).endsWith(".");
        }
    }

    @ParameterizedTest
    @EnumSource(Cause.class)
    void wireCodesAreWellFormed(Cause c) {
        if (c.channel() == Cause.Channel.STS) {
            assertThat(c.error()).matches("[a-z_]+");
            assertThat(c.code()).isPositive();
        } else {
            // Graph's codes are PascalCase; the workloads behind it answer in their own (OneDrive's "unauthenticated"), and
            // Consentry's own 501 uses the camelCase "notImplemented" of its other unserved routes
            assertThat(c.error()).matches(c == Cause.DRIVE_NEEDS_USER || c == Cause.ROUTE_WITHOUT_PERMISSION_DATA
                    ? "[a-z][A-Za-z]+" : "[A-Z][A-Za-z_]+");
            assertThat(c.code()).isZero();
            assertThat(c.suberror()).isNull();
        }
        // Only the route Consentry cannot decide is not the caller's error: 501, as for a route it does not serve.
        assertThat(c.status()).isBetween(400, c == Cause.ROUTE_WITHOUT_PERMISSION_DATA ? 501 : 499);
        assertThat(c.explanationTemplate()).isNotBlank();
        assertThat(c.fixTemplate()).isNotBlank();
    }

    @Test
    void invalidClientIsAlways401AndNothingElseIs() {
        for (Cause c : Cause.values()) {
            if (c.channel() == Cause.Channel.GRAPH) {
                continue; // Graph answers 401 for token problems (wire spec, section 6.2)
            }
            if (c.error().equals("invalid_client")) {
                assertThat(c.status()).as(c.name()).isEqualTo(401);
            } else {
                assertThat(c.status()).as(c.name()).isNotEqualTo(401);
            }
        }
    }

    @Test
    void factsFillTemplatesAndMissingOnesSayUnknown() {
        Failure f = Failure.of(Cause.CLIENT_SECRET_INVALID, "clientId", "abc");
        assertThat(f.publicMessage()).contains("'abc'");
        assertThat(f.explanation()).contains("(unknown)");
        assertThat(Cause.CLIENT_SECRET_INVALID.facts()).containsExactly("clientId", "secretCount", "hints");
    }

    @Test
    void factValuesAreNotReadAsRegexReplacements() {
        Failure f = Failure.of(Cause.PARAMETER_MISSING, "parameter", "$1\\x");
        assertThat(f.publicMessage()).contains("'$1\\x'");
    }

    @Test
    void publicMessagesUseOnlyFactsThatAreSafeToShow() {
        // The public text may only carry the names a caller sent or that Entra itself shows.
        Set<String> publicFacts = Set.of("allowed", "method", "limit", "parameter", "grantType", "tenant", "clientId",
                "scope", "resource", "issuedAt", "maxInactive", "redirectUri", "responseType", "responseMode",
                "segment", "appName", "resourceAppId", "state", "reason", "acrs", "issueDate", "lifetime", "username",
                "identityProvider", "tenantName", "currentTime", "validFrom", "expiryTime", "path", "audience");
        // (appName and resourceAppId: Entra's own texts for AADSTS65001 and AADSTS650053 name the app and the resource;
        // state: AADSTS53000 names the device state a policy requires; reason: Graph's continuous access evaluation
        // message names its code; acrs: the context a step-up challenge asks for, which its claims carry anyway;
        // issueDate and lifetime: AADSTS70043 names the refresh token's issue date and the allowed lifetime)
        // (path: the request path the caller sent, in Consentry's own 501 for a route it cannot decide)
        // (audience: AADSTS500131 names the aud of the user assertion the caller sent; appName there and in AADSTS7000112
        // and 50194 is the app's display name, as Entra shows it; currentTime and expiryTime: AADSTS500133 names both)
        // (username, identityProvider and tenantName: AADSTS50020 names the account, where it signs in and the tenant it
        // tried; Entra's public texts for 50034/50126 name no account, and neither do Consentry's)
        Map<Cause, Set<String>> used = Arrays.stream(Cause.values()).collect(Collectors.toMap(c -> c,
                c -> factsIn(c.publicMessageTemplate())));
        used.forEach((c, facts) -> assertThat(publicFacts).as(c.name()).containsAll(facts));
    }

    private static Set<String> factsIn(String template) {
        Set<String> names = new HashSet<>();
        var m = java.util.regex.Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}").matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
