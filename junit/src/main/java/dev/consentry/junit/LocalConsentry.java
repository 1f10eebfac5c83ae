package dev.consentry.junit;

import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.core.tenantfile.TenantFileException;
import dev.consentry.server.Consentry;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.tls.TlsMaterial;
import dev.consentry.server.tls.TrustingClients;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.MutableClock;
import dev.consentry.testkit.TestTenants;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A Consentry running in this JVM on a free loopback port, over HTTPS with a CA of its own, on an in-memory store:
 * what {@link ConsentryExtension} starts and hands to tests. It serves everything {@code consentry serve} serves
 * (the identity platform, Microsoft Graph, the diagnostics), through the same code.
 *
 * <p>Guaranteed: {@link #sslContext()} and {@link #trustStore()} trust this instance's CA and nothing else; two
 * instances in one JVM have two ports, two CAs and two stores.
 */
public final class LocalConsentry implements AutoCloseable {
    private final Store store;
    private final Consentry consentry;
    private final MutableClock clock;
    private final SSLContext ssl;
    private final KeyStore trustStore;
    private final X509TrustManager trustManager;
    private final ConsentryControl control;

    private LocalConsentry(Store store, Consentry consentry, MutableClock clock) throws GeneralSecurityException {
        this.store = store;
        this.consentry = consentry;
        this.clock = clock;
        this.trustStore = TrustingClients.trustStore(consentry.caCertificate());
        TrustManagerFactory tmf = TrustingClients.trustManagers(trustStore);
        this.trustManager = (X509TrustManager) tmf.getTrustManagers()[0];
        this.ssl = TrustingClients.sslContext(tmf);
        this.control = new ConsentryControl(consentry, store, clock);
    }

    /**
     * Starts a Consentry with {@code tenantFiles} (each a tenant file's bytes and the name its messages use) loaded
     * and checked as {@code consentry tenant import} loads them, and {@code directories} as they are.
     *
     * @throws ConsentrySetupException when a tenant file is refused: its message names the source, the JSON path and
     *     what is wrong, and nothing is left running
     */
    static LocalConsentry start(List<Source> tenantFiles, List<TenantDirectory> directories, MutableClock clock) {
        Store store = new InMemoryStore();
        Consentry consentry = null;
        try {
            List<TenantDirectory> tenants = new java.util.ArrayList<>();
            for (Source file : tenantFiles) {
                tenants.addAll(read(file));
            }
            tenants.addAll(directories);
            consentry = Consentry.start(new ServerConfig("127.0.0.1", 0, Optional.empty(), Optional.empty(), clock), store);
            consentry.importTenants(tenants);
            return new LocalConsentry(store, consentry, clock);
        } catch (RuntimeException | GeneralSecurityException e) {
            if (consentry != null) {
                consentry.close();
            }
            store.close();
            if (e instanceof ConsentrySetupException s) {
                throw s;
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /**
     * Starts a Consentry with {@code tenants}, outside JUnit (another test framework, a {@code main}); the caller
     * closes it. Its clock follows the system clock until {@link ConsentryControl#advanceClock} moves it.
     *
     * @throws ConsentrySetupException when a tenant does not load, with the tenant file path of the mistake
     */
    public static LocalConsentry start(ConsentryTenant... tenants) {
        List<Source> files = tenants.length == 0 ? List.of()
                : List.of(ConsentryExtension.tenantFile(List.of(tenants), "the tenants given to LocalConsentry.start"));
        return start(files, List.of(), MutableClock.ticking());
    }

    /** A tenant file's bytes and the name its messages give it. */
    record Source(byte[] bytes, String name) {}

    /**
     * The tenants of a tenant file, checked as an import checks them. Secrets are hashed at a low cost: the tests'
     * own secrets, which nobody guesses offline.
     */
    static List<TenantDirectory> read(Source file) {
        try {
            return TenantFile.read(new ByteArrayInputStream(file.bytes()), file.name(), TestTenants.FAST_HASHER);
        } catch (TenantFileException e) {
            throw new ConsentrySetupException("Consentry refused the tenants: " + e.getMessage());
        } catch (IOException e) {
            throw new ConsentrySetupException("Consentry could not read " + file.name() + ": " + e.getMessage());
        }
    }

    /** {@code https://localhost:<port>}: the issuer host, the authority host and Graph's host alike. */
    public URI baseUrl() {
        return URI.create("https://localhost:" + consentry.port());
    }

    /** Microsoft Graph's v1.0 root on this instance, {@code https://localhost:<port>/v1.0}. */
    public String graphUrl() {
        return baseUrl() + "/v1.0";
    }

    /** The authority an MSAL client is given for {@code tenant} (its id or a verified domain), with the trailing slash. */
    public String authority(String tenant) {
        return baseUrl() + "/" + tenant + "/";
    }

    /** The authority of a tenant built in code. */
    public String authority(ConsentryTenant tenant) {
        return authority(tenant.tenantId());
    }

    /** The v2.0 issuer of {@code tenant}'s tokens, as Spring Security's {@code issuer-uri} takes it. */
    public String issuer(ConsentryTenant tenant) {
        return baseUrl() + "/" + tenant.tenantId() + "/v2.0";
    }

    /** The port it listens on (loopback). */
    public int port() {
        return consentry.port();
    }

    /** A TLS context trusting this instance's CA alone. */
    public SSLContext sslContext() {
        return ssl;
    }

    /** The same trust as a trust manager, for clients (OkHttp) that take the two apart. */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** A PKCS#12 trust store (no password) holding this instance's CA: for clients configured by key store. */
    public KeyStore trustStore() {
        return trustStore;
    }

    /**
     * Makes this instance's CA the JVM's default trust (the {@code javax.net.ssl.trustStore} properties, with a PKCS#12
     * file written for it), for code that takes no TLS context of its own, such as Spring Security's
     * {@code issuer-uri} discovery. It works only before anything in the JVM has used the default TLS context, which
     * reads those properties once; call it first thing (Spring: in a {@code @DynamicPropertySource} method).
     * Returns the file.
     */
    public java.nio.file.Path installAsDefaultTrustStore() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("consentry-trust", ".p12");
            file.toFile().deleteOnExit();
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
                trustStore.store(out, TlsMaterial.TRUST_STORE_PASSWORD.toCharArray());
            }
            System.setProperty("javax.net.ssl.trustStore", file.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", TlsMaterial.TRUST_STORE_PASSWORD);
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not write the trust store", e);
        }
    }

    /** The CA that signed its TLS certificate. */
    public X509Certificate caCertificate() {
        return consentry.caCertificate();
    }

    /** A new {@link HttpClient} trusting it. */
    public HttpClient httpClient() {
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    /** Its clock, sessions, grants, tenants and recorded decisions. */
    public ConsentryControl control() {
        return control;
    }

    /** The clock every token, code and session of this instance reads; a test moves it with {@link #control()}. */
    MutableClock clock() {
        return clock;
    }

    /** Stops the server and drops its store. */
    @Override
    public void close() {
        consentry.close();
        store.close();
    }
}
