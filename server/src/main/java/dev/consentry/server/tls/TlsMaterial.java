package dev.consentry.server.tls;

import dev.consentry.core.key.LocalAuthority;
import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.identity.key.Certificates;
import dev.consentry.store.LocalAuthorityStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The TLS identity of the server: a local CA kept in the store (made once and replaced only on request, so a
 * trusted {@code ca.pem} stays valid) and a short-lived server certificate it signs at each start for
 * {@code localhost}, {@code 127.0.0.1}, {@code ::1} and any configured host names.
 *
 * <p>The CA's name constraints (RFC 5280, 4.2.1.10) limit it to those names, so that trusting {@code ca.pem}, as the
 * README asks, cannot let it vouch for any other site even if its key leaked. A start that needs a host the CA may not
 * vouch for is refused, naming {@code consentry ca renew}; a CA made before the constraints keeps working, with a
 * {@link #notice()} that says how to replace it.
 */
public final class TlsMaterial {
    /** The file clients trust, inside the data dir. */
    public static final String CA_FILE = "ca.pem";
    /** A PKCS#12 trust store with the CA, for Java clients; it holds no secret, so its password is the JDK's usual one. */
    public static final String TRUST_STORE_FILE = "truststore.p12";
    public static final String TRUST_STORE_PASSWORD = "changeit";
    /** The server certificate and key kept between starts: PEM, owner-only. */
    public static final String SERVER_FILE = "tls-server.pem";
    private static final Duration SERVER_CERT_VALIDITY = Duration.ofDays(90);

    private static final String KEY_ALIAS = "server";
    /** The in-memory key store's password; the key's protection on disk is its file's owner-only permission. */
    private static final char[] KEY_PASSWORD = "consentry".toCharArray();

    private final X509Certificate authority;
    private final KeyStore keyStore;
    private final char[] password;
    private final Optional<String> notice;

    private TlsMaterial(X509Certificate authority, KeyStore keyStore, char[] password, Optional<String> notice) {
        this.authority = authority;
        this.keyStore = keyStore;
        this.password = password;
        this.notice = notice;
    }

    /** What the operator should know about the CA in use: it was made without name constraints. */
    public Optional<String> notice() {
        return notice;
    }

    /**
     * Loads the CA from the store (creating it on first start; if the data dir already holds a
     * {@code ca.pem} with its {@code ca-key.pem}, that pair is adopted so an in-memory run keeps the
     * trusted CA), reuses or signs a server certificate for {@code extraHosts} plus the loopback names,
     * and writes {@code ca.pem} into {@code dataDir}.
     */
    public static TlsMaterial create(LocalAuthorityStore store, Optional<Path> dataDir, Set<String> extraHosts,
                                     Instant now) {
        CertificateIssuer.NameScope scope = CertificateIssuer.NameScope.loopbackAnd(extraHosts);
        LocalAuthority ca = store.load().orElseGet(() ->
                store.initializeIfEmpty(adoptFromDataDir(dataDir).orElseGet(() -> newAuthority(now, scope))));
        X509Certificate caCert = Certificates.certificateFromPem(ca.certificatePem());
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        for (String h : extraHosts) {
            if (h.matches("[0-9.]+") || h.contains(":")) {
                ips.add(h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
            } else if (!h.isBlank()) {
                dns.add(h);
            }
        }
        ips.remove("0.0.0.0");
        ips.remove("::");
        // Every name the server certificate carries must be one the CA may vouch for.
        List<String> names = new ArrayList<>(dns);
        names.addAll(ips);
        Optional<String> notice = Optional.empty();
        if (CertificateIssuer.nameConstraints(caCert).isEmpty()) {
            notice = Optional.of("the local CA was made before Consentry limited its CAs to their own hosts, so a client "
                    + "that trusts its ca.pem would accept it for any site; 'consentry ca renew' replaces it with one that "
                    + "may vouch only for " + scope.describe() + " (then trust the new ca.pem)");
        } else {
            for (String host : names) {
                if (!CertificateIssuer.permits(caCert, host)) {
                    throw new IllegalArgumentException("the local CA may vouch only for "
                            + CertificateIssuer.describeScope(caCert) + ", not for '" + host
                            + "' (--host or --public-base-url): run 'consentry ca renew' with the same --host and "
                            + "--public-base-url, then trust the new ca.pem");
                }
            }
        }
        Optional<Path> serverFile = dataDir.map(dir -> dir.resolve(SERVER_FILE));
        ServerIdentity server = serverFile.flatMap(f -> reusable(f, caCert, dns, ips, now)).orElseGet(() -> {
            ServerIdentity fresh = issue(ca, caCert, dns, ips, now);
            serverFile.ifPresent(f -> writeServerFile(f, fresh));
            return fresh;
        });
        dataDir.ifPresent(dir -> writeCaFiles(dir, ca));
        return new TlsMaterial(caCert, server.keyStore(caCert), KEY_PASSWORD, notice);
    }

    /**
     * Replaces the local CA with a new one limited to the loopback names and {@code extraHosts}, drops the server
     * certificate the old one signed, and writes the new {@code ca.pem}, {@code ca-key.pem} and trust store into
     * {@code dataDir}. Every client that trusted the old {@code ca.pem} must trust the new one.
     *
     * @return the new CA's certificate
     */
    public static X509Certificate renewAuthority(LocalAuthorityStore store, Optional<Path> dataDir, Set<String> extraHosts,
                                                 Instant now) {
        LocalAuthority renewed = newAuthority(now, CertificateIssuer.NameScope.loopbackAnd(extraHosts));
        store.replace(renewed);
        dataDir.ifPresent(dir -> {
            try {
                Files.deleteIfExists(dir.resolve(SERVER_FILE));
            } catch (IOException e) {
                throw new IllegalStateException("could not remove the old server certificate " + dir.resolve(SERVER_FILE), e);
            }
            writeCaFiles(dir, renewed);
        });
        return Certificates.certificateFromPem(renewed.certificatePem());
    }


    /** The server's key and certificate. */
    private record ServerIdentity(PrivateKey key, X509Certificate certificate) {
        /**
         * An in-memory key store for Jetty. JKS, not PKCS#12: the PKCS#12 store encrypts and decrypts its key
         * with 10,000 PBKDF2 rounds, a cost paid at every start for a store that never touches the disk.
         */
        KeyStore keyStore(X509Certificate caCert) {
            try {
                KeyStore ks = KeyStore.getInstance("JKS");
                ks.load(null, null);
                ks.setKeyEntry(KEY_ALIAS, key, KEY_PASSWORD, new Certificate[] {certificate, caCert});
                return ks;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("could not build the TLS key store", e);
            }
        }
    }

    /** A new server certificate signed by the CA. */
    private static ServerIdentity issue(LocalAuthority ca, X509Certificate caCert, Set<String> dns, Set<String> ips, Instant now) {
        KeyPair caPair = new KeyPair(caCert.getPublicKey(), Certificates.privateKeyFromPem(ca.privateKeyPem()));
        CertificateIssuer.Issued server = CertificateIssuer.serverCertificate(new CertificateIssuer.Issued(caCert, caPair),
                new ArrayList<>(dns), new ArrayList<>(ips), now, SERVER_CERT_VALIDITY);
        return new ServerIdentity(server.keyPair().getPrivate(), server.certificate());
    }

    /**
     * The server key and certificate kept from an earlier start, when they still fit: signed by this CA,
     * valid for at least another week, and naming every host this start needs. Signing a new one costs a
     * key pair and the certificate builder on every start, which is most of what TLS adds to start-up.
     */
    static Optional<ServerIdentity> reusable(Path file, X509Certificate caCert, Set<String> dns, Set<String> ips, Instant now) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            X509Certificate cert = Certificates.certificateFromPem(pem);
            PrivateKey key = Certificates.privateKeyFromPem(pem);
            if (!issuedByKeyOf(cert, caCert)) {
                return Optional.empty();
            }
            if (cert.getNotAfter().toInstant().isBefore(now.plus(Duration.ofDays(7)))
                    || cert.getNotBefore().toInstant().isAfter(now)) {
                return Optional.empty();
            }
            Set<String> names = new java.util.HashSet<>();
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    Object value = san.get(1);
                    if (value instanceof String v) {
                        names.add(((Integer) san.get(0)) == 7 ? java.net.InetAddress.getByName(v).getHostAddress()
                                : v.toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            for (String d : dns) {
                if (!names.contains(d.toLowerCase(java.util.Locale.ROOT))) {
                    return Optional.empty();
                }
            }
            for (String ip : ips) {
                if (!names.contains(java.net.InetAddress.getByName(ip).getHostAddress())) {
                    return Optional.empty();
                }
            }
            return Optional.of(new ServerIdentity(key, cert));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * True when {@code cert} names {@code ca} as its issuer: the CA's name, and the CA's subject key identifier as its
     * authority key identifier (RFC 5280, 4.2.1.1 and 4.2.1.2; {@code CertificateIssuer} writes both). The file is this
     * data dir's own, so this tells a certificate of the current CA from one of an earlier CA without checking the
     * signature, an ECDSA verification that cost about 70 ms of every restart (docs/performance.md).
     */
    static boolean issuedByKeyOf(X509Certificate cert, X509Certificate ca) {
        byte[] subjectKeyId = ca.getExtensionValue("2.5.29.14");
        byte[] authorityKeyId = cert.getExtensionValue("2.5.29.35");
        if (subjectKeyId == null || authorityKeyId == null
                || !cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        // SKI: OCTET STRING { OCTET STRING keyId }; AKI: OCTET STRING { SEQUENCE { [0] keyId, ... } }.
        byte[] expected = Der.content(Der.content(subjectKeyId, 0x04), 0x04);
        byte[] sequence = Der.content(Der.content(authorityKeyId, 0x04), 0x30);
        byte[] named = sequence == null ? null : Der.content(sequence, 0x80);
        return expected != null && named != null && java.security.MessageDigest.isEqual(expected, named);
    }

    /** The little of DER that the key identifiers need: the content of the first element, if it has the tag. */
    private static final class Der {
        private Der() {}

        static byte[] content(byte[] der, int tag) {
            if (der == null || der.length < 2 || (der[0] & 0xff) != tag) {
                return null;
            }
            int length = der[1] & 0xff;
            int start = 2;
            if (length > 0x80 && length <= 0x82) { // long form: one or two length bytes
                int bytes = length - 0x80;
                if (der.length < 2 + bytes) {
                    return null;
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[2 + i] & 0xff);
                }
                start = 2 + bytes;
            } else if (length >= 0x80) {
                return null;
            }
            return start + length > der.length ? null : java.util.Arrays.copyOfRange(der, start, start + length);
        }
    }

    /** Keeps the server key and certificate for the next start (PKCS#8 key, then the certificate; owner-only). */
    private static void writeServerFile(Path file, ServerIdentity server) {
        try {
            Files.createDirectories(file.getParent());
            writeAtomically(file, Certificates.toPem(server.key()) + Certificates.toPem(server.certificate()), true);
        } catch (IOException e) {
            // Only a start-up shortcut: the next start signs a new certificate.
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the data dir's own permissions apply.
        }
    }

    private static LocalAuthority newAuthority(Instant now, CertificateIssuer.NameScope scope) {
        CertificateIssuer.Issued ca = CertificateIssuer.newAuthority("Consentry local CA", now, scope);
        return new LocalAuthority(Certificates.toPem(ca.certificate()), Certificates.toPem(ca.keyPair().getPrivate()), now);
    }

    private static Optional<LocalAuthority> adoptFromDataDir(Optional<Path> dataDir) {
        if (dataDir.isEmpty()) {
            return Optional.empty();
        }
        Path cert = dataDir.get().resolve(CA_FILE);
        Path key = dataDir.get().resolve("ca-key.pem");
        if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
            return Optional.empty();
        }
        try {
            String certPem = Files.readString(cert, StandardCharsets.US_ASCII);
            String keyPem = Files.readString(key, StandardCharsets.US_ASCII);
            Certificates.certificateFromPem(certPem);
            Certificates.privateKeyFromPem(keyPem);
            return Optional.of(new LocalAuthority(certPem, keyPem, Files.getLastModifiedTime(cert).toInstant()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Writes {@code ca.pem} (public) and {@code ca-key.pem} (owner-only) if they differ from the CA. */
    private static void writeCaFiles(Path dir, LocalAuthority ca) {
        try {
            Files.createDirectories(dir);
            Path cert = dir.resolve(CA_FILE);
            if (!Files.isRegularFile(cert) || !Files.readString(cert, StandardCharsets.US_ASCII).equals(ca.certificatePem())) {
                writeAtomically(cert, ca.certificatePem(), false);
            }
            Path trust = dir.resolve(TRUST_STORE_FILE);
            if (!Files.isRegularFile(trust) || Files.getLastModifiedTime(trust).compareTo(Files.getLastModifiedTime(cert)) < 0) {
                writeTrustStore(trust, Certificates.certificateFromPem(ca.certificatePem()));
            }
            Path key = dir.resolve("ca-key.pem");
            if (!Files.isRegularFile(key) || !Files.readString(key, StandardCharsets.US_ASCII).equals(ca.privateKeyPem())) {
                writeAtomically(key, ca.privateKeyPem(), true);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + CA_FILE + " into " + dir, e);
        }
    }

    /** A PKCS#12 trust store holding only the CA, for Java clients ({@code -Djavax.net.ssl.trustStore}). */
    private static void writeTrustStore(Path target, X509Certificate ca) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("consentry-local-ca", ca);
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            try (var out = Files.newOutputStream(tmp)) {
                ks.store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException e) {
            throw new IOException("could not write " + target, e);
        }
    }

    private static void writeAtomically(Path target, String text, boolean ownerOnly) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        if (ownerOnly) {
            ownerOnly(tmp);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The CA certificate clients should trust. */
    public X509Certificate authority() {
        return authority;
    }

    /** The server's key store (in memory; the key under alias {@code server}). */
    public KeyStore keyStore() {
        return keyStore;
    }

    /**
     * The server's trust store: the local CA alone, in memory. The server asks no client for a certificate, so it
     * never consults it; without one, the JDK reads its whole set of root certificates (cacerts) at every start to
     * build trust managers that are not used.
     */
    public KeyStore trustStore() {
        try {
            KeyStore ks = KeyStore.getInstance("JKS");
            ks.load(null, null);
            ks.setCertificateEntry("consentry-ca", authority);
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build the TLS trust store", e);
        }
    }

    /** The key store's password. */
    public char[] password() {
        return password.clone();
    }
}
