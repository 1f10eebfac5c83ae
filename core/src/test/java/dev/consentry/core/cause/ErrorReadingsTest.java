package dev.consentry.core.cause;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.cause.ErrorReadings.NotRecognised;
import dev.consentry.core.cause.ErrorReadings.Reading;
import dev.consentry.core.cause.ErrorReadings.Recognised;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every answer the real Graph and token service were seen to send ({@code shared/docs/spec/observed-responses.md},
 * beside the repository) is read back to the cause the table below names, section by section, old forms included.
 * A section the table does not name fails the test, so a newly observed answer must be mapped before it passes.
 */
class ErrorReadingsTest {
    /** The section (or {@code section@date}, for one variant) read as no cause of the catalogue. */
    private static final List<String> NOT_RECOGNISED = List.of("(not recognised)");

    private static final List<String> INSUFFICIENT = List.of("permission-not-held", "permission-not-requested",
            "permission-not-consented", "token-predates-consent", "permission-type-mismatch", "user-role-missing",
            "service-principal-role-missing", "no-application-permission", "no-delegated-permission", "app-not-owned", "user-not-licensed");

    /**
     * The expected candidates per section, most likely first; an empty list is an answer recognised without a cause of
     * Consentry's catalogue (the reading's note says what it means); NOT_RECOGNISED is a number or message the
     * catalogue has no cause for.
     */
    static final Map<String, List<String>> EXPECTED = Map.ofEntries(
            Map.entry("graph-no-token", List.of("token-missing")),
            Map.entry("graph-malformed-token", List.of("token-malformed")),
            Map.entry("graph-expired-token", List.of("token-expired")),
            Map.entry("graph-expired-token@2022-09-23", List.of("token-expired", "token-not-yet-valid")),
            Map.entry("graph-expired-token@2023-02-20", List.of("token-expired", "token-not-yet-valid")),
            Map.entry("graph-wrong-audience", List.of("wrong-audience")),
            Map.entry("graph-directory-403", INSUFFICIENT),
            Map.entry("aad-graph-legacy-403", INSUFFICIENT),
            Map.entry("graph-password-reset-app-only", INSUFFICIENT),
            Map.entry("graph-mail-403", INSUFFICIENT.subList(0, 5)),
            Map.entry("graph-sharepoint-403", List.of()), // SharePoint's own permissions: not modelled
            Map.entry("graph-sharepoint-403-legacy", List.of()),
            Map.entry("graph-onedrive-app-only-me-drive", List.of("drive-needs-user")),
            Map.entry("graph-not-licensed-mailbox", List.of("mailbox-not-licensed")),
            Map.entry("graph-not-licensed-mailbox-legacy", List.of("mailbox-not-licensed")),
            Map.entry("graph-not-licensed-spo", List.of("tenant-not-licensed-spo")),
            Map.entry("graph-cae-claims-challenge", List.of("cae-challenge")),
            Map.entry("graph-cae-claims-challenge@2024-12-11", List.of("cae-challenge", "cae-location-challenge", "auth-context-required")),
            Map.entry("graph-cae-claims-challenge@2025-05-14", List.of("cae-location-challenge")),
            Map.entry("graph-not-found", List.of()), // a missing object: not modelled
            Map.entry("graph-unknown-segment", List.of("unknown-path")),
            Map.entry("graph-throttled-429", List.of()), // throttling: not modelled
            Map.entry("graph-msa-unsupported", List.of("personal-account-not-supported")),
            Map.entry("sts-mfa-required-50076", List.of("mfa-required")),
            Map.entry("sts-mfa-enroll-50079", List.of("mfa-registration-required")),
            Map.entry("sts-external-mfa-50158", NOT_RECOGNISED), // external MFA providers: not in the catalogue
            Map.entry("sts-consent-65001", List.of("consent-required")),
            Map.entry("sts-consent-65001-legacy", List.of("consent-required")),
            Map.entry("sts-app-not-found-700016", List.of("client-not-found", "client-not-in-tenant")),
            Map.entry("sts-bad-secret-7000215", List.of("client-secret-invalid")),
            Map.entry("sts-bad-secret-7000215-legacy", List.of("client-secret-invalid")),
            Map.entry("sts-assertion-time-700024", List.of("client-assertion-expired")),
            Map.entry("sts-assertion-time-legacy@2015-07-30", List.of("client-assertion-expired")),
            Map.entry("sts-assertion-time-legacy@2018-10-05", List.of("obo-assertion-expired")),
            Map.entry("sts-redirect-mismatch-50011", List.of("redirect-uri-mismatch")),
            Map.entry("sts-redirect-mismatch-50011-legacy", List.of("redirect-uri-mismatch")),
            Map.entry("sts-malformed-9002313", List.of("refresh-token-invalid")),
            Map.entry("sts-bad-password-50126", List.of("password-invalid")),
            Map.entry("sts-bad-password-50126-legacy", List.of("password-invalid")),
            Map.entry("sts-refresh-expired-700082", List.of("refresh-token-expired")),
            Map.entry("sts-code-or-rt-expired-70008", List.of("authorization-code-expired")),
            Map.entry("sts-code-expired-70000", List.of("authorization-code-expired")),
            Map.entry("sts-code-redeemed-54005", List.of("authorization-code-redeemed")),
            Map.entry("sts-code-redeemed-54005-legacy", List.of("authorization-code-redeemed")),
            Map.entry("sts-invalid-scope-70011", List.of("scope-invalid")),
            Map.entry("sts-invalid-scope-70011@2018-12-19", List.of("scope-missing")),
            Map.entry("sts-invalid-scope-70011@2021-09-16", List.of("scope-invalid", "scope-default-combined")),
            Map.entry("sts-tenant-not-found-90002-legacy", List.of("tenant-not-found")),
            Map.entry("sts-guest-not-in-tenant-50020", List.of("user-not-in-tenant")),
            Map.entry("sts-fic-audience-700212", NOT_RECOGNISED), // workload identity federation: not in the catalogue
            Map.entry("sts-fic-legacy-70021", NOT_RECOGNISED),
            Map.entry("sts-fic-subject-700213", NOT_RECOGNISED),
            Map.entry("sts-grant-on-common-9001023", List.of("tenant-required-for-flow")),
            Map.entry("sts-grant-on-common-legacy-90130", List.of("tenant-required-for-flow")),
            Map.entry("sts-get-on-post-only-900561", List.of("method-not-allowed")),
            Map.entry("sts-obo-app-token-7000114", List.of("obo-app-only-assertion")),
            Map.entry("sts-response-type-70005", List.of("implicit-token-not-enabled")),
            Map.entry("sts-response-type-700051", List.of("implicit-token-not-enabled")),
            Map.entry("sts-response-type-700054", List.of("id-token-not-enabled")),
            Map.entry("sts-bad-request-90023", NOT_RECOGNISED), // Entra's generic refusal; 90023 is Consentry's form token
            Map.entry("sts-device-code-expired-70020", List.of("device-code-expired")),
            Map.entry("sts-device-code-pending-70016", List.of("device-authorization-pending")),
            Map.entry("sts-ca-blocked-53003", List.of("conditional-access-blocked")),
            Map.entry("sts-device-not-managed-530003", List.of("device-not-compliant")),
            Map.entry("sts-device-not-managed-legacy-53000", List.of("device-not-compliant")),
            Map.entry("sts-pkce-50148", List.of("pkce-mismatch")),
            Map.entry("sts-pkce-501481", List.of("pkce-mismatch")),
            Map.entry("sts-spa-cross-origin-9002327", List.of("spa-redemption-not-cross-origin")),
            Map.entry("sts-cross-origin-non-spa-9002326", List.of("cross-origin-not-spa")),
            Map.entry("sts-cross-origin-non-spa-legacy-90023", List.of("cross-origin-not-spa")),
            Map.entry("sts-confidential-no-secret-7000218", List.of("client-credential-missing")),
            Map.entry("sts-confidential-no-secret-legacy-70002", List.of("client-credential-missing")),
            Map.entry("sts-msa-v1-endpoint-90027", NOT_RECOGNISED), // v1.0 endpoint with personal accounts: not modelled
            Map.entry("sts-self-token-90009", NOT_RECOGNISED), // a token for itself by URI: not modelled
            Map.entry("sts-saml-realm-50107", NOT_RECOGNISED)); // SAML federation realms: not modelled

    /** Variants the real service no longer sends in that form (besides every section whose name has {@code -legacy}). */
    static final Set<String> OLD_FORMS = Set.of("graph-malformed-token", "graph-expired-token@2018-08-02",
            "graph-expired-token@2022-09-23", "graph-expired-token@2023-02-20", "graph-cae-claims-challenge@2024-12-11",
            "sts-response-type-70005", "sts-pkce-50148", "sts-assertion-time-legacy");

    /** One {@code - date, ...: "message"} line of the observed responses, with its WWW-Authenticate sub-line. */
    record Variant(String section, boolean sts, String date, Integer status, String code, Integer aadsts, String message,
                   String wwwAuthenticate) {
        String key() {
            return section + "@" + date;
        }

        ObservedError observed() {
            ObjectMapper m = new ObjectMapper();
            ObjectNode body = m.createObjectNode();
            if (sts) {
                if (code != null) {
                    body.put("error", code);
                }
                body.put("error_description", "AADSTS" + aadsts + ": " + message);
                body.putArray("error_codes").add(aadsts);
            } else if (message != null) {
                ObjectNode error = body.putObject("error");
                if (code != null) {
                    error.put("code", code);
                }
                error.put("message", message);
            }
            ObservedError o = ObservedError.ofBody(message == null ? "" : body.toString());
            o = status == null ? o : o.withStatus(status);
            return wwwAuthenticate == null ? o : o.withHeader("WWW-Authenticate", wwwAuthenticate);
        }
    }

    private static final Pattern VARIANT = Pattern.compile("^- ([^,:]+)(.*?)(?::\\s*\"(.*)\")?$");
    private static final Pattern CODE = Pattern.compile("(?<!suberror )`([^`]+)`");

    static List<Variant> variants() throws IOException {
        List<Variant> out = new ArrayList<>();
        String section = null;
        boolean sts = false;
        for (String line : Files.readAllLines(observedResponses(), StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                sts = line.contains("token service");
            } else if (line.startsWith("### ")) {
                section = line.substring(4).strip();
            } else if (line.startsWith("- ") && section != null) {
                Matcher v = VARIANT.matcher(line);
                assertThat(v.matches()).as(line).isTrue();
                String meta = v.group(2);
                Matcher status = Pattern.compile("HTTP (\\d{3})").matcher(meta);
                Matcher code = CODE.matcher(meta);
                Matcher aadsts = Pattern.compile("AADSTS(\\d+)").matcher(meta);
                out.add(new Variant(section, sts, v.group(1).strip(), status.find() ? Integer.valueOf(status.group(1)) : null,
                        code.find() ? code.group(1) : null, aadsts.find() ? Integer.valueOf(aadsts.group(1)) : null,
                        v.group(3), null));
            } else if (line.startsWith("  - WWW-Authenticate:") && !out.isEmpty()) {
                Variant last = out.remove(out.size() - 1);
                String value = line.substring(line.indexOf(':') + 1).strip().replaceAll("^`|`$", "");
                out.add(new Variant(last.section(), last.sts(), last.date(), last.status(), last.code(), last.aadsts(),
                        last.message(), value));
            }
        }
        return out;
    }

    /** Found by walking up from the working directory, as the other shared-data tests do; missing fails the test. */
    static Path observedResponses() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("shared/docs/spec/observed-responses.md");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("shared/docs/spec/observed-responses.md is not beside the repository");
    }

    @Test
    void everyObservedVariantReadsAsItsSectionsCause() throws IOException {
        List<Variant> variants = variants();
        assertThat(variants).hasSizeGreaterThan(100);
        Map<String, String> failures = new HashMap<>();
        for (Variant v : variants) {
            assertThat(v.message() != null || v.wwwAuthenticate() != null).as(v.key() + " has neither message nor header").isTrue();
            if (v.sts()) {
                assertThat(v.aadsts()).as(v.key() + " has no AADSTS number").isNotNull();
            }
            List<String> expected = EXPECTED.getOrDefault(v.key(), EXPECTED.get(v.section()));
            assertThat(expected).as("section " + v.section() + " is not in the test's table: map it").isNotNull();
            Reading reading = ErrorReadings.read(v.observed());
            List<String> actual = switch (reading) {
                case Recognised r -> r.candidates().stream().map(Cause::slug).toList();
                case NotRecognised n -> NOT_RECOGNISED;
            };
            if (!actual.equals(expected)) {
                failures.put(v.key(), "expected " + expected + ", read " + actual + " (" + reading + ")");
            }
            if (reading instanceof Recognised r) {
                // aad-graph-legacy-403 is the legacy API (Azure AD Graph) answering in Graph's current words
                boolean old = (v.section().contains("-legacy") && !v.section().equals("aad-graph-legacy-403"))
                        || OLD_FORMS.contains(v.section()) || OLD_FORMS.contains(v.key());
                if (r.currentForm() == old) {
                    failures.put(v.key() + " form", "expected currentForm " + !old + " (" + r + ")");
                }
                assertThat(r.currentForm() ? r.todaysForm() : "").isEqualTo(r.currentForm() ? r.matchedForm() : "");
                if (r.candidates().size() != 1) {
                    assertThat(r.note()).as(v.key() + ": several or no candidates need a note").isNotBlank();
                }
            } else {
                assertThat(((NotRecognised) reading).why()).isNotBlank();
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theTableNamesEverySectionAndNoOther() throws IOException {
        Set<String> sections = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        variants().forEach(v -> {
            sections.add(v.section());
            keys.add(v.key());
        });
        for (String key : EXPECTED.keySet()) {
            assertThat(key.contains("@") ? keys : sections).as("stale table entry " + key).contains(key);
        }
        for (String section : sections) {
            assertThat(EXPECTED.keySet().stream().anyMatch(k -> k.equals(section) || k.startsWith(section + "@")))
                    .as(section).isTrue();
        }
        assertThat(OLD_FORMS).allMatch(k -> keys.contains(k) || sections.contains(k));
    }

    @Test
    void theInsufficientPrivilegesListCoversEveryCauseWithThatMessage() {
        List<Cause> withMessage = Stream.of(Cause.values())
                .filter(c -> c.publicMessageTemplate().equals("Insufficient privileges to complete the operation.")).toList();
        assertThat(ErrorReadings.INSUFFICIENT_PRIVILEGES).containsExactlyInAnyOrderElementsOf(withMessage);
    }

    @Test
    void anOldNumberNamesTheNumberThatReplacedItAndTodaysForm() {
        Recognised r = (Recognised) ErrorReadings.read(ObservedError.ofBody("{\"error\":\"invalid_request\",\"error_description\":"
                + "\"AADSTS90130: Application 'x' (Test) is not supported over the /common or /consumers endpoints.\\r\\nTrace ID: 1\"}"));
        assertThat(r.candidates()).containsExactly(Cause.TENANT_REQUIRED_FOR_FLOW);
        assertThat(r.currentForm()).isFalse();
        assertThat(r.todaysForm()).startsWith("AADSTS9001023: \"The grant type is not supported over the /common");
        assertThat(r.matchedForm()).doesNotContain("Trace ID");
        assertThat(r.note()).contains("AADSTS90130").contains("AADSTS9001023");
    }

    @Test
    void aNumberOutsideTheCatalogueIsNamedInTheReason() {
        Reading r = ErrorReadings.read(ObservedError.ofBody("{\"error\":\"invalid_request\",\"error_codes\":[90027],"
                + "\"error_description\":\"We are unable to issue tokens from this API version on the MSA tenant.\"}"));
        assertThat(r).isInstanceOfSatisfying(NotRecognised.class, n -> assertThat(n.why()).contains("AADSTS90027"));
    }

    @Test
    void aClaimsChallengeWithAcrsAsksForTheAuthenticationContext() {
        String claims = Base64.getEncoder().encodeToString(
                "{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}".getBytes(StandardCharsets.UTF_8));
        Reading r = ErrorReadings.read(ObservedError.ofBody("").withHeader("www-authenticate",
                "Bearer realm=\"\", error=\"insufficient_claims\", claims=\"" + claims + "\""));
        assertThat(r).isInstanceOfSatisfying(Recognised.class, rec -> {
            assertThat(rec.candidates()).containsExactly(Cause.AUTH_CONTEXT_REQUIRED, Cause.CAE_CHALLENGE);
            assertThat(rec.note()).contains("c1").contains("acrs");
        });
        Reading location = ErrorReadings.read(ObservedError.ofBody("").withHeader("WWW-Authenticate",
                "Bearer error=\"insufficient_claims\", errorDescription=\"... code: LocationConditionEvaluationSatisfied\", claims=\"%%%\""));
        assertThat(location).isInstanceOfSatisfying(Recognised.class, rec -> {
            assertThat(rec.candidates()).containsExactly(Cause.CAE_LOCATION_CHALLENGE);
            assertThat(rec.note()).contains("could not be read");
        });
    }

    @Test
    void consentrysOwnGraphAnswersAreRecognisedToo() {
        Reading r = ErrorReadings.read(ObservedError.ofBody(
                "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token validation failure. Invalid issuer.\"}}"));
        assertThat(r).isInstanceOfSatisfying(Recognised.class,
                rec -> assertThat(rec.candidates()).containsExactly(Cause.TOKEN_ISSUER_UNTRUSTED));
    }

    @Test
    void badInputsAreRefusedWithAReason() {
        assertThatThrownBy(() -> ErrorReadings.read(ObservedError.ofBody("not json"))).isInstanceOf(ObservedError.Unreadable.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ErrorReadings.read(ObservedError.ofBody("[1]"))).isInstanceOf(ObservedError.Unreadable.class);
        assertThatThrownBy(() -> ErrorReadings.read(ObservedError.ofBody("  "))).isInstanceOf(ObservedError.Unreadable.class)
                .hasMessageContaining("nothing to read");
        assertThatThrownBy(() -> ObservedError.parse("HTTP/1.1 teapot\n\n{}")).isInstanceOf(ObservedError.Unreadable.class);
        assertThatThrownBy(() -> ObservedError.headerLine("no colon here")).isInstanceOf(ObservedError.Unreadable.class);
        assertThat(ErrorReadings.read(ObservedError.ofBody("{\"value\":[]}"))).isInstanceOf(NotRecognised.class);
        assertThat(ErrorReadings.read(ObservedError.ofBody("{\"error\":\"invalid_grant\"}")))
                .isInstanceOfSatisfying(NotRecognised.class, n -> assertThat(n.why()).contains("no AADSTS number"));
        assertThat(ErrorReadings.read(ObservedError.ofBody("{\"error\":{\"code\":\"Whatever\",\"message\":\"Something new.\"}}")))
                .isInstanceOfSatisfying(NotRecognised.class, n -> assertThat(n.why()).contains("Whatever"));
        assertThat(ErrorReadings.read(ObservedError.ofBody("").withHeader("WWW-Authenticate", "Bearer realm=\"\"")))
                .isInstanceOf(NotRecognised.class);
    }

    @Test
    void aRawHttpResponseGivesStatusHeadersAndBody() {
        ObservedError o = ObservedError.parse("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                + "www-authenticate: Bearer realm=\"\"\r\n\r\n{\"error\":{\"code\":\"InvalidAuthenticationToken\","
                + "\"message\":\"Access token is empty.\"}}\r\n");
        assertThat(o.status()).hasValue(401);
        assertThat(o.header("WWW-Authenticate")).hasValue("Bearer realm=\"\"");
        assertThat(ErrorReadings.read(o)).isInstanceOfSatisfying(Recognised.class,
                r -> assertThat(r.candidates()).containsExactly(Cause.TOKEN_MISSING));
    }
}
