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
import dev.consentry.server.admin.Administration;
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
     * The least privileged permissions that cover a set of Microsoft Graph calls, per scheme, and the permissions held
     * that no call needed. The calls come from a HAR file ({@code --har}: a browser's or a proxy's recording, of Graph
     * or of Consentry), read one entry at a time, or from Consentry's own record of an app's calls ({@code --client-id},
     * with the app's registration and grants to compare against). A file that is not a HAR, or is cut short, exits 2
     * naming where it broke.
     */
    @Command(name = "least", mixinStandardHelpOptions = true,
            description = {"The least privileged permissions that cover the Graph calls of a HAR recording, or of an app",
                "as Consentry recorded them, per scheme, and the permissions held that no call needed."})
    static final class Least implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        /** Where the calls come from: one of the two. */
        static final class Source {
            @Option(names = "--har", required = true, paramLabel = "FILE",
                    description = "An HTTP Archive (HAR 1.2) of calls to Microsoft Graph or to Consentry.")
            Path har;

            @Option(names = "--client-id", required = true, paramLabel = "APP",
                    description = {"An app's calls as Consentry recorded them (its client id or display name), compared with",
                        "what its registration requests and the tenant granted. The allowed calls are kept by the running",
                        "server (serve --recent-decisions); without one, only the refusals stored in the data dir count."})
            String clientId;
        }

        @Option(names = "--tenant", paramLabel = "ID", description = "With --client-id: the tenant (may be left out when there is one).")
        String tenant;

        @picocli.CommandLine.Mixin
        StoreOptions storeOptions;

        @Option(names = "--output", defaultValue = "text", description = "text or json.")
        OutputFormat output;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (source.har != null) {
                LeastPrivilege least = new LeastPrivilege(GraphPermissionCatalogue.builtin(), source.har.toString());
                HarFile.read(source.har, least::add);
                LeastPrivilege.Result result = least.result();
                if (output == OutputFormat.json) {
                    out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json(result)));
                } else {
                    text(result, out);
                }
            } else {
                Administration.PermissionUse use;
                try (Administration admin = storeOptions.administration()) {
                    use = admin.permissionUse(tenant, source.clientId);
                }
                AppUse app = AppUse.of(use);
                if (output == OutputFormat.json) {
                    ObjectNode root = json(app.result());
                    app.json(root);
                    out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
                } else {
                    app.text(out);
                }
            }
            out.flush();
            return 0;
        }

        /** An app's recorded calls, their least privileged cover, and what its registration and grants hold beyond it. */
        record AppUse(Administration.PermissionUse use, LeastPrivilege.Result result) {
            static AppUse of(Administration.PermissionUse use) {
                LeastPrivilege least = new LeastPrivilege(GraphPermissionCatalogue.builtin(), "the record of " + use.appId());
                for (Administration.RecordedCall c : use.calls()) {
                    LeastPrivilege.Side side = c.scheme() == null ? null
                            : "Application".equals(c.scheme()) ? LeastPrivilege.Side.APPLICATION : LeastPrivilege.Side.DELEGATED;
                    least.addRecorded(c.method(), c.path(), side, c.allowed() + c.refused());
                }
                return new AppUse(use, least.result());
            }

            /** The permissions of {@code side} that {@code names} lists and the cover does not need, in name order. */
            List<String> notNeeded(LeastPrivilege.Answer side, Map<String, List<String>> names) {
                java.util.Set<String> chosen = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                side.permissions().forEach(c -> chosen.add(c.permission()));
                return names.getOrDefault(side.side().label(), List.of()).stream().filter(p -> !chosen.contains(p)
                        && !LeastPrivilege.SIGN_IN_SCOPES.contains(p.toLowerCase(java.util.Locale.ROOT))).toList();
            }

            /** The cover's permissions of {@code side} that the registration does not request. */
            List<String> notRequested(LeastPrivilege.Answer side) {
                java.util.Set<String> requested = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                requested.addAll(use.requested().getOrDefault(side.side().label(), List.of()));
                return side.permissions().stream().map(LeastPrivilege.Chosen::permission).filter(p -> !requested.contains(p))
                        .toList();
            }

            void text(PrintWriter out) {
                int calls = use.calls().stream().mapToInt(c -> c.allowed() + c.refused()).sum();
                int refused = use.calls().stream().mapToInt(Administration.RecordedCall::refused).sum();
                out.println(use.appName() + " (" + use.appId() + ") in tenant " + use.tenantId() + ": " + calls
                        + " recorded Graph calls, " + refused + " refused.");
                if (!use.includesAllowed()) {
                    out.println("No Consentry runs on this data dir: only the refusals it stored count. Allowed calls are "
                            + "kept by the running server; ask it while it runs.");
                }
                sides(result, out, a -> {
                    if (a.calls() > 0) {
                        List<String> missing = notRequested(a);
                        out.println("  Needed and not requested by the registration: " + listed(missing));
                    }
                    out.println("  Requested and needed by no call: " + listed(notNeeded(a, use.requested())));
                    out.println("  Granted and needed by no call: " + listed(notNeeded(a, use.held())));
                });
            }

            void json(ObjectNode root) {
                ObjectNode app = root.putObject("app");
                app.put("tenantId", use.tenantId());
                app.put("appId", use.appId());
                app.put("displayName", use.appName());
                app.put("includesAllowedCalls", use.includesAllowed());
                for (LeastPrivilege.Answer a : result.answers()) {
                    ObjectNode side = (ObjectNode) root.get(a.side().label());
                    side.remove("excess");
                    notRequested(a).forEach(side.putArray("neededNotRequested")::add);
                    notNeeded(a, use.requested()).forEach(side.putArray("requestedNotNeeded")::add);
                    notNeeded(a, use.held()).forEach(side.putArray("grantedNotNeeded")::add);
                }
            }

        }

        private static void text(LeastPrivilege.Result r, PrintWriter out) {
            out.println(r.entries() + " entries: " + r.graphCalls() + " Graph calls (" + r.withoutToken()
                    + " without a readable token, counted in both schemes), " + r.skipped() + " skipped (not Graph).");
            sides(r, out, a -> {
                if (a.calls() > 0) {
                    out.println("  Held and needed by no call: " + listed(a.excess()));
                }
            });
        }

        /**
         * Each scheme's answer: the permissions that cover its calls with the calls each is for, the calls no permission
         * of the scheme allows, then what {@code more} adds; and the routes the catalogue does not know.
         */
        private static void sides(LeastPrivilege.Result r, PrintWriter out, java.util.function.Consumer<LeastPrivilege.Answer> more) {
            for (LeastPrivilege.Answer a : r.answers()) {
                out.println();
                if (a.calls() == 0) {
                    out.println(capitalised(a.side().label()) + ": no calls.");
                } else {
                    out.println(capitalised(a.side().label()) + " (" + a.calls() + " calls): " + a.permissions().size()
                            + (a.permissions().size() == 1 ? " permission" : " permissions") + " cover them");
                    for (LeastPrivilege.Chosen c : a.permissions()) {
                        out.println("  " + c.permission());
                        calls(c.calls(), out);
                    }
                    if (!a.notAllowed().isEmpty()) {
                        out.println("  Allowed by no " + a.side().label() + " permission:");
                        calls(a.notAllowed(), out);
                    }
                }
                more.accept(a);
            }
            if (!r.unknownRoutes().isEmpty()) {
                out.println();
                out.println("Routes the catalogue does not know (" + r.unknownRoutes().size() + "):");
                r.unknownRoutes().forEach((route, n) -> out.println("  " + route + times(n)));
            }
        }

        private static String listed(List<String> names) {
            return names.isEmpty() ? "none" : String.join(", ", names);
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
