package dev.consentry.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.store.memory.InMemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

        X509Certificate newHost = leaf(TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of("login.consentry.test"), NOW));
        assertThat(newHost.getSerialNumber()).as("a host it does not name").isNotEqualTo(first.getSerialNumber());
        assertThat(newHost.getSubjectAlternativeNames()).anySatisfy(n -> assertThat(n.get(1)).isEqualTo("login.consentry.test"));

        X509Certificate nearExpiry = leaf(TlsMaterial.create(store.localAuthority(), Optional.of(dir), Set.of("login.consentry.test"),
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
        CertificateIssuer.Issued ca = CertificateIssuer.newAuthority("Consentry local CA", NOW);
        CertificateIssuer.Issued sameName = CertificateIssuer.newAuthority("Consentry local CA", NOW);
        X509Certificate server = CertificateIssuer.serverCertificate(ca, List.of("localhost"), List.of(), NOW,
                Duration.ofDays(90)).certificate();
        assertThat(TlsMaterial.issuedByKeyOf(server, ca.certificate())).isTrue();
        // Another CA of the same name: its key identifier differs.
        assertThat(TlsMaterial.issuedByKeyOf(server, sameName.certificate())).isFalse();
        // A certificate without an authority key identifier (the self-signed CA itself) names no issuer key.
        assertThat(TlsMaterial.issuedByKeyOf(ca.certificate(), ca.certificate())).isFalse();
    }
}
