package dev.consentry.core.cause;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.CauseSource.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/causes.md} is rendered from the catalogue and the source table, so it cannot drift from either: this
 * test fails when the committed file is stale, and with {@code -Dconsentry.regenerate=true} rewrites it instead.
 */
class CauseSourceDocsTest {
    static final Path DOC = Path.of("../docs/causes.md");

    @Test
    void committedDocMatchesTheCatalogue() throws IOException {
        String rendered = render();
        if (Boolean.getBoolean("consentry.regenerate")) {
            Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
        }
        assertThat(DOC).as("docs/causes.md beside the core module").exists();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as(DOC + " is stale: regenerate with -Dconsentry.regenerate=true (see the file's head)")
                .isEqualTo(rendered);
    }

    @Test
    void everyCauseIsARowWithItsSource() {
        String doc = render();
        for (Cause c : Cause.values()) {
            assertThat(doc).contains("| `" + c.slug() + "` |");
        }
        assertThat(doc).contains("OWN:").contains("OBSERVED:").contains("PUBLISHED:");
    }

    static String render() {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            counts.put(k, 0);
        }
        CauseSource.all().values().forEach(s -> counts.merge(s.kind(), 1, Integer::sum));
        StringBuilder out = new StringBuilder();
        out.append("# Causes and where their words come from\n\n")
                .append("Generated from `Cause` and `core/src/main/resources/dev/consentry/core/cause/cause-sources.tsv`")
                .append(" by `CauseSourceDocsTest`; do not edit by hand. After changing either:\n\n")
                .append("```sh\nmvn -B -pl core test -Dtest=CauseSourceDocsTest -Dconsentry.regenerate=true\n```\n\n")
                .append("Every cause Consentry answers with, its channel, HTTP status and wire code (the OAuth `error` and")
                .append(" AADSTS number of the token service, Graph's `error.code`), its public message (`<name>` is a fact")
                .append(" filled in per case) and the source of that message:\n\n")
                .append("- **OBSERVED**: the newest form of a section of the shared `observed-responses.md` (named, with")
                .append(" the date of that form); the fidelity tests pin the text to it.\n")
                .append("- **PUBLISHED**: a public report or Microsoft page shows the text or the code (address and date);")
                .append(" the note says where Consentry's text differs from it.\n")
                .append("- **OWN**: Consentry's own words; the note says why.\n\n")
                .append("Causes: ").append(Cause.values().length).append(" (OBSERVED ").append(counts.get(Kind.OBSERVED))
                .append(", PUBLISHED ").append(counts.get(Kind.PUBLISHED)).append(", OWN ").append(counts.get(Kind.OWN))
                .append(").\n\n")
                .append("| slug | channel | status | code | public message | source |\n")
                .append("|---|---|---|---|---|---|\n");
        for (Cause c : Cause.values()) {
            CauseSource s = CauseSource.of(c);
            String code = c.channel() == Cause.Channel.STS ? "`" + c.error() + "` AADSTS" + c.code() : "`" + c.error() + "`";
            out.append("| `").append(c.slug()).append("` | ").append(c.channel()).append(" | ").append(c.status())
                    .append(" | ").append(code).append(" | ").append(cell(Cause.showFacts(c.publicMessageTemplate())))
                    .append(" | ").append(cell(source(s))).append(" |\n");
        }
        return out.toString();
    }

    private static String source(CauseSource s) {
        StringBuilder b = new StringBuilder(s.kind().name()).append(':');
        if (!s.reference().isEmpty()) {
            b.append(' ').append(s.kind() == Kind.OBSERVED ? "observed-responses.md, " + s.reference() : s.reference());
        }
        if (!s.date().isEmpty()) {
            b.append(" (").append(s.date()).append(')');
        }
        if (!s.note().isEmpty()) {
            b.append(s.reference().isEmpty() && s.date().isEmpty() ? " " : ". ").append(s.note());
        }
        return b.toString();
    }

    /** A table cell: pipes escaped, a line feed shown as such, angle brackets kept literal. */
    private static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n").replace("<", "&lt;")
                .replace(">", "&gt;");
    }
}
