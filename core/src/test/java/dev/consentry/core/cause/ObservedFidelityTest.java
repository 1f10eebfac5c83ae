package dev.consentry.core.cause;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.ErrorReadingsTest.Variant;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fidelity suite's pin on texts: for every scenario of {@code observed-responses.md} that one cause of the catalogue
 * reproduces, the cause answers with the newest form the real service was seen to send (the last variant of the
 * section that is not an old form): the same error code, AADSTS number and status where the report gives them, and a
 * public message that is that message with the cause's facts in place of the reporter's ids and names. A change of
 * text is then a deliberate change of this file's expectations.
 */
class ObservedFidelityTest {
    private static final Pattern FACT = Pattern.compile("\\{[A-Za-z][A-Za-z0-9]*}");

    /**
     * Forms newer than the file's newest, found since in public reports (date and source): the catalogue answers these,
     * and the file's form is an older one.
     */
    static final Map<String, String> FOUND_SINCE = Map.of(
            "sts-device-code-pending-70016", "OAuth 2.0 device flow error. Authorization is pending. Continue polling."
                    + " | 2025-11-10 | github.com/toblum/ESPTeamsPresence/issues/49");

    /** Sections whose scenario is not the one the cause stands for (the file's report is of a neighbouring case). */
    static final Map<String, String> OTHER_SCENARIO = Map.of(
            "graph-mail-403", "Exchange's own code and text for any refused permission, which graph.authz.Workload renders "
                    + "over the cause's (pinned by LicenceChecksTest)",
            "graph-msa-unsupported", "a personal account's photo, which Graph refuses with its own photo error",
            "sts-device-not-managed-530003", "a managed-device policy (530003); the catalogue's cause is the compliant device",
            "sts-invalid-scope-70011", "a scope the tenant does not configure; the catalogue's cause is a scope it cannot read",
            "sts-code-expired-70000", "70000's text of 2020; 70008 (2022) is today's answer for an expired code");

    /** Known differences still to close (issue 13): each names what the catalogue does not say yet. */
    static final Map<String, String> NOT_YET = Map.of();

    /**
     * The sections a single cause reproduces (or several causes that answer alike), and that cause; legacy sections and
     * answers shared by different texts are read, not pinned.
     */
    static Map<String, Cause> reproduced() {
        Map<String, Cause> out = new LinkedHashMap<>();
        ErrorReadingsTest.EXPECTED.forEach((key, slugs) -> {
            if (slugs.isEmpty() || key.contains("@") || key.contains("legacy") || slugs.get(0).startsWith("(")) {
                return;
            }
            List<Cause> causes = new ArrayList<>();
            for (String slug : slugs) {
                for (Cause c : Cause.values()) {
                    if (c.slug().equals(slug)) {
                        causes.add(c);
                    }
                }
            }
            // One cause, or several that answer alike (same code and text): the section pins their one answer.
            if (causes.stream().map(c -> c.error() + c.code() + c.publicMessageTemplate()).distinct().count() == 1) {
                out.put(key, causes.get(0));
            }
        });
        return out;
    }

    /** The cause's public message as a pattern: its facts stand for any text, the rest is literal. */
    static Pattern template(Cause c) {
        StringBuilder regex = new StringBuilder("^");
        Matcher m = FACT.matcher(c.publicMessageTemplate());
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(c.publicMessageTemplate().substring(at, m.start()))).append(".+?");
            at = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(c.publicMessageTemplate().substring(at))).append("$").toString(),
                Pattern.DOTALL);
    }

    @Test
    void everyReproducedScenarioAnswersWithTheNewestObservedForm() throws IOException {
        List<Variant> variants = ErrorReadingsTest.variants();
        List<String> differences = new ArrayList<>();
        Map<String, Cause> reproduced = reproduced();
        assertThat(reproduced).as("the scenarios pinned").hasSizeGreaterThan(30);
        reproduced.forEach((section, cause) -> {
            if (OTHER_SCENARIO.containsKey(section) || NOT_YET.containsKey(section)) {
                return;
            }
            if (FOUND_SINCE.containsKey(section)) {
                String message = FOUND_SINCE.get(section).split(" \\| ")[0];
                if (!template(cause).matcher(message).matches()) {
                    differences.add(section + ": " + cause + " says \"" + cause.publicMessageTemplate()
                            + "\", found since \"" + message + "\"");
                }
                return;
            }
            Variant newest = null;
            for (Variant v : variants) {
                if (v.section().equals(section) && v.message() != null && !ErrorReadingsTest.OLD_FORMS.contains(section)
                        && !ErrorReadingsTest.OLD_FORMS.contains(v.key())) {
                    newest = v;
                }
            }
            if (newest == null) {
                return; // every form of the section is an old one: the catalogue answers a newer one found since
            }
            if (!template(cause).matcher(newest.message()).matches()) {
                differences.add(section + ": " + cause + " says \"" + cause.publicMessageTemplate() + "\", the service \""
                        + newest.message() + "\" (" + newest.date() + ")");
            }
            String code = cause.errorUnder(dev.consentry.core.directory.ErrorProfile.GRAPH_TODAY);
            if (newest.code() != null && !newest.code().equals(code)) {
                differences.add(section + ": " + cause + " code " + code + ", the service " + newest.code());
            }
            if (newest.aadsts() != null && newest.aadsts() != cause.code()) {
                differences.add(section + ": " + cause + " AADSTS" + cause.code() + ", the service AADSTS" + newest.aadsts());
            }
        });
        assertThat(differences).isEmpty();
    }

    @Test
    void theExceptionsNameSectionsThatExistAndStillDiffer() throws IOException {
        java.util.Set<String> sections = new java.util.HashSet<>();
        ErrorReadingsTest.variants().forEach(v -> sections.add(v.section()));
        assertThat(sections).containsAll(FOUND_SINCE.keySet()).containsAll(OTHER_SCENARIO.keySet())
                .containsAll(NOT_YET.keySet());
        // A known difference that is closed must leave the list: the pin then holds it.
        Map<String, Cause> reproduced = reproduced();
        for (String section : NOT_YET.keySet()) {
            Cause cause = reproduced.get(section);
            Variant newest = ErrorReadingsTest.variants().stream().filter(v -> v.section().equals(section) && v.message() != null)
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(template(cause).matcher(newest.message()).matches() && (newest.aadsts() == null
                    || newest.aadsts() == cause.code())).as(section + " now matches: remove it from NOT_YET").isFalse();
        }
    }
}
