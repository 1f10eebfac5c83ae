package dev.consentry.server;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.secret.PrivateDirectory;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.graph.authz.AuthorizationEngine;
import dev.consentry.graph.authz.TokenChecks;
import dev.consentry.graph.resource.GraphData;
import dev.consentry.identity.authorize.AuthorizeFlow;
import dev.consentry.identity.code.AuthorizationCodes;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.consent.DescriptionsFile;
import dev.consentry.identity.consent.OwnWords;
import dev.consentry.identity.consent.PermissionDescriptions;
import dev.consentry.identity.grant.TokenEndpoint;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.server.admin.AdminHandler;
import dev.consentry.server.admin.ServerFile;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.diagnostics.Traces;
import dev.consentry.server.explain.DiagnosticsAccess;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.StsResponses;
import dev.consentry.server.signin.BrowserCookie;
import dev.consentry.server.tls.TlsMaterial;
import dev.consentry.store.Store;
import dev.consentry.store.StoreEvent;
import dev.consentry.store.StoreEvents;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A running Consentry: the store, keys, TLS identity and HTTPS server, assembled in one place so that
 * {@code consentry serve}, the JUnit extension and the tests start exactly the same thing.
 *
 * <p>Guaranteed on start: the consumers tenant exists; a primary signing key exists (kept in the store);
 * the local CA exists (kept in the store, {@code ca.pem} written to the data dir when there is one).
 */
public final class Consentry implements AutoCloseable {
    private final ServerConfig config;
    private final Store store;
    private final SigningKeys keys;
    private final TlsMaterial tls;
    private final ConsentryServer server;
    private final Traces traces;
    private final StoreEvents.Subscription caches;
    private final Housekeeping housekeeping;
    private final Optional<ServerFile> serverFile;

    private Consentry(ServerConfig config, Store store, SigningKeys keys, TlsMaterial tls, ConsentryServer server,
                      Traces traces, StoreEvents.Subscription caches, Optional<ServerFile> serverFile) {
        this.serverFile = serverFile;
        this.traces = traces;
        this.caches = caches;
        this.housekeeping = Housekeeping.start(store, config.clock());
        this.config = config;
        this.store = store;
        this.keys = keys;
        this.tls = tls;
        this.server = server;
    }

    /**
     * The data dir created or kept private to its owner before the CA and the admin token go into it
     * ({@link PrivateDirectory}); the command line has already said what it narrowed, so this is silent.
     */
    private static void keepPrivate(java.nio.file.Path dataDir) {
        try {
            PrivateDirectory.secure(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Starts Consentry on {@code store}; the caller keeps ownership of the store and closes it after this. */
    public static Consentry start(ServerConfig config, Store store) {
        GraphPermissionCatalogue catalogue = catalogue(config); // first: a bad permissions file stops the start at once
        PermissionDescriptions descriptions = descriptions(config);
        config.dataDir().ifPresent(Consentry::keepPrivate);
        Set<String> hosts = new LinkedHashSet<>();
        hosts.add(config.host());
        config.publicBaseUrl().map(URI::getHost).ifPresent(hosts::add);
        // The TLS identity and the signing keys are independent; on a first start each makes a key pair and a
        // certificate, so they are made side by side (a restart only reads them).
        FutureTask<TlsMaterial> tlsTask = new FutureTask<>(() ->
                TlsMaterial.create(store.localAuthority(), config.dataDir(), hosts, config.clock().instant()));
        Thread.ofPlatform().name("consentry-tls-setup").start(tlsTask);
        ensureConsumersTenant(store);
        SigningKeys keys = SigningKeys.load(store.signingKeys(), config.clock());
        TlsMaterial tls = awaitTls(tlsTask);
        AccessTokenFactory factory = new AccessTokenFactory(keys);
        TokenValidator anyAudience = TokenValidator.builder(keys).ignoreAudience().build();
        TokenEndpoint tokens = new TokenEndpoint(store, factory, anyAudience);
        TokenChecks graphTokens = new TokenChecks(TokenChecks.graphTokenValidator(keys), catalogue);
        AuthorizationEngine graph = new AuthorizationEngine(graphTokens, catalogue, store);
        AuthorizeFlow authorize = new AuthorizeFlow(store, new DelegatedScopes(store, new ResourceResolver(store)),
                new AuthorizationCodes(store), factory);
        // The commands' way in: a fresh random credential per start, written to the data dir's server.json below.
        Optional<String> adminToken = config.dataDir().map(dir -> ServerFile.newAdminToken());
        BrowserCookie cookie = new BrowserCookie(store.localAuthority().load().orElseThrow().privateKeyPem());
        ConsentryServer[] self = new ConsentryServer[1];
        Origins origins = new Origins(config.publicBaseUrl(), () -> "https://localhost:" + self[0].port(),
                config.trustForwardedFor());
        Traces traces = new Traces(store.traces(), config.recentDecisions());
        Components components = new Components(store, config.clock(), keys, origins, traces,
                new StsResponses(config.clock(), traces, origins), tokens, authorize, cookie, graph, graphTokens, anyAudience,
                new GraphData(store), adminToken.map(t -> new AdminHandler(
                        new StoreAdministration(store, () -> keys, catalogue, config.clock(), false, traces::graphCalls), t)), descriptions,
                config.diagnosticsFromAnywhere() ? DiagnosticsAccess.ANYONE
                        : config.loopbackOnly() ? DiagnosticsAccess.THIS_MACHINE_OR_TOKEN : DiagnosticsAccess.TOKEN,
                AuthorizationEngine.offline(catalogue),
                new dev.consentry.identity.grant.HypotheticalTokens(store, factory));
        self[0] = ConsentryServer.start(config, components, tls);
        // Every cache built from stored facts hears of their changes from the store's feed, whichever path wrote them.
        StoreEvents.Subscription caches = store.events().subscribe(event -> {
            switch (event) {
                case StoreEvent.DirectoryChanged changed -> self[0].directoryChanged();
                case StoreEvent.SigningKeysChanged changed -> keys.reload();
                case StoreEvent.UserSessionsRevoked revoked -> { } // read at token time from the store
            }
        });
        // Commands reach the server on this machine: by localhost unless it was bound to one other address.
        String local = config.host().equals("0.0.0.0") || config.host().equals("::") || isLoopback(config.host())
                ? "localhost" : config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        Optional<ServerFile> serverFile = adminToken.map(t -> new ServerFile("https://" + local + ":" + self[0].port(),
                ProcessHandle.current().pid(), t, store.description()));
        try {
            if (serverFile.isPresent()) {
                serverFile.get().write(config.dataDir().orElseThrow());
            }
        } catch (IOException e) {
            caches.close();
            self[0].close();
            throw new IllegalArgumentException("cannot write " + ServerFile.NAME + " in the data dir: " + e.getMessage(), e);
        }
        // The CA and TLS files of a first start were written with the umask: the owner's alone, as the rest.
        config.dataDir().ifPresent(Consentry::keepPrivate);
        return new Consentry(config, store, keys, tls, self[0], traces, caches, serverFile);
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The built-in Graph permission catalogue, or the one derived from the configured newer permissions file. */
    private static GraphPermissionCatalogue catalogue(ServerConfig config) {
        if (config.permissionsFile().isEmpty()) {
            return GraphPermissionCatalogue.builtin();
        }
        Path file = config.permissionsFile().get();
        try {
            return GraphPermissionCatalogue.fromPermissionsFile(file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the permissions file " + file + " could not be read as Microsoft's "
                    + "permissions.json: " + e.getMessage(), e);
        }
    }

    /** Consentry's own words, or Microsoft's descriptions file the user gave (falling back to them). */
    private static PermissionDescriptions descriptions(ServerConfig config) {
        if (config.permissionDescriptions().isEmpty()) {
            return new OwnWords();
        }
        Path file = config.permissionDescriptions().get();
        try {
            return DescriptionsFile.read(file, new OwnWords());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the permission descriptions file " + file + " could not be read as Microsoft's "
                    + "permissions-descriptions.json: " + e.getMessage(), e);
        }
    }

    private static TlsMaterial awaitTls(FutureTask<TlsMaterial> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("could not set up TLS", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up TLS", e);
        }
    }

    /** The consumers tenant of personal Microsoft accounts always exists (product brief, section 3). */
    private static void ensureConsumersTenant(Store store) {
        if (store.tenants().find(WellKnown.CONSUMERS_TENANT_ID).isEmpty()) {
            TenantDirectory consumers = new TenantDirectory(WellKnown.CONSUMERS_TENANT_ID, "Microsoft accounts (consumers)",
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            // With the built-in resource service principals, as every tenant has them.
            store.tenants().replace(TenantFile.normalise(consumers, SecretHasher.standard()));
        }
    }

    /** Replaces the given tenants (each as a whole); the change feed refreshes what the server built from them. */
    public void importTenants(List<TenantDirectory> tenants) {
        store.tenants().replaceAll(tenants);
    }

    /** {@code https://localhost:<port>}, or the configured public base URL. */
    public String baseUrl() {
        return config.publicBaseUrl().map(u -> {
            String s = u.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }).orElse("https://localhost:" + server.port());
    }

    public int port() {
        return server.port();
    }

    /** The local CA certificate that clients must trust. */
    public X509Certificate caCertificate() {
        return tls.authority();
    }

    public SigningKeys signingKeys() {
        return keys;
    }

    /** How recent requests were decided, on both channels. */
    public Traces traces() {
        return traces;
    }

    /** Every HTTP route of this instance ({@link Routing}), in declaration order: the parity matrix is made from it. */
    public java.util.List<Routing.Route> routes() {
        return server.routes();
    }

    /** What the operator should know about the TLS set-up: a local CA made without name constraints, say. */
    public Optional<String> tlsNotice() {
        return tls.notice();
    }

    /** The directory store this instance serves. */
    public Store store() {
        return store;
    }

    /** The clock every decision of this server reads. */
    public java.time.Clock clock() {
        return config.clock();
    }

    @Override
    public void close() {
        caches.close();
        housekeeping.close();
        server.close();
        serverFile.ifPresent(f -> f.deleteIfOurs(config.dataDir().orElseThrow()));
    }
}
