package dev.consentry.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for a client of Consentry that trusts its local CA and nothing else: the command line asking a running server,
 * the benchmarks and the tests.
 */
public final class TrustingClients {
    private TrustingClients() {}

    /** Trust managers that accept exactly the chains {@code ca} issued. */
    public static TrustManagerFactory trustManagers(X509Certificate ca) throws GeneralSecurityException {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("consentry-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf;
        } catch (IOException e) {
            throw new GeneralSecurityException("an empty key store could not be made", e);
        }
    }

    /** A TLS context that trusts {@code ca} only. */
    public static SSLContext sslContext(X509Certificate ca) throws GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers(ca).getTrustManagers(), null);
        return tls;
    }

    /** The CA certificate of a data dir's {@code ca.pem}. */
    public static X509Certificate readCa(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
