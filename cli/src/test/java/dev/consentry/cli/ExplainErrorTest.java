package dev.consentry.cli;

import static dev.consentry.cli.CommandLineTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.cli.CommandLineTest.Run;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code consentry explain --error}, run in-process: answers of the real Graph and token service, as users paste them
 * (a JSON body, a whole HTTP response, standard input, headers given apart), read back to their cause and fix, with the
 * exit codes scripts read.
 */
class ExplainErrorTest {
    static final String EXPIRED_2022 = "{\"error\":{\"code\":\"InvalidAuthenticationToken\","
            + "\"message\":\"Access token has expired or is not yet valid.\",\"innerError\":{\"date\":\"2022-09-23T10:00:00\"}}}";
    static final String INSUFFICIENT = "{\"error\":{\"code\":\"Authorization_RequestDenied\","
            + "\"message\":\"Insufficient privileges to complete the operation.\"}}";

    @TempDir
    Path dir;

    Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void aLegacyGraphMessageNamesTheCauseTodaysFormAndTheFix() throws Exception {
        Run r = run("explain", "--error", file("expired.json", EXPIRED_2022).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Recognised: InvalidAuthenticationToken: \"Access token has expired or is not yet valid.\"")
                .contains("This is an older form; today the service answers InvalidAuthenticationToken: "
                        + "\"Lifetime validation failed, the token is expired.\"")
                .contains("Possible causes, most likely first:").contains("1. token-expired (401 InvalidAuthenticationToken)")
                .contains("2. token-not-yet-valid").contains("Why: The token expired (<problem>)").contains("Fix: ")
                .contains("Note: ").doesNotContain("{problem}");
    }

    @Test
    void jsonListsEveryCandidateMostLikelyFirstWithStableFields() throws Exception {
        Run r = run("explain", "--error", file("403.json", INSUFFICIENT).toString(), "--output", "json", "GET", "/v1.0/users");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("recognised").asBoolean()).isTrue();
        assertThat(json.path("currentForm").asBoolean()).isTrue();
        assertThat(json.path("todaysForm").asText()).isEqualTo(json.path("matchedForm").asText());
        assertThat(json.path("note").asText()).contains("directory role");
        assertThat(json.path("causes")).hasSize(11);
        JsonNode first = json.path("causes").get(0);
        assertThat(first.path("slug").asText()).isEqualTo("permission-not-held");
        assertThat(first.path("channel").asText()).isEqualTo("graph");
        assertThat(first.path("status").asInt()).isEqualTo(403);
        assertThat(first.path("error").asText()).isEqualTo("Authorization_RequestDenied");
        assertThat(first.path("explanation").asText()).contains("<method> <route>");
        assertThat(first.has("fix")).isTrue();
        assertThat(first.has("aadsts")).isFalse();
        JsonNode mismatch = json.path("causes").get(4);
        assertThat(mismatch.path("slug").asText()).isEqualTo("permission-type-mismatch");
        assertThat(mismatch.path("fix").asText()).contains("explain --token"); // its fix is decided per call
    }

    @Test
    void aRawHttpResponseIsReadWithItsStatusAndClaimsChallenge() throws Exception {
        String claims = Base64.getEncoder().encodeToString(
                "{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}".getBytes(StandardCharsets.UTF_8));
        Path raw = file("response.txt", "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                + "WWW-Authenticate: Bearer realm=\"\", error=\"insufficient_claims\", claims=\"" + claims + "\"\r\n\r\n"
                + "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Exception of type "
                + "'Microsoft.Graph.AGS.Contracts.ClaimsChallengeRequiredException' was thrown.\"}}\r\n");
        Run r = run("explain", "--error", raw.toString(), "--output", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("observedStatus").asInt()).isEqualTo(401);
        assertThat(json.path("causes").get(0).path("slug").asText()).isEqualTo("auth-context-required");
        assertThat(json.path("note").asText()).contains("c1").contains("acrs");
    }

    @Test
    void aHeaderGivenApartJoinsTheBody() throws Exception {
        Path body = file("cae.json", "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Continuous access "
                + "evaluation resulted in challenge with result: InteractionRequired and code: TokenCreatedWithOutdatedPolicies\"}}");
        Run r = run("explain", "--error", body.toString(), "--status", "401", "--header",
                "WWW-Authenticate: Bearer error=\"insufficient_claims\", errorDescription=\"Continuous access evaluation "
                        + "resulted in challenge with result: InteractionRequired and code: LocationConditionEvaluationSatisfied\"");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("cae-location-challenge").contains("A claims challenge");
    }

    @Test
    void standardInputCarriesATokenServiceErrorWithAnOldNumber() throws Exception {
        InputStream before = System.in;
        try {
            System.setIn(new ByteArrayInputStream(("{\"error\":\"invalid_request\",\"error_description\":\"AADSTS90130: "
                    + "Application 'x' (Test) is not supported over the /common or /consumers endpoints.\\r\\nTrace ID: 1\","
                    + "\"error_codes\":[90130]}").getBytes(StandardCharsets.UTF_8)));
            Run r = run("explain", "--error", "-");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("tenant-required-for-flow (400 invalid_request, AADSTS9001023)")
                    .contains("today the service answers AADSTS9001023").contains("AADSTS90130 is an old number");
            System.setIn(new ByteArrayInputStream(new byte[0]));
            Run empty = run("explain", "--error", "-");
            assertThat(empty.exit()).isEqualTo(2);
            assertThat(empty.err()).contains("standard input: there is nothing to read");
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void anAnswerWithoutACauseExitsOneAndSaysWhy() throws Exception {
        Run r = run("explain", "--error", file("mfa.json", "{\"error\":\"interaction_required\",\"error_description\":"
                + "\"AADSTS50158: External security challenge not satisfied.\",\"error_codes\":[50158]}").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Not recognised: AADSTS50158 is not in Consentry's catalogue");
        Run json = run("explain", "--error", file("mfa.json", "{\"error\":{\"code\":\"Nope\",\"message\":\"New.\"}}").toString(),
                "--output", "json");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(json.out()).path("why").asText()).contains("Nope");
    }

    @Test
    void anAnswerKnownWithoutACatalogueCauseIsRecognisedWithANote() throws Exception {
        Run r = run("explain", "--error", file("429.json",
                "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Too many requests.\"}}").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Consentry's catalogue has no cause for this answer.").contains("Retry-After");
    }

    @Test
    void usageErrorsExitTwoWithOneLineAndNoStackTrace() throws Exception {
        Path ok = file("ok.json", INSUFFICIENT);
        Run both = run("explain", "--token", "x", "--error", ok.toString(), "GET", "/v1.0/me");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("exactly one of --token");
        assertThat(run("explain").exit()).isEqualTo(2);
        Run missing = run("explain", "--error", dir.resolve("absent.json").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read");
        Run text = run("explain", "--error", file("plain.txt", "Something went wrong").toString());
        assertThat(text.exit()).isEqualTo(2);
        assertThat(text.err()).contains("not JSON and the input is not an HTTP response");
        Run big = run("explain", "--error", file("big.json", "{\"a\":\"" + "x".repeat(1024 * 1024) + "\"}").toString());
        assertThat(big.exit()).isEqualTo(2);
        assertThat(big.err()).contains("more than 1 MB");
        Run header = run("explain", "--error", ok.toString(), "--header", "no colon");
        assertThat(header.exit()).isEqualTo(2);
        assertThat(header.err()).contains("is not a header");
        Run statusLine = run("explain", "--error", file("bad.http", "HTTP/1.1 nope\n\n{}").toString());
        assertThat(statusLine.exit()).isEqualTo(2);
        assertThat(statusLine.err()).contains("is not an HTTP status line");
        Run noCall = run("explain", "--token", "x");
        assertThat(noCall.exit()).isEqualTo(2);
        assertThat(noCall.err()).contains("METHOD URL");
        Run headerWithToken = run("explain", "--token", "x", "--status", "401", "GET", "/v1.0/me");
        assertThat(headerWithToken.exit()).isEqualTo(2);
        for (Run r : new Run[] {both, missing, text, big, header, statusLine, noCall, headerWithToken}) {
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
