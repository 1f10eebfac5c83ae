package dev.consentry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.explain.DidYouMean;
import dev.consentry.core.permission.GraphPermission;
import dev.consentry.core.permission.GraphPermission.SchemeFacts;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.PermissionSummary;
import dev.consentry.core.permission.PermissionSummary.Route;
import dev.consentry.core.permission.Scheme;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code consentry permissions show NAME}: what Consentry's catalogue knows about one Microsoft Graph permission;
 * {@code consentry permissions least --har FILE}: the least privileged permissions a recording of Graph calls needs.
 */
@Command(name = "permissions", mixinStandardHelpOptions = true,
        description = "Look up Microsoft Graph permissions in Consentry's built-in catalogue.",
        subcommands = {PermissionsCommand.Show.class, PermissionsCommand.Least.class})
final class PermissionsCommand {

    /**
     * Prints a permission's id per type (delegated, {@code "type": "Scope"}; application, {@code "type": "Role"}),
     * whether each needs admin consent, whether Consentry made the id up, and the routes it allows. An unknown name
     * exits 1 with one line and the nearest name.
     */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a permission's ids, admin consent and the Graph routes it allows.")
    static final class Show implements Callable<Integer> {
        /** Routes printed as text before "and N more": enough to see what the permission is for. */
        static final int ROUTES_SHOWN = 20;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "The permission's name, e.g. User.Read.All (any case).")
        String name;

        @Option(names = "--all", description = "List every route, not only the first " + ROUTES_SHOWN + ".")
        boolean all;

        @Option(names = "--output", defaultValue = "text", description = "text or json (json lists every route).")
        OutputFormat output;

        @Override
        public Integer call() throws Exception {
            GraphPermissionCatalogue catalogue = GraphPermissionCatalogue.builtin();
            PermissionSummary summary = PermissionSummary.of(catalogue, name).orElseThrow(() -> new Main.UserError(
                    "Microsoft Graph has no permission named " + name + " in Consentry's catalogue"
                    + DidYouMean.suffix(name, catalogue.permissions().stream().map(GraphPermission::name).toList())));
            PrintWriter out = spec.commandLine().getOut();
            if (output == OutputFormat.json) {
                out.println(new ObjectMapper().writeValueAsString(json(summary)));
            } else {
                text(summary, out);
            }
            out.flush();
            return 0;
        }

        private void text(PermissionSummary s, PrintWriter out) {
            GraphPermission p = s.permission();
            out.println(p.name() + " (Microsoft Graph, " + WellKnown.GRAPH_APP_ID + ")");
            Optional<SchemeFacts> work = p.in(Scheme.DELEGATED_WORK);
            Optional<SchemeFacts> personal = p.in(Scheme.DELEGATED_PERSONAL);
            if (work.isPresent()) {
                boolean same = personal.isPresent() && personal.get().id().equals(work.get().id());
                out.println(line("delegated (Scope)", work.get(), same ? "work, school and personal accounts" : "work or school accounts"));
            }
            if (personal.isPresent() && (work.isEmpty() || !personal.get().id().equals(work.get().id()))) {
                out.println(line("delegated (Scope)", personal.get(), "personal accounts"));
            }
            if (work.isEmpty() && personal.isEmpty()) {
                out.println("  delegated (Scope)    none");
            }
            out.println(p.in(Scheme.APPLICATION).map(f -> line("application (Role)", f, null))
                    .orElse("  application (Role)   none"));
            if (s.routes().isEmpty()) {
                out.println("Routes: Microsoft's data names none.");
                return;
            }
            out.println("Routes it allows (" + s.routes().size() + "):");
            int shown = all ? s.routes().size() : Math.min(ROUTES_SHOWN, s.routes().size());
            List<Route> listed = s.routes().subList(0, shown);
            int width = listed.stream().mapToInt(r -> String.join(",", r.methods()).length()).max().orElse(0);
            for (Route r : listed) {
                out.println("  " + String.format("%-" + width + "s", String.join(",", r.methods())) + "  " + r.template() + "  ["
                        + String.join(", ", schemes(r)) + "]" + (r.fromReference() ? "  (from the Graph API reference)" : ""));
            }
            if (shown < s.routes().size()) {
                out.println("  ... and " + (s.routes().size() - shown) + " more (--all lists them)");
            }
        }

        private static String line(String type, SchemeFacts f, String accounts) {
            return "  " + String.format("%-20s", type) + " " + f.id() + "  "
                    + (f.requiresAdminConsent() ? "admin consent required" : "users may consent")
                    + (accounts == null ? "" : "; " + accounts)
                    + (f.synthetic() ? "; id made up by Consentry (Microsoft publishes none)" : "");
        }

        private static List<String> schemes(Route r) {
            List<String> words = new ArrayList<>();
            if (r.schemes().contains(Scheme.DELEGATED_WORK) || r.schemes().contains(Scheme.DELEGATED_PERSONAL)) {
                words.add(r.schemes().contains(Scheme.DELEGATED_WORK) ? "delegated" : "delegated, personal accounts only");
            }
            if (r.schemes().contains(Scheme.APPLICATION)) {
                words.add("application");
            }
            return words;
        }

        private static ObjectNode json(PermissionSummary s) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            GraphPermission p = s.permission();
            root.put("name", p.name());
            root.put("resourceAppId", WellKnown.GRAPH_APP_ID.toString());
            ObjectNode schemes = root.putObject("schemes");
            for (Scheme scheme : Scheme.values()) {
                p.in(scheme).ifPresent(f -> {
                    ObjectNode o = schemes.putObject(scheme.dataName());
                    o.put("id", f.id().toString());
                    o.put("type", scheme == Scheme.APPLICATION ? "Role" : "Scope");
                    o.put("requiresAdminConsent", f.requiresAdminConsent());
                    o.put("idMadeUpByConsentry", f.synthetic());
                });
            }
            ArrayNode routes = root.putArray("routes");
            for (Route r : s.routes()) {
                ObjectNode o = routes.addObject();
                o.put("template", r.template());
                r.methods().stream().sorted().forEach(o.putArray("methods")::add);
                ArrayNode names = o.putArray("schemes");
                for (Scheme scheme : Scheme.values()) {
                    if (r.schemes().contains(scheme)) {
                        names.add(scheme.dataName());
                    }
                }
                o.put("source", r.fromReference() ? "Graph API reference" : "permissions data");
            }
            return root;
        }
    }

    /**
     * Reads a HAR file of Microsoft Graph calls (a browser's or a proxy's recording, of Graph or of Consentry) one entry
     * at a time and prints, per scheme, the smallest set of least privileged permissions that covers every call, the
     * permissions the tokens held that no call needed, the calls to routes the catalogue does not know and how many
     * entries were not Graph calls. A file that is not a HAR, or is cut short, exits 2 naming where it broke.
     */
    @Command(name = "least", mixinStandardHelpOptions = true,
            description = {"The least privileged permissions that cover the Graph calls of a HAR recording,",
                "per scheme, and the permissions the tokens held that no call needed."})
    static final class Least implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--har", required = true, paramLabel = "FILE",
                description = "An HTTP Archive (HAR 1.2) of calls to Microsoft Graph or to Consentry.")
        Path har;

        @Option(names = "--output", defaultValue = "text", description = "text or json.")
        OutputFormat output;

        @Override
        public Integer call() throws Exception {
            LeastPrivilege least = new LeastPrivilege(GraphPermissionCatalogue.builtin(), har.toString());
            HarFile.read(har, least::add);
            LeastPrivilege.Result result = least.result();
            PrintWriter out = spec.commandLine().getOut();
            if (output == OutputFormat.json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json(result)));
            } else {
                text(result, out);
            }
            out.flush();
            return 0;
        }

        private static void text(LeastPrivilege.Result r, PrintWriter out) {
            out.println(r.entries() + " entries: " + r.graphCalls() + " Graph calls (" + r.withoutToken()
                    + " without a readable token, counted in both schemes), " + r.skipped() + " skipped (not Graph).");
            for (LeastPrivilege.Answer a : r.answers()) {
                out.println();
                if (a.calls() == 0) {
                    out.println(capitalised(a.side().label()) + ": no calls.");
                    continue;
                }
                out.println(capitalised(a.side().label()) + " (" + a.calls() + " calls): " + a.permissions().size()
                        + (a.permissions().size() == 1 ? " permission" : " permissions") + " cover them");
                for (LeastPrivilege.Chosen c : a.permissions()) {
                    out.println("  " + c.permission());
                    calls(c.calls(), out);
                }
                out.println("  Held and needed by no call: " + (a.excess().isEmpty() ? "none" : String.join(", ", a.excess())));
                if (!a.notAllowed().isEmpty()) {
                    out.println("  Allowed by no " + a.side().label() + " permission:");
                    calls(a.notAllowed(), out);
                }
            }
            if (!r.unknownRoutes().isEmpty()) {
                out.println();
                out.println("Routes the catalogue does not know (" + r.unknownRoutes().size() + "):");
                r.unknownRoutes().forEach((route, n) -> out.println("  " + route + times(n)));
            }
        }

        private static void calls(Map<LeastPrivilege.Call, Integer> calls, PrintWriter out) {
            int width = calls.keySet().stream().mapToInt(c -> c.method().length()).max().orElse(0);
            calls.forEach((c, n) -> out.println("    " + String.format("%-" + width + "s", c.method()) + "  " + c.template() + times(n)));
        }

        private static String times(int n) {
            return n == 1 ? "" : "  (" + n + " calls)";
        }

        private static String capitalised(String s) {
            return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }

        private static ObjectNode json(LeastPrivilege.Result r) {
            ObjectNode root = new ObjectMapper().createObjectNode();
            root.put("entries", r.entries());
            root.put("graphCalls", r.graphCalls());
            root.put("withoutToken", r.withoutToken());
            root.put("skipped", r.skipped());
            for (LeastPrivilege.Answer a : r.answers()) {
                ObjectNode side = root.putObject(a.side().label());
                side.put("calls", a.calls());
                ArrayNode permissions = side.putArray("permissions");
                for (LeastPrivilege.Chosen c : a.permissions()) {
                    ObjectNode o = permissions.addObject();
                    o.put("name", c.permission());
                    calls(c.calls(), o.putArray("calls"));
                }
                a.excess().forEach(side.putArray("excess")::add);
                calls(a.notAllowed(), side.putArray("notAllowed"));
            }
            ArrayNode unknown = root.putArray("unknownRoutes");
            r.unknownRoutes().forEach((route, n) -> {
                ObjectNode o = unknown.addObject();
                o.put("method", route.substring(0, route.indexOf(' ')));
                o.put("path", route.substring(route.indexOf(' ') + 1));
                o.put("count", n);
            });
            return root;
        }

        private static void calls(Map<LeastPrivilege.Call, Integer> calls, ArrayNode into) {
            calls.forEach((c, n) -> into.addObject().put("method", c.method()).put("template", c.template()).put("count", n));
        }
    }
}
