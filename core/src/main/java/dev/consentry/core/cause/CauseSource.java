package dev.consentry.core.cause;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where a cause's public text comes from (issue 13): the real service's answer as recorded in the shared observed
 * responses, a public source that quotes it, or Consentry's own words. One table,
 * {@code cause-sources.tsv} beside this class, gives every cause exactly one entry; {@code CauseSourceTest} checks it
 * against the catalogue and the observed responses, and {@code docs/causes.md} is rendered from it.
 *
 * @param cause the cause
 * @param kind where its public message comes from
 * @param reference for {@link Kind#OBSERVED}, the section of {@code observed-responses.md}; for
 *     {@link Kind#PUBLISHED}, the address of the public source; empty for {@link Kind#OWN}
 * @param date the date of the newest form the reference shows (ISO 8601: a day, a month or a year); empty for OWN
 * @param note what the reader should know: how the source differs, or why the text is Consentry's own
 */
public record CauseSource(Cause cause, Kind kind, String reference, String date, String note) {
    /** The table, a resource beside this class. */
    public static final String RESOURCE = "cause-sources.tsv";

    /** The kinds of source. */
    public enum Kind {
        /** The newest form of a section of the shared observed responses: the fidelity suite pins it. */
        OBSERVED,
        /** A public source (an issue, a page, Microsoft's code table) shows the text or the code, with its date. */
        PUBLISHED,
        /** Consentry's own words: no real answer exists (a Consentry-only path) or none was found. */
        OWN
    }

    /** One line of the table as written, before it is matched to a cause (a test reads unknown slugs too). */
    public record Row(int line, String slug, Kind kind, String reference, String date, String note) {}

    public CauseSource {
        reference = reference == null ? "" : reference;
        date = date == null ? "" : date;
        note = note == null ? "" : note;
    }

    private static final class Table {
        static final List<Row> ROWS = read();
        static final Map<Cause, CauseSource> BY_CAUSE = index(ROWS);
    }

    /** The source of {@code cause}; every cause has one (a test guards it). */
    public static CauseSource of(Cause cause) {
        CauseSource source = Table.BY_CAUSE.get(cause);
        if (source == null) {
            throw new IllegalStateException(cause + " has no entry in " + RESOURCE);
        }
        return source;
    }

    /** Every entry whose slug names a cause, in the catalogue's order. */
    public static Map<Cause, CauseSource> all() {
        return Collections.unmodifiableMap(Table.BY_CAUSE);
    }

    /** The table's lines as written, in order. */
    public static List<Row> rows() {
        return Table.ROWS;
    }

    private static Map<Cause, CauseSource> index(List<Row> rows) {
        Map<String, Cause> bySlug = new java.util.HashMap<>();
        for (Cause c : Cause.values()) {
            bySlug.put(c.slug(), c);
        }
        Map<Cause, CauseSource> out = new EnumMap<>(Cause.class);
        for (Row r : rows) {
            Cause c = bySlug.get(r.slug());
            if (c != null) {
                // The first entry wins; the test reports a second one.
                out.putIfAbsent(c, new CauseSource(c, r.kind(), r.reference(), r.date(), r.note()));
            }
        }
        return out;
    }

    private static List<Row> read() {
        try (InputStream in = CauseSource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + CauseSource.class.getName());
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the table: tab-separated slug, kind, reference, date, note; '#' starts a comment line. */
    static List<Row> parse(BufferedReader reader) throws IOException {
        List<Row> rows = new ArrayList<>();
        String text;
        int line = 0;
        while ((text = reader.readLine()) != null) {
            line++;
            if (text.isBlank() || text.startsWith("#")) {
                continue;
            }
            String[] f = text.split("\t", -1);
            if (f.length != 5) {
                throw new IllegalStateException(RESOURCE + " line " + line + ": " + f.length + " fields, 5 expected");
            }
            Kind kind;
            try {
                kind = Kind.valueOf(f[1].strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(RESOURCE + " line " + line + ": unknown kind '" + f[1] + "'", e);
            }
            rows.add(new Row(line, f[0].strip(), kind, f[2].strip(), f[3].strip(), f[4].strip()));
        }
        return List.copyOf(rows);
    }
}
