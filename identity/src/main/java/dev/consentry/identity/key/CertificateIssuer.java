package dev.consentry.identity.key;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraintValidatorException;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PKIXNameConstraintValidator;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes X.509 certificates (with BouncyCastle): a self-signed certificate for each RSA token-signing key
 * (RS256 needs RSA) for the JWKS {@code x5c}, and an EC P-256 local CA and server certificate for TLS
 * (EC keys are made in milliseconds, which keeps the first start fast). Only a first start, a key
 * rotation or a server certificate renewal comes here; reading is {@link Certificates}'.
 *
 * <p>All certificates follow RFC 5280 profiles: CA with basicConstraints cA=true and keyCertSign; server
 * certificate with the subjectAltNames clients check (RFC 6125), serverAuth extended key usage.
 */
public final class CertificateIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateIssuer() {}

    /** A certificate with its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keyPair) {}

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

    /**
     * The names a local CA may vouch for: its nameConstraints' permitted subtrees (RFC 5280, section 4.2.1.10). A DNS
     * name permits itself and its subdomains; an IP range is an address with a prefix length ({@code 127.0.0.0/8}).
     */
    public record NameScope(List<String> dnsNames, List<String> ipRanges) {
        public NameScope {
            dnsNames = List.copyOf(dnsNames);
            ipRanges = List.copyOf(ipRanges);
        }

        /** {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}, and the given hosts (names or address literals). */
        public static NameScope loopbackAnd(Collection<String> hosts) {
            Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
            Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.0/8", "::1/128"));
            for (String h : hosts) {
                String host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
                if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || permitsByDefault(host)) {
                    continue;
                }
                if (isAddress(host)) {
                    ips.add(host + (host.contains(":") ? "/128" : "/32"));
                } else {
                    dns.add(host.toLowerCase(java.util.Locale.ROOT));
                }
            }
            return new NameScope(List.copyOf(dns), List.copyOf(ips));
        }

        private static boolean permitsByDefault(String host) {
            return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1");
        }

        /** As the CLI says it: {@code localhost, 127.0.0.0/8, ::1/128, build.example}. */
        public String describe() {
            List<String> all = new ArrayList<>(dnsNames);
            all.addAll(ipRanges);
            return String.join(", ", all);
        }
    }

    /** True for an IPv4 or IPv6 address literal (never resolved), false for a host name. */
    static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    /** A new local certificate authority (EC P-256, ten years) that may vouch only for the names of {@code scope}. */
    public static Issued newAuthority(String commonName, Instant now, NameScope scope) {
        KeyPair pair = Certificates.ecKeyPair();
        X500Name name = new X500Name("CN=" + commonName + ", O=Consentry");
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                    pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            // Critical, as RFC 5280 asks of a CA's name constraints: a client that cannot read them must refuse the CA.
            b.addExtension(Extension.nameConstraints, true, new NameConstraints(subtrees(scope), null));
            return new Issued(sign(b, pair.getPrivate()), pair);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GeneralSubtree[] subtrees(NameScope scope) {
        List<GeneralSubtree> out = new ArrayList<>();
        scope.dnsNames().forEach(d -> out.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, d))));
        scope.ipRanges().forEach(ip -> out.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, ip))));
        return out.toArray(GeneralSubtree[]::new);
    }

    /** The names {@code ca} may vouch for; empty when it has no name constraints (a CA made before they were added). */
    public static java.util.Optional<NameConstraints> nameConstraints(X509Certificate ca) {
        byte[] ext = ca.getExtensionValue(Extension.nameConstraints.getId());
        return ext == null ? java.util.Optional.empty()
                : java.util.Optional.of(NameConstraints.getInstance(ASN1OctetString.getInstance(ext).getOctets()));
    }

    /** The names {@code ca} may vouch for, as the CLI says them ({@code localhost, 127.0.0.0/8, ::1/128}); "any name" without constraints. */
    public static String describeScope(X509Certificate ca) {
        java.util.Optional<NameConstraints> constraints = nameConstraints(ca);
        if (constraints.isEmpty() || constraints.get().getPermittedSubtrees() == null) {
            return "any name";
        }
        List<String> names = new ArrayList<>();
        for (GeneralSubtree subtree : constraints.get().getPermittedSubtrees()) {
            GeneralName name = subtree.getBase();
            names.add(name.getTagNo() == GeneralName.iPAddress
                    ? ipRange(ASN1OctetString.getInstance(name.getName()).getOctets()) : name.getName().toString());
        }
        return String.join(", ", names);
    }

    /** An encoded iPAddress subtree (the address, then its mask: RFC 5280, 4.2.1.10) as {@code address/prefix}. */
    private static String ipRange(byte[] encoded) {
        int half = encoded.length / 2;
        int prefix = 0;
        for (int i = half; i < encoded.length; i++) {
            prefix += Integer.bitCount(encoded[i] & 0xff);
        }
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOf(encoded, half)).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            return "an IP range of " + encoded.length + " bytes";
        }
    }

    /**
     * Whether {@code ca} may vouch for {@code host} (a DNS name or an IP address literal), as a client that checks name
     * constraints decides it; a CA without constraints permits every name.
     */
    public static boolean permits(X509Certificate ca, String host) {
        java.util.Optional<NameConstraints> constraints = nameConstraints(ca);
        if (constraints.isEmpty()) {
            return true;
        }
        PKIXNameConstraintValidator validator = new PKIXNameConstraintValidator();
        if (constraints.get().getPermittedSubtrees() != null) {
            validator.intersectPermittedSubtree(constraints.get().getPermittedSubtrees());
        }
        if (constraints.get().getExcludedSubtrees() != null) {
            for (GeneralSubtree excluded : constraints.get().getExcludedSubtrees()) {
                validator.addExcludedSubtree(excluded);
            }
        }
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            validator.checkPermitted(new GeneralName(isAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
            validator.checkExcluded(new GeneralName(isAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
            return true;
        } catch (NameConstraintValidatorException e) {
            return false;
        }
    }

    /**
     * A TLS server certificate signed by {@code authority}, for the given DNS names and IP addresses,
     * valid for {@code validity} (keep it at most 397 days: browsers refuse longer ones).
     */
    public static Issued serverCertificate(Issued authority, List<String> dnsNames, List<String> ipAddresses,
                                           Instant now, Duration validity) {
        KeyPair pair = Certificates.ecKeyPair();
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
