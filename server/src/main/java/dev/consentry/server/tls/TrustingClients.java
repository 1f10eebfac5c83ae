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

    /** An in-memory PKCS#12 trust store holding {@code ca} alone (alias {@code consentry-ca}). */
    public static KeyStore trustStore(X509Certificate ca) throws GeneralSecurityException {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("consentry-ca", ca);
            return trust;
        } catch (IOException e) {
            throw new GeneralSecurityException("an empty key store could not be made", e);
        }
    }

    /** Trust managers that accept exactly the chains {@code ca} issued. */
    public static TrustManagerFactory trustManagers(X509Certificate ca) throws GeneralSecurityException {
        return trustManagers(trustStore(ca));
    }

    /** Trust managers over {@code trustStore}. */
    public static TrustManagerFactory trustManagers(KeyStore trustStore) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        return tmf;
    }

    /** A TLS context that trusts {@code ca} only. */
    public static SSLContext sslContext(X509Certificate ca) throws GeneralSecurityException {
        return sslContext(trustManagers(ca));
    }

    /** A TLS context with {@code trust}'s trust managers and no key of its own. */
    public static SSLContext sslContext(TrustManagerFactory trust) throws GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    /** The CA certificate of a data dir's {@code ca.pem}. */
    public static X509Certificate readCa(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
