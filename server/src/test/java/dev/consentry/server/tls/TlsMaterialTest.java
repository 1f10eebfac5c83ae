package dev.consentry.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consentry.core.key.LocalAuthority;
import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.identity.key.Certificates;
import dev.consentry.store.memory.InMemoryStore;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server certificate is kept between starts while it fits, and re-signed when it does not. */
class TlsMaterialTest {
    static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    static X509Certificate leaf(TlsMaterial tls) throws Exception {
        return (X509Certificate) tls.keyStore().getCertificate("server");
    }

    @Test
    void keepsTheServerCertificateWhileItFitsAndReissuesWhenNot(@TempDir Path dir) throws Exception {
        InMemoryStore store = new InMemoryStore();
        X509Certificate first = leaf(TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of("127.0.0.1"), NOW));
        assertThat(dir.resolve(TlsMaterial.SERVER_FILE)).exists();

        X509Certificate again = leaf(TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of("127.0.0.1"), NOW.plusSeconds(60)));
        assertThat(again.getSerialNumber()).as("reused").isEqualTo(first.getSerialNumber());

        X509Certificate newHost = leaf(TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of("127.0.0.2"), NOW));
        assertThat(newHost.getSerialNumber()).as("a host it does not name").isNotEqualTo(first.getSerialNumber());
        assertThat(newHost.getSubjectAlternativeNames()).anySatisfy(n -> assertThat(n.get(1)).isEqualTo("127.0.0.2"));

        X509Certificate nearExpiry = leaf(TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of("127.0.0.2"),
                NOW.plus(Duration.ofDays(85))));
        assertThat(nearExpiry.getSerialNumber()).as("less than a week left").isNotEqualTo(newHost.getSerialNumber());

        Files.writeString(dir.resolve(TlsMaterial.SERVER_FILE), "garbage");
        X509Certificate afterDamage = leaf(TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of(), NOW));
        assertThat(afterDamage.getSerialNumber()).isNotEqualTo(nearExpiry.getSerialNumber());
    }

    @Test
    void aCertificateOfAnotherCaIsNotReused(@TempDir Path dir) throws Exception {
        TlsMaterial.create(new InMemoryStore().localAuthority(), Optional.of(dir), Set.of(), NOW);
        Files.delete(dir.resolve(TlsMaterial.CA_FILE));
        Files.delete(dir.resolve("ca-key.pem"));
        TlsMaterial other = TlsMaterial.create(new InMemoryStore().localAuthority(), Optional.of(dir), Set.of(), NOW);
        leaf(other).verify(other.authority().getPublicKey());
    }

    @Test
    void aCertificateIsTheCasWhenItNamesTheCasKeyAndName() {
        CertificateIssuer.Issued ca = CertificateIssuer.newAuthority("Consentry local CA", NOW, CertificateIssuer.NameScope.loopbackAnd(List.of()));
        CertificateIssuer.Issued sameName = CertificateIssuer.newAuthority("Consentry local CA", NOW, CertificateIssuer.NameScope.loopbackAnd(List.of()));
        X509Certificate server = CertificateIssuer.serverCertificate(ca, List.of("localhost"), List.of(), NOW,
                Duration.ofDays(90)).certificate();
        assertThat(TlsMaterial.issuedByKeyOf(server, ca.certificate())).isTrue();
        // Another CA of the same name: its key identifier differs.
        assertThat(TlsMaterial.issuedByKeyOf(server, sameName.certificate())).isFalse();
        // A certificate without an authority key identifier (the self-signed CA itself) names no issuer key.
        assertThat(TlsMaterial.issuedByKeyOf(ca.certificate(), ca.certificate())).isFalse();
    }

    // ---- the CA's name constraints ---------------------------------------------------------------------------------

    /**
     * The JDK's PKIX path validation of {@code leaf} under {@code ca}, with the CA's name constraints applied. The JDK
     * refuses constraints on a trust anchor, so the CA also stands in the path as the leaf's issuer (self-issued, as
     * RFC 5280, 6.1 allows), where its nameConstraints extension is processed for the certificates after it.
     */
    static void validate(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(java.util.Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(leaf, ca)), params);
    }

    /** A server certificate for {@code dns} and {@code ips} signed with the stored CA's key, as a thief of it could. */
    static X509Certificate signedByTheCa(InMemoryStore store, List<String> dns, List<String> ips) {
        LocalAuthority ca = store.localAuthority().load().orElseThrow();
        X509Certificate caCert = Certificates.certificateFromPem(ca.certificatePem());
        CertificateIssuer.Issued authority = new CertificateIssuer.Issued(caCert,
                new KeyPair(caCert.getPublicKey(), Certificates.privateKeyFromPem(ca.privateKeyPem())));
        return CertificateIssuer.serverCertificate(authority, dns, ips, NOW, Duration.ofDays(30)).certificate();
    }

    @Test
    void theCaMayVouchOnlyForTheLoopbackNamesAndItsHostsAsTheJdkChecksIt(@TempDir Path dir) throws Exception {
        InMemoryStore store = new InMemoryStore();
        TlsMaterial tls = TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of("build.example"), NOW);
        X509Certificate ca = tls.authority();
        assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.30");
        assertThat(CertificateIssuer.describeScope(ca)).isEqualTo("localhost, build.example, 127.0.0.0/8, 0:0:0:0:0:0:0:1/128");
        assertThat(tls.notice()).isEmpty();

        validate(leaf(tls), ca);
        validate(signedByTheCa(store, List.of("localhost", "ci.build.example"), List.of("127.0.0.1", "::1")), ca);
        for (X509Certificate forged : List.of(signedByTheCa(store, List.of("bank.example"), List.of()),
                signedByTheCa(store, List.of("localhost.bank.example"), List.of()),
                signedByTheCa(store, List.of(), List.of("10.0.0.1")))) {
            assertThatThrownBy(() -> validate(forged, ca)).isInstanceOf(CertPathValidatorException.class)
                    .hasMessageContaining("name constraints");
        }
        assertThat(CertificateIssuer.permits(ca, "app.localhost")).isTrue();
        assertThat(CertificateIssuer.permits(ca, "bank.example")).isFalse();
    }

    @Test
    void aHostTheCaMayNotVouchForIsRefusedNamingTheRenewalWhichThenServesIt(@TempDir Path dir) throws Exception {
        InMemoryStore store = new InMemoryStore();
        X509Certificate before = TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of(), NOW).authority();
        assertThatThrownBy(() -> TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of("login.build.example"), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the local CA may vouch only for localhost, 127.0.0.0/8, 0:0:0:0:0:0:0:1/128, not for "
                        + "'login.build.example' (--host or --public-base-url): run 'consentry ca renew' with the same --host "
                        + "and --public-base-url, then trust the new ca.pem");

        X509Certificate renewed = TlsMaterial.renewAuthority(store.localAuthority(), Optional.of(dir), Set.of("login.build.example"),
                NOW.plusSeconds(60));
        assertThat(renewed.getPublicKey()).isNotEqualTo(before.getPublicKey());
        assertThat(Files.readString(dir.resolve(TlsMaterial.CA_FILE))).as("the new ca.pem").isEqualTo(Certificates.toPem(renewed));
        TlsMaterial after = TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of("login.build.example"), NOW.plusSeconds(120));
        assertThat(after.authority()).isEqualTo(renewed);
        leaf(after).verify(renewed.getPublicKey());
        validate(leaf(after), renewed);
    }

    @Test
    void aCaMadeBeforeNameConstraintsKeepsServingWithANotice(@TempDir Path dir) throws Exception {
        InMemoryStore store = new InMemoryStore();
        KeyPair pair = Certificates.ecKeyPair();
        X500Name name = new X500Name("CN=Consentry local CA, O=Consentry");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.TEN, java.util.Date.from(NOW.minusSeconds(60)),
                java.util.Date.from(NOW.plus(Duration.ofDays(365))), name, pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
        X509Certificate old = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(pair.getPrivate())));
        store.localAuthority().initializeIfEmpty(new LocalAuthority(Certificates.toPem(old), Certificates.toPem(pair.getPrivate()), NOW));

        TlsMaterial tls = TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of("build.example"), NOW);
        assertThat(tls.authority()).isEqualTo(old);
        assertThat(tls.notice()).get().asString().contains("would accept it for any site").contains("'consentry ca renew'")
                .contains("localhost, build.example, 127.0.0.0/8");
        leaf(tls).verify(old.getPublicKey());
    }
}
