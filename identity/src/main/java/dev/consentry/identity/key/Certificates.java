package dev.consentry.identity.key;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Key pairs, and reading and writing X.509 certificates and PKCS#8 keys (DER, base64, PEM per RFC 7468)
 * with the JDK alone. Making certificates is {@link CertificateIssuer}'s, the only user of BouncyCastle:
 * a restart reads its keys and certificates through this class and never loads BouncyCastle (whose
 * signed jars cost a few hundred milliseconds to open).
 */
public final class Certificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {}

    /** A new RSA key pair of {@code bits} bits. */
    public static KeyPair rsaKeyPair(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is required by every Java SE platform", e);
        }
    }

    /** A new EC P-256 key pair. */
    public static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is required by every Java SE platform", e);
        }
    }

    /** base64url (no padding) of the SHA-1 of the DER certificate: Entra's {@code kid} and {@code x5t}. */
    public static String sha1Thumbprint(X509Certificate certificate) {
        return thumbprint(certificate, "SHA-1");
    }

    /** base64url (no padding) of the SHA-256 of the DER certificate: {@code x5t#S256}. */
    public static String sha256Thumbprint(X509Certificate certificate) {
        return thumbprint(certificate, "SHA-256");
    }

    private static String thumbprint(X509Certificate certificate, String algorithm) {
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a DER certificate given in standard base64 (as {@code keyCredentials[].key} and {@code x5c}). */
    public static X509Certificate fromBase64Der(String base64) throws CertificateException {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new CertificateException("not base64", e);
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    /** Standard base64 of a certificate's DER encoding. */
    public static String toBase64Der(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM text (RFC 7468) of a certificate ({@code CERTIFICATE}) or a private key ({@code PRIVATE KEY}, PKCS#8). */
    public static String toPem(Object certificateOrKey) {
        String label;
        byte[] der;
        try {
            if (certificateOrKey instanceof PrivateKey key) {
                label = "PRIVATE KEY";
                der = key.getEncoded();
            } else if (certificateOrKey instanceof X509Certificate cert) {
                label = "CERTIFICATE";
                der = cert.getEncoded();
            } else {
                throw new IllegalArgumentException("neither a certificate nor a private key");
            }
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** Reads the first certificate of PEM text. */
    public static X509Certificate certificateFromPem(String pem) {
        byte[] der = pemBlock(pem, "CERTIFICATE");
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("unreadable certificate PEM", e);
        }
    }

    /** Reads a PKCS#8 private key (RSA or EC) from PEM text. */
    public static PrivateKey privateKeyFromPem(String pem) {
        byte[] der = pemBlock(pem, "PRIVATE KEY");
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("unreadable private key PEM: neither an EC nor an RSA PKCS#8 key");
    }

    /** The DER bytes of the first {@code -----BEGIN label-----} block of PEM text (RFC 7468, section 2). */
    private static byte[] pemBlock(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem == null ? -1 : pem.indexOf(begin);
        int to = from < 0 ? -1 : pem.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException("no " + label + " in PEM text");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable " + label + " PEM: not base64", e);
        }
    }

    /** Reads an RSA or EC private key from base64 PKCS#8 DER. */
    public static PrivateKey privateKeyFromPkcs8(String base64, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unreadable " + algorithm + " private key", e);
        }
    }
}
