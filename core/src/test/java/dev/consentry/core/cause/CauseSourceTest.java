package dev.consentry.core.cause;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consentry.core.cause.CauseSource.Kind;
import dev.consentry.core.cause.CauseSource.Row;
import dev.consentry.core.cause.ErrorReadingsTest.Variant;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The table of where each cause's public text comes from ({@code cause-sources.tsv}) against the catalogue and the
 * shared observed responses: one entry per cause and none for anything else; an OBSERVED entry names a section whose
 * newest form the cause answers with (as {@link ObservedFidelityTest} pins it) and that {@link ErrorReadingsTest}'s
 * table maps to the cause; every cause that pin holds is OBSERVED; a PUBLISHED entry has an address and an ISO date;
 * an OWN entry says why.
 */
class CauseSourceTest {
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}(-\\d{2}(-\\d{2})?)?");
    private static final Pattern ADDRESS = Pattern.compile("(https://)?[a-z0-9-]+(\\.[a-z0-9-]+)+/\\S*");

    @Test
    void everyCauseHasExactlyOneEntryAndEveryEntryACause() {
        Map<String, List<Integer>> lines = new HashMap<>();
        for (Row r : CauseSource.rows()) {
            lines.computeIfAbsent(r.slug(), s -> new ArrayList<>()).add(r.line());
        }
        Set<String> slugs = Stream.of(Cause.values()).map(Cause::slug).collect(Collectors.toSet());
        assertThat(lines.keySet()).as("entries whose slug is no cause").isSubsetOf(slugs);
        assertThat(lines.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey))
                .as("causes with more than one entry").isEmpty();
        assertThat(slugs.stream().filter(s -> !lines.containsKey(s)).sorted()).as("causes without an entry").isEmpty();
        for (Cause c : Cause.values()) {
            assertThat(CauseSource.of(c).cause()).isEqualTo(c);
        }
        assertThat(CauseSource.all()).hasSize(Cause.values().length);
    }

    @Test
    void eachKindCarriesWhatItNeeds() {
        for (CauseSource s : CauseSource.all().values()) {
            String what = s.cause().slug() + " (" + s.kind() + ")";
            switch (s.kind()) {
                case OBSERVED -> assertThat(s.date()).as(what + ": the newest form's date").isNotBlank();
                case PUBLISHED -> {
                    assertThat(s.reference()).as(what + ": an address").matches(ADDRESS);
                    assertThat(isIsoDate(s.date())).as(what + ": an ISO date, not '" + s.date() + "'").isTrue();
                }
                case OWN -> {
                    assertThat(s.note()).as(what + ": why the words are Consentry's").isNotBlank();
                    assertThat(s.reference()).as(what + ": no reference").isEmpty();
                }
            }
            assertThat(s.note()).as(what).doesNotContain("\t");
        }
    }

    @Test
    void observedEntriesNameASectionTheCauseAnswersWithItsNewestForm() throws IOException {
        List<Variant> variants = ErrorReadingsTest.variants();
        Set<String> sections = new LinkedHashSet<>();
        variants.forEach(v -> sections.add(v.section()));
        List<String> problems = new ArrayList<>();
        for (CauseSource s : CauseSource.all().values()) {
            if (s.kind() != Kind.OBSERVED) {
                continue;
            }
            Cause c = s.cause();
            String section = s.reference();
            if (!sections.contains(section)) {
                problems.add(c.slug() + ": '" + section + "' is no section of observed-responses.md");
                continue;
            }
            if (!mappedTo(section).contains(c.slug())) {
                problems.add(c.slug() + ": ErrorReadingsTest.EXPECTED does not read " + section + " as this cause");
            }
            if (ObservedFidelityTest.OTHER_SCENARIO.containsKey(section) || ObservedFidelityTest.NOT_YET.containsKey(section)
                    || ObservedFidelityTest.FOUND_SINCE.containsKey(section)) {
                problems.add(c.slug() + ": " + section + " is an exception of ObservedFidelityTest, not a pinned form");
                continue;
            }
            Variant newest = newest(variants, section);
            if (newest == null) {
                problems.add(c.slug() + ": every form of " + section + " is an old one");
                continue;
            }
            if (!ObservedFidelityTest.template(c).matcher(newest.message()).matches()) {
                problems.add(c.slug() + ": its text is not " + section + "'s newest form \"" + newest.message() + "\"");
            }
            if (newest.aadsts() != null && newest.aadsts() != c.code()) {
                problems.add(c.slug() + ": AADSTS" + c.code() + ", the section's newest form AADSTS" + newest.aadsts());
            }
            if (!newest.date().equals(s.date())) {
                problems.add(c.slug() + ": date " + s.date() + ", the section's newest form is of " + newest.date());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyCauseTheFidelityPinHoldsIsObserved() throws IOException {
        List<Variant> variants = ErrorReadingsTest.variants();
        List<String> problems = new ArrayList<>();
        for (String section : ObservedFidelityTest.reproduced().keySet()) {
            if (ObservedFidelityTest.OTHER_SCENARIO.containsKey(section) || ObservedFidelityTest.NOT_YET.containsKey(section)
                    || ObservedFidelityTest.FOUND_SINCE.containsKey(section) || newest(variants, section) == null) {
                continue;
            }
            for (String slug : ErrorReadingsTest.EXPECTED.get(section)) {
                Cause c = bySlug(slug);
                if (CauseSource.of(c).kind() != Kind.OBSERVED) {
                    problems.add(slug + " answers " + section + "'s newest form, so its source is OBSERVED, not "
                            + CauseSource.of(c).kind());
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(CauseSource.all().values().stream().filter(s -> s.kind() == Kind.OBSERVED)).hasSizeGreaterThan(30);
    }

    @Test
    void aFormFoundSinceTheObservedResponsesIsPublishedWithItsSource() {
        ObservedFidelityTest.FOUND_SINCE.forEach((section, found) -> {
            String[] parts = found.split(" \\| ");
            Cause c = bySlug(ErrorReadingsTest.EXPECTED.get(section).get(0));
            CauseSource s = CauseSource.of(c);
            assertThat(s.kind()).as(c.slug()).isEqualTo(Kind.PUBLISHED);
            assertThat(s.date()).as(c.slug()).isEqualTo(parts[1]);
            assertThat(s.reference()).as(c.slug()).endsWith(parts[2]);
        });
    }

    @Test
    void aMalformedTableIsRefusedWithItsLine() {
        assertThatThrownBy(() -> CauseSource.parse(new BufferedReader(new StringReader("# c\nslug\tOWN\t\tnote\n"))))
                .hasMessageContaining("line 2").hasMessageContaining("4 fields");
        assertThatThrownBy(() -> CauseSource.parse(new BufferedReader(new StringReader("slug\tMINE\t\t\tnote\n"))))
                .hasMessageContaining("unknown kind 'MINE'");
    }

    /** The causes ErrorReadingsTest reads a section as, in any of its variants. */
    private static Set<String> mappedTo(String section) {
        Set<String> slugs = new LinkedHashSet<>();
        ErrorReadingsTest.EXPECTED.forEach((key, value) -> {
            if (key.equals(section) || key.startsWith(section + "@")) {
                slugs.addAll(value);
            }
        });
        return slugs;
    }

    /** The section's newest form that is not an old one, as ObservedFidelityTest finds it; null if none. */
    static Variant newest(List<Variant> variants, String section) {
        Variant newest = null;
        for (Variant v : variants) {
            if (v.section().equals(section) && v.message() != null && !ErrorReadingsTest.OLD_FORMS.contains(section)
                    && !ErrorReadingsTest.OLD_FORMS.contains(v.key())) {
                newest = v;
            }
        }
        return newest;
    }

    private static Cause bySlug(String slug) {
        return Stream.of(Cause.values()).filter(c -> c.slug().equals(slug)).findFirst().orElseThrow();
    }

    private static boolean isIsoDate(String date) {
        if (!ISO_DATE.matcher(date).matches()) {
            return false;
        }
        try {
            switch (date.length()) {
                case 4 -> Year.parse(date);
                case 7 -> YearMonth.parse(date);
                default -> LocalDate.parse(date);
            }
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
