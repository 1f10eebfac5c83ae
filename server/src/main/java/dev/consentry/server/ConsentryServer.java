package dev.consentry.server;

import dev.consentry.server.tls.TlsMaterial;
import io.javalin.Javalin;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTPS server: Javalin on Jetty 12 with a pool of platform threads, one TLS connector, routes from
 * {@link Routing#configure}. Plain HTTP is never served.
 */
public final class ConsentryServer implements AutoCloseable {
    private final Javalin app;
    private final ServerConnector connector;
    private final Routing.Configured routing;

    private ConsentryServer(Javalin app, ServerConnector connector, Routing.Configured routing) {
        this.app = app;
        this.connector = connector;
        this.routing = routing;
    }

    /** Builds and starts the server; returns once it accepts connections. */
    static ConsentryServer start(ServerConfig config, Components components, TlsMaterial tls) {
        ServerConnector[] holder = new ServerConnector[1];
        Routing.Configured[] routing = new Routing.Configured[1];
        Javalin app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            // Platform threads, which the operating system time-slices: with virtual threads, requests that wait
            // behind CPU-bound work (an RSA signature per token) were served unevenly, and the token p99 at 16
            // connections was 230-420 ms against 60-70 ms with this pool (docs/performance.md, issue 13).
            c.jetty.threadPool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, IDLE_THREAD_MILLIS);
            c.http.maxRequestSize = 1024 * 1024;
            c.jetty.addConnector((server, httpConfig) -> {
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setKeyStore(tls.keyStore());
                ssl.setKeyStorePassword(new String(tls.password()));
                ssl.setKeyManagerPassword(new String(tls.password()));
                ssl.setTrustStore(tls.trustStore());
                HttpConfiguration https = new HttpConfiguration(httpConfig);
                https.setSendServerVersion(false);
                https.setSendXPoweredBy(false);
                // Entra tokens with many claims (groups, wids) outgrow the default 8 KB of request headers; a
                // token up to the validator's limit must reach it and be judged there (401), not cut off (431).
                https.setRequestHeaderSize(REQUEST_HEADER_BYTES);
                SecureRequestCustomizer secure = new SecureRequestCustomizer();
                secure.setSniHostCheck(false); // clients reach us as 127.0.0.1 too, without SNI
                https.addCustomizer(secure);
                ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                        new HttpConnectionFactory(https));
                connector.setHost(config.host());
                connector.setPort(config.port());
                holder[0] = connector;
                return connector;
            });
            routing[0] = Routing.configure(c, components);
        });
        try {
            app.start();
        } catch (io.javalin.util.JavalinBindException e) {
            app.stop();
            throw new IllegalArgumentException("cannot listen on " + config.host() + ":" + config.port()
                    + ": the port is in use or not allowed (choose another with --port)", e);
        }
        return new ConsentryServer(app, holder[0], routing[0]);
    }

    /**
     * The request threads; idle ones above the minimum end after a minute. No handler waits on anything but the store
     * (whose pool has fewer connections), so 32 keep two cores busy at any load; Jetty's usual 200 only added stacks:
     * about 100 threads and 15 MB more RSS at 64 connections (docs/performance.md, issue 13).
     */
    static final int MAX_THREADS = 32;

    static final int MIN_THREADS = 8;
    static final int IDLE_THREAD_MILLIS = 60_000;

    /** Room for an Authorization header with the largest token the validator reads, and the other headers. */
    static final int REQUEST_HEADER_BYTES = 32 * 1024;

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Rebuild cached documents after tenants changed. */
    public void directoryChanged() {
        routing.listener().directoryChanged();
    }

    /** Every HTTP route this server declared ({@link Routing}), in declaration order. */
    public java.util.List<Routing.Route> routes() {
        return routing.routes();
    }

    @Override
    public void close() {
        app.stop();
    }
}
