package dev.consentry.identity.key;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Key pairs and X.509 certificates for Consentry: RSA token-signing keys (RS256 needs RSA) with a
 * self-signed certificate for the JWKS {@code x5c}, and an EC P-256 local CA and server certificate
 * for TLS (EC keys are made in milliseconds, which keeps the first start fast).
 *
 * <p>All certificates follow RFC 5280 profiles: CA with basicConstraints cA=true and keyCertSign; server
 * certificate with the subjectAltNames clients check (RFC 6125), serverAuth extended key usage.
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

    /** A self-signed certificate for a token-signing key, as the ones Entra publishes in {@code x5c}. */
    public static X509Certificate selfSigned(KeyPair pair, String commonName, Instant notBefore, Duration validity) {
        X500Name name = new X500Name("CN=" + commonName);
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                    Date.from(notBefore.plus(validity)), name, pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            return sign(b, pair.getPrivate());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new local certificate authority (EC P-256, ten years). */
    public static Issued newAuthority(String commonName, Instant now) {
        KeyPair pair = ecKeyPair();
        X500Name name = new X500Name("CN=" + commonName + ", O=Consentry");
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                    pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            return new Issued(sign(b, pair.getPrivate()), pair);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A TLS server certificate signed by {@code authority}, for the given DNS names and IP addresses,
     * valid for {@code validity} (keep it at most 397 days: browsers refuse longer ones).
     */
    public static Issued serverCertificate(Issued authority, List<String> dnsNames, List<String> ipAddresses,
                                           Instant now, Duration validity) {
        KeyPair pair = ecKeyPair();
        String cn = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name issuer = X500Name.getInstance(authority.certificate().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), new X500Name("CN=" + cn),
                    pair.getPublic());
            GeneralName[] names = new GeneralName[dnsNames.size() + ipAddresses.size()];
            int i = 0;
            for (String d : dnsNames) {
                names[i++] = new GeneralName(GeneralName.dNSName, d);
            }
            for (String ip : ipAddresses) {
                names[i++] = new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress());
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(authority.certificate()));
            return new Issued(sign(b, authority.keyPair().getPrivate()), pair);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate with its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keyPair) {}

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
                .generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    /** Standard base64 of a certificate's DER encoding. */
    public static String toBase64Der(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM text of a certificate or a private key (PKCS#8). */
    public static String toPem(Object certificateOrKey) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            if (certificateOrKey instanceof PrivateKey key) {
                w.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()));
            } else {
                w.writeObject(certificateOrKey);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** Reads the first certificate of PEM text. */
    public static X509Certificate certificateFromPem(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o instanceof org.bouncycastle.cert.X509CertificateHolder h) {
                return new JcaX509CertificateConverter().getCertificate(h);
            }
            throw new IllegalArgumentException("no certificate in PEM text");
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("unreadable certificate PEM", e);
        }
    }

    /** Reads a PKCS#8 private key from PEM text. */
    public static PrivateKey privateKeyFromPem(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o instanceof PrivateKeyInfo info) {
                return new JcaPEMKeyConverter().getPrivateKey(info);
            }
            throw new IllegalArgumentException("no PKCS#8 private key in PEM text");
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable private key PEM", e);
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

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
        try {
            String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            ContentSigner signer = new JcaContentSignerBuilder(alg).build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
