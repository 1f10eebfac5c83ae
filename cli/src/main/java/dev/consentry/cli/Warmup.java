package dev.consentry.cli;

/**
 * Loads the HTTP, TLS and JOSE classes on a second thread while the main thread reads the command line and opens the store, so
 * the two halves of a start overlap on a multi-core machine. Failures are ignored: the main thread
 * loads whatever this did not.
 */
final class Warmup {
    private static final String[] CLASSES = {
        "io.javalin.Javalin", "io.javalin.config.JavalinConfig", "org.eclipse.jetty.server.Server",
        "org.eclipse.jetty.server.ServerConnector", "org.eclipse.jetty.util.ssl.SslContextFactory$Server",
        "org.eclipse.jetty.ee10.servlet.ServletContextHandler", "com.nimbusds.jose.crypto.RSASSASigner",
        "com.nimbusds.jose.JWSObject", "com.fasterxml.jackson.databind.ObjectMapper", "kotlin.jvm.internal.Intrinsics"
    };

    private Warmup() {}

    static void start() {
        Thread t = new Thread(() -> {
            ClassLoader loader = Warmup.class.getClassLoader();
            for (String name : CLASSES) {
                try {
                    Class.forName(name, true, loader);
                } catch (ReflectiveOperationException | LinkageError e) {
                    // only an optimisation
                }
            }
            // The directory's JSON readers: building one is Jackson's reflection over a record type, which the
            // first read of the tenant list would otherwise do on the main thread.
            try {
                com.fasterxml.jackson.databind.ObjectMapper json = dev.consentry.core.directory.DirectoryJson.mapper();
                json.readerFor(dev.consentry.core.directory.TenantDirectory.class);
                for (dev.consentry.store.DirectoryKind<?> kind : dev.consentry.store.DirectoryKind.ALL) {
                    json.readerFor(kind.type());
                }
            } catch (RuntimeException e) {
                // only an optimisation
            }
            try {
                java.security.KeyPairGenerator.getInstance("EC");
            } catch (java.security.GeneralSecurityException e) {
                // only an optimisation
            }
        }, "consentry-warmup");
        t.setDaemon(true);
        t.start();
    }
}
