package dev.consentry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.ErrorReadings;
import dev.consentry.core.cause.ErrorReadings.NotRecognised;
import dev.consentry.core.cause.ErrorReadings.Reading;
import dev.consentry.core.cause.ErrorReadings.Recognised;
import dev.consentry.core.cause.ObservedError;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code consentry explain --error FILE}: reads an error the real Graph or token service answered (a JSON body or a raw
 * HTTP response, plus {@code --header} and {@code --status}) and prints its cause from the catalogue
 * ({@link ErrorReadings}), the explanation and fix templates with their facts shown as {@code <name>}, whether the
 * pasted form is today's, and what tells several candidates apart.
 *
 * <p>Exit codes: 0 recognised, 1 not recognised, 2 the input cannot be read (no such file, over 1 MB, neither JSON nor
 * an HTTP response, a header without a colon).
 */
final class ErrorExplanation {
    private final String file;
    private final List<String> headerLines;
    private final Integer status;
    private final String method;
    private final String url;

    ErrorExplanation(String file, List<String> headerLines, Integer status, String method, String url) {
        this.file = file;
        this.headerLines = headerLines;
        this.status = status;
        this.method = method;
        this.url = url;
    }

    int print(CommandLine commandLine, OutputFormat output) throws IOException {
        Reading reading;
        ObservedError observed;
        try {
            observed = observed();
            reading = ErrorReadings.read(observed);
        } catch (ObservedError.Unreadable e) {
            throw Main.UserError.usage(where() + ": " + e.getMessage());
        }
        PrintWriter out = commandLine.getOut();
        if (output == OutputFormat.json) {
            out.println(new ObjectMapper().writeValueAsString(json(reading, observed)));
        } else {
            text(out, commandLine.getColorScheme().ansi(), reading);
        }
        out.flush();
        return reading instanceof Recognised ? 0 : 1;
    }

    private ObservedError observed() throws IOException {
        ObservedError o = ObservedError.parse(read());
        for (String line : headerLines) {
            Map.Entry<String, String> h = ObservedError.headerLine(line);
            o = o.withHeader(h.getKey(), h.getValue());
        }
        if (status != null) {
            if (status < 100 || status > 599) {
                throw Main.UserError.usage("--status " + status + " is not an HTTP status");
            }
            o = o.withStatus(status);
        }
        return o;
    }

    /** The file or standard input, refused past {@link ObservedError#MAX_CHARS} (one byte past it is enough to know). */
    private String read() throws IOException {
        byte[] bytes;
        if ("-".equals(file)) {
            bytes = System.in.readNBytes(ObservedError.MAX_CHARS + 1);
        } else {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw Main.UserError.usage("cannot read " + file + ": no such readable file");
            }
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(ObservedError.MAX_CHARS + 1);
            }
        }
        if (bytes.length > ObservedError.MAX_CHARS) {
            throw Main.UserError.usage(where() + " is more than 1 MB; an error answer is a few kilobytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private String where() {
        return "-".equals(file) ? "standard input" : file;
    }

    private void text(PrintWriter out, CommandLine.Help.Ansi ansi, Reading reading) {
        if (method != null || url != null) {
            out.println("For " + (method == null ? "" : method + " ") + (url == null ? "" : url));
        }
        switch (reading) {
            case NotRecognised n -> out.println(ansi.string("@|bold,yellow Not recognised|@") + ": " + n.why() + ".");
            case Recognised r -> {
                out.println(ansi.string("@|bold Recognised|@") + ": " + r.matchedForm());
                out.println(r.currentForm() ? "This is the form the service answers today."
                        : "This is an older form; today the service answers " + r.todaysForm());
                if (r.candidates().isEmpty()) {
                    out.println();
                    out.println("Consentry's catalogue has no cause for this answer.");
                } else if (r.candidates().size() == 1) {
                    out.println();
                    cause(out, ansi, r.candidates().get(0), "");
                } else {
                    out.println();
                    out.println("Possible causes, most likely first:");
                    int i = 1;
                    for (Cause c : r.candidates()) {
                        out.println();
                        cause(out, ansi, c, "  " + i++ + ". ");
                    }
                }
                if (!r.note().isEmpty()) {
                    out.println();
                    out.println("Note: " + r.note());
                }
            }
        }
    }

    private static void cause(PrintWriter out, CommandLine.Help.Ansi ansi, Cause c, String prefix) {
        String indent = " ".repeat(prefix.length());
        out.println(prefix + ansi.string("@|bold " + c.slug() + "|@") + " (" + wire(c) + ")");
        out.println(indent + "Message today: \"" + Cause.showFacts(c.publicMessageTemplate()) + "\"");
        out.println(indent + "Why: " + Cause.showFacts(c.explanationTemplate()));
        out.println(indent + "Fix: " + fix(c));
    }

    /** The fix template; one that opens with a fact (decided per case) says where the case's own fix comes from. */
    private static String fix(Cause c) {
        return c.fixTemplate().matches("\\{[A-Za-z]+}.*")
                ? "depends on the call and the token: `consentry explain --token <the token> METHOD URL` gives it"
                : Cause.showFacts(c.fixTemplate());
    }

    private static String wire(Cause c) {
        return c.status() + " " + c.error() + (c.channel() == Cause.Channel.STS ? ", AADSTS" + c.code() : "");
    }

    /** Stable field names: recognised, matchedForm, currentForm, todaysForm, note, observedStatus, causes[] or why. */
    private static ObjectNode json(Reading reading, ObservedError observed) {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("recognised", reading instanceof Recognised);
        observed.status().ifPresent(s -> json.put("observedStatus", s));
        switch (reading) {
            case NotRecognised n -> json.put("why", n.why());
            case Recognised r -> {
                json.put("matchedForm", r.matchedForm());
                json.put("currentForm", r.currentForm());
                json.put("todaysForm", r.todaysForm());
                json.put("note", r.note());
                ArrayNode causes = json.putArray("causes");
                for (Cause c : r.candidates()) {
                    ObjectNode cause = causes.addObject();
                    cause.put("slug", c.slug());
                    cause.put("channel", c.channel() == Cause.Channel.STS ? "sts" : "graph");
                    cause.put("status", c.status());
                    cause.put("error", c.error());
                    if (c.channel() == Cause.Channel.STS) {
                        cause.put("aadsts", c.code());
                    }
                    cause.put("message", Cause.showFacts(c.publicMessageTemplate()));
                    cause.put("explanation", Cause.showFacts(c.explanationTemplate()));
                    cause.put("fix", fix(c));
                }
            }
        }
        return json;
    }
}
