package dev.consentry.core.key;

import java.time.Instant;
import java.util.Objects;

/**
 * A token-signing key as stored: an RSA key pair and its self-signed certificate (published in the
 * JWKS {@code x5c}), with its place in the rotation lifecycle.
 *
 * @param kid the key id, base64url SHA-1 thumbprint of the certificate (= {@code x5t}), as Entra's keys
 * @param status {@link KeyStatus#PRIMARY} signs; {@link KeyStatus#PREVIOUS} still verifies and is published;
 *     {@link KeyStatus#RETIRED} is neither
 * @param privateKeyPkcs8 base64 PKCS#8 DER of the private key
 * @param certificate base64 DER of the X.509 certificate
 * @param createdAt when the key was made
 */
public record SigningKeyRecord(String kid, KeyStatus status, String privateKeyPkcs8, String certificate, Instant createdAt) {
    public SigningKeyRecord {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(privateKeyPkcs8, "privateKeyPkcs8");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public SigningKeyRecord withStatus(KeyStatus newStatus) {
        return new SigningKeyRecord(kid, newStatus, privateKeyPkcs8, certificate, createdAt);
    }

    /** Lifecycle of a signing key: exactly one primary at a time. */
    public enum KeyStatus { PRIMARY, PREVIOUS, RETIRED }
}
