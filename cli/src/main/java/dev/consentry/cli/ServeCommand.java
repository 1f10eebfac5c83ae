package dev.consentry.cli;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.server.Consentry;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.admin.ServerFile;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.tls.TlsMaterial;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code consentry serve}: opens the store, loads the tenant file (or makes the demo tenant in a fresh
 * data dir), starts HTTPS and prints one line {@code Consentry is ready at <base URL>}. Ctrl-C and
 * SIGTERM stop it cleanly (the server drains, then the store closes).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start Consentry over HTTPS on loopback: the Microsoft identity platform (discovery, keys, "
                + "authorize and sign-in pages, token, device code, logout, userinfo), Microsoft Graph (/v1.0, /beta) with "
                + "its authorization and directory data, and /consentry/diagnostics, which explains every decision.",
            "A fresh data dir gets a demo tenant; its apps, users and credentials are printed at start. "
                + "Commands such as 'tenant import', 'grant' and 'keys rotate' work while it runs and take effect at once."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--in-memory",
            description = "Keep the directory in memory only, gone at stop (the CA in the data dir is reused).")
    boolean inMemory;

    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST, description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + ServerConfig.DEFAULT_PORT, description = "HTTPS port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--tenant-file", paramLabel = "FILE", description = "Load the tenants of this file (each replaces the stored tenant with its id).")
    Path tenantFile;

    @Option(names = "--trust-forwarded-for", description = "Take the client's address from X-Forwarded-For on requests "
            + "from this machine (a local proxy), for conditional access's named locations.")
    boolean trustForwardedFor;

    @Option(names = "--diagnostics-from-anywhere", description = "Serve /consentry/diagnostics to every caller; by default "
            + "only callers on this machine get them, since they show directory facts (users, apps, grants).")
    boolean diagnosticsFromAnywhere;

    @Option(names = "--public-base-url", paramLabel = "URL", description = "Publish every URL on this origin instead of the one each request used.")
    URI publicBaseUrl;

    @Option(names = "--permissions-file", paramLabel = "FILE",
            description = "A newer permissions.json published by Microsoft, used instead of the built-in Graph permission "
                    + "catalogue to authorize Graph calls.")
    Path permissionsFile;

    @Option(names = "--permission-descriptions", paramLabel = "FILE",
            description = "Microsoft's permissions-descriptions.json: the consent page shows its descriptions of Microsoft "
                    + "Graph's permissions instead of Consentry's own one-liners.")
    Path permissionDescriptions;

    @Option(names = "--decision-log-size", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_RECENT_DECISIONS,
            description = "How many decisions /consentry/diagnostics keeps, newest first: as many refusals in the store and "
                    + "as many allowed requests in this node's memory (default: ${DEFAULT-VALUE}).")
    int decisionLogSize;

    @Option(names = "--output", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--exit-when-ready", hidden = true,
            description = "Stop as soon as the server is ready (the launcher's training run for the startup cache).")
    boolean exitWhenReady;

    @Override
    public Integer call() throws Exception {
        // First of all: a data dir another process serves is refused before any work (or wait) begins.
        ServerFile.read(storeOptions.dataDir).filter(ServerFile::processAlive).ifPresent(running -> {
            throw new Main.UserError("a Consentry (pid " + running.pid() + ") already serves " + storeOptions.dataDir + " at "
                    + running.baseUrl() + "; stop it first, or give this one its own --data-dir (commands such as "
                    + "'consentry tenant import' work while it runs)");
        });
        storeOptions.securePrivately(spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        StartupTrace trace = StartupTrace.fromEnvironment();
        trace.mark("command line read");
        ServerConfig config;
        try { // a bad option value: one line, no stack trace
            config = new ServerConfig(host, port, Optional.ofNullable(publicBaseUrl), Optional.of(storeOptions.dataDir), clock,
                    Optional.ofNullable(permissionsFile), decisionLogSize, Optional.ofNullable(permissionDescriptions),
                    trustForwardedFor, diagnosticsFromAnywhere);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
        if (!config.loopbackOnly() && publicBaseUrl == null) {
            throw new Main.UserError("--host " + host + " makes Consentry reachable from other machines: give --public-base-url, "
                    + "the https origin they reach it by (for example https://build-agent.example:" + (port == 0 ? 8443 : port)
                    + "), which every token's issuer and every published URL then names");
        }
        if (inMemory && storeOptions.jdbcUrl != null) {
            throw new Main.UserError("--in-memory and --store exclude each other");
        }
        Store store = inMemory ? new InMemoryStore(config.recentDecisions()) : storeOptions.open(config.recentDecisions());
        trace.mark("store open");
        Consentry consentry;
        List<Banner.DemoCredentials> demo = List.of();
        FutureTask<DemoSummary.Lines> summary;
        try {
            if (tenantFile != null) {
                StoreAdministration.onStore(store, clock).importTenants(TenantFiles.bytes(tenantFile), tenantFile.toString());
            } else {
                demo = DemoSetup.ensure(store, storeOptions.dataDir, inMemory, clock);
            }
            trace.mark("tenants loaded");
            // The banner's list of demo apps and users reads the whole demo tenant: on a second thread, beside the
            // server's start.
            List<Banner.DemoCredentials> credentials = demo;
            summary = new FutureTask<>(() -> DemoSummary.forBanner(store, credentials));
            Thread.ofPlatform().name("consentry-demo-summary").start(summary);
            try { // an unreadable permissions file, a port in use: one line, no stack trace
                consentry = Consentry.start(config, store);
            } catch (IllegalArgumentException e) {
                throw new Main.UserError(e.getMessage());
            }
            consentry.tlsNotice().ifPresent(notice -> {
                spec.commandLine().getErr().println("consentry: " + notice);
                spec.commandLine().getErr().flush();
            });
            trace.mark("server started");
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consentry.close();
            store.close();
            stopped.countDown();
        }, "consentry-shutdown"));
        long startedMs = ManagementFactory.getRuntimeMXBean().getUptime();
        Path ca = storeOptions.dataDir.resolve(TlsMaterial.CA_FILE).toAbsolutePath().normalize();
        List<Banner.TenantLine> tenants = store.tenants().list().stream()
                .filter(t -> !t.id().equals(WellKnown.CONSUMERS_TENANT_ID))
                .map(t -> new Banner.TenantLine(t.id().toString(), t.displayName(), t.defaultDomain().orElse(""),
                        consentry.baseUrl() + "/" + t.id()))
                .toList();
        DemoSummary.Lines lines;
        try {
            lines = summary.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        trace.mark("demo summary made");
        List<DemoSummary.AppLine> apps = lines.apps();
        List<DemoSummary.UserLine> users = lines.users();
        if (!config.loopbackOnly()) {
            // Reachable from the network: say so, and keep the demo credentials off the screen (and out of CI logs).
            apps = apps.stream().map(a -> new DemoSummary.AppLine(a.name(), a.clientId(), a.type(), a.mayDo(), null)).toList();
            users = users.stream().map(u -> new DemoSummary.UserLine(u.userPrincipalName(), u.displayName(), u.roles(), null))
                    .toList();
            spec.commandLine().getErr().println("consentry: WARNING: listening on " + host + ", reachable from other machines: "
                    + "anyone who reaches port " + consentry.port() + " can ask for tokens and use the sign-in pages; "
                    + "/consentry/diagnostics now answers only a token with a role that reads sign-in logs, and the demo "
                    + "credentials are not printed (they are in " + storeOptions.dataDir.resolve(DemoSetup.CREDENTIALS_FILE)
                    + ", readable by you alone)");
            spec.commandLine().getErr().flush();
        }
        Banner banner = new Banner(consentry.baseUrl(), ca, store.description(), tenants, apps, users, startedMs);
        // --output json: this one document is all that goes to standard output (logs go to standard error).
        out.print(output == OutputFormat.json ? banner.json() + "\n" : banner.text());
        out.flush();
        trace.mark("banner printed");
        if (exitWhenReady) {
            return 0; // the shutdown hook closes the server and the store
        }
        // Start-up leaves garbage (tenant file, key and certificate work); one collection now lets the heap
        // shrink to what an idle emulator needs (the launcher's MaxHeapFreeRatio), so idle memory stays small.
        System.gc();
        stopped.await();
        return 0;
    }
}
