package dev.consentry.cli;

import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.explain.Outcome;
import dev.consentry.core.explain.Step;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.graph.authz.AuthorizationEngine;
import dev.consentry.graph.authz.Decision;
import dev.consentry.graph.authz.GraphDiagnosis;
import dev.consentry.graph.authz.GraphRequest;
import dev.consentry.graph.authz.GraphUrls;
import dev.consentry.identity.protocol.Bearer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code consentry explain --token JWT METHOD URL}: what Microsoft Graph would decide for a call made with a token, and
 * why, decided offline from the token's claims and Consentry's permission catalogue ({@link AuthorizationEngine#offline}).
 * Works for tokens of the real Entra ID: the token is decoded, never verified, sent or stored, and the output says the
 * signature was not checked; what only the tenant knows (the user's roles and licences) is listed as what to check.
 *
 * <p>{@code consentry explain --error FILE}: what an error the real Graph or token service answered means, its cause
 * and fix ({@link ErrorExplanation}).
 *
 * <p>Exit codes, for scripts: 0 Graph would allow the call (or the error was recognised), 1 it would refuse it (or the
 * error was not recognised), 2 the command was used wrongly (a method or URL that is not Graph's, no token, an error
 * file that cannot be read).
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explain what Microsoft Graph would decide for a call with a token, and why;"
                        + " or what an error the real Graph or Entra token service answered means (--error).",
                "The token is decoded offline (its signature is not checked), never sent anywhere and never stored;"
                        + " it may come from the real Entra ID or from Consentry.",
                "Exit code: 0 allowed (or error recognised), 1 refused (or error not recognised), 2 usage error."})
final class ExplainCommand implements Callable<Integer> {
    /** Graph's methods; anything else is a usage error. */
    private static final Set<String> METHODS = Set.of("GET", "POST", "PATCH", "PUT", "DELETE");

    @Spec
    CommandSpec spec;

    @Option(names = "--token", paramLabel = "JWT",
            description = "The access token, or '-' to read it from standard input (a leading 'Bearer ' is ignored).")
    String token;

    @Option(names = "--error", paramLabel = "FILE", description = "An error the real Graph or token service answered:"
            + " its JSON body, or the whole HTTP response (from HTTP/1.1 on); '-' reads standard input. Instead of --token.")
    String error;

    @Option(names = "--header", paramLabel = "'Name: value'", description = "With --error: a response header, such as"
            + " 'WWW-Authenticate: Bearer error=\"insufficient_claims\", ...'; repeatable.")
    List<String> headers = List.of();

    @Option(names = "--status", paramLabel = "N", description = "With --error: the HTTP status of the answer.")
    Integer status;

    @Parameters(index = "0", arity = "0..1", paramLabel = "METHOD",
            description = "GET, POST, PATCH, PUT or DELETE (required with --token).")
    String method;

    @Parameters(index = "1", arity = "0..1", paramLabel = "URL",
            description = "The Graph URL, e.g. https://graph.microsoft.com/v1.0/users/{id}/messages or /v1.0/me"
                    + " (required with --token).")
    String url;

    @Option(names = "--output", defaultValue = "text", description = "text or json (the diagnosis as Consentry's API"
            + " serves it, plus signatureChecked: false).")
    OutputFormat output;

    @picocli.CommandLine.Mixin
    StoreOptions storeOptions;

    /** The moment the token's lifetime is judged at; tests set it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        if (token == null && error == null && method != null && url == null && headers.isEmpty() && status == null) {
            return recorded(method);
        }
        if ((token == null) == (error == null)) {
            throw usage("give a request, trace or correlation id; or exactly one of --token JWT (what Graph would decide) "
                    + "or --error FILE (what an answer means)");
        }
        if (error != null) {
            return new ErrorExplanation(error, headers, status, method, url).print(spec.commandLine(), output);
        }
        if (method == null || url == null) {
            throw usage("--token needs the call: METHOD URL, e.g. GET https://graph.microsoft.com/v1.0/me");
        }
        if (!headers.isEmpty() || status != null) {
            throw usage("--header and --status go with --error");
        }
        String verb = method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(verb)) {
            throw usage("'" + method + "' is not a Graph method; use one of " + String.join(", ", METHODS.stream().sorted().toList()));
        }
        String path = graphPath(url);
        String compact = Bearer.pasted(token.equals("-") ? readStandardInput() : token);
        Instant now = clock.instant();
        Decision decision = AuthorizationEngine.offline(GraphPermissionCatalogue.builtin())
                .decide(new GraphRequest(verb, path, "Bearer " + compact), now);
        int status = decision instanceof Decision.Deny d ? d.failure().cause().status() : 200;
        Diagnosis diagnosis = GraphDiagnosis.of(decision, "offline", null, verb, path, now, status);
        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.json) {
            String json = diagnosis.toJson();
            out.println("{\"signatureChecked\":false," + json.substring(1));
        } else {
            printText(out, diagnosis, false, "Decided offline from the token's claims: its signature was not checked.",
                    decision instanceof Decision.Deny n ? n.failure().publicMessage() : null);
        }
        out.flush();
        return diagnosis.allowed() ? 0 : 1;
    }

    /** The path and query of a Graph URL: Graph's own host, or a path that starts with a Graph version. */
    private static String graphPath(String given) {
        return GraphUrls.path(given).orElseThrow(() -> usage("'" + given + "' is not a Microsoft Graph URL; give "
                + GraphUrls.GRAPH_ORIGIN + "/v1.0/... (or /beta/...), or the path from /v1.0/ on"));
    }

    private String readStandardInput() throws IOException {
        StringBuilder b = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            char[] buf = new char[8192];
            int n;
            while ((n = in.read(buf)) > 0 && b.length() < 64 * 1024) {
                b.append(buf, 0, n);
            }
        }
        if (b.toString().isBlank()) {
            throw usage("no token on standard input");
        }
        return b.toString();
    }

    private static Main.UserError usage(String message) {
        return Main.UserError.usage(message);
    }

    /**
     * {@code explain ID}: the decision Consentry recorded for a request (its request id, or the STS trace or
     * correlation id), asked of the Consentry serving {@code --data-dir}, or read from its store when none runs (which
     * keeps the refusals). Exit 0 for an allowed request, 1 for a refusal, 2 when no decision has that id.
     */
    private int recorded(String id) {
        Optional<String> json;
        try (var admin = storeOptions.administration()) {
            json = admin.diagnosis(id);
        }
        if (json.isEmpty()) {
            throw usage("no recorded decision has the id " + id + " (Consentry keeps the most recent ones; without a running "
                    + "Consentry only refusals are in the store)");
        }
        Diagnosis d = Diagnosis.parse(json.get());
        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.json) {
            out.println(json.get());
        } else {
            String answeredBy = d.channel() == Diagnosis.Channel.GRAPH ? "Microsoft Graph" : "the token service";
            printText(out, d, true, "Recorded by Consentry: answered by " + answeredBy + " at " + d.at() + ", status " + d.status()
                    + ".", null);
        }
        out.flush();
        return d.allowed() ? 0 : 1;
    }

    /**
     * A decision as a checklist: one Consentry {@code recorded}, or one it would make; {@code publicMessage} is the wire
     * message of a refusal when known.
     */
    private void printText(PrintWriter out, Diagnosis d, boolean recorded, String how, String publicMessage) {
        CommandLine.Help.Ansi ansi = spec.commandLine().getColorScheme().ansi();
        out.println(d.method() + " " + d.path());
        out.println(how);
        out.println();
        if (d.allowed()) {
            out.println(ansi.string(recorded ? "@|bold,green Allowed|@" : "@|bold,green Graph would allow this call|@")
                    + (d.permission() == null ? "." : ", with " + d.permission() + "."));
        } else {
            out.println(ansi.string(recorded ? "@|bold,red Refused|@" : "@|bold,red Graph would refuse this call|@") + ": "
                    + d.status() + " " + d.error()
                    + (publicMessage == null ? " (" + d.cause() + ")" : ", \"" + publicMessage + "\""));
            out.println("Why: " + d.explanation());
            out.println("Fix: " + d.fix());
        }
        out.println();
        out.println("Checks:");
        int width = d.steps().stream().mapToInt(s -> s.check().wireName().length()).max().orElse(0);
        for (Step s : d.steps()) {
            String mark = switch (s.outcome()) {
                case PASSED -> ansi.string("@|green ok|@");
                case FAILED -> ansi.string("@|red NO|@");
                case UNKNOWN -> ansi.string("@|yellow ??|@");
            };
            out.printf("  %s  %-" + width + "s  %s%n", mark, s.check().wireName(), s.detail());
        }
        if (!d.leastPrivileged().isEmpty()) {
            out.println();
            out.println("Least privileged permissions for this call: " + d.leastPrivileged().entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty()).sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " " + String.join(", ", e.getValue())).collect(Collectors.joining("; ")));
        }
        List<Step> unknown = d.steps().stream().filter(s -> s.outcome() == Outcome.UNKNOWN).toList();
        if (!unknown.isEmpty()) {
            out.println();
            out.println("Not known offline (check these in the tenant or trust the real service):");
            unknown.forEach(s -> out.println("  - " + s.check().wireName() + ": " + s.detail()));
        }
    }
}
