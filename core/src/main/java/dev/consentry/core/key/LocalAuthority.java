package dev.consentry.core.key;

import java.time.Instant;
import java.util.Objects;

/**
 * The local certificate authority that issues Consentry's TLS server certificate; clients trust
 * {@code ca.pem}. Created once and never replaced, so a trusted {@code ca.pem} stays valid.
 *
 * @param certificatePem the CA certificate, PEM
 * @param privateKeyPem the CA private key, PKCS#8 PEM
 * @param createdAt when it was made
 */
public record LocalAuthority(String certificatePem, String privateKeyPem, Instant createdAt) {
    public LocalAuthority {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
