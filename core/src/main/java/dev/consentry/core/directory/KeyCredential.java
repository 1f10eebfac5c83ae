package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A certificate credential of an application or a service principal: {@code key} is the base64 DER X.509 certificate
 * (never a private key), {@code type} "AsymmetricX509Cert" (or "X509CertAndPassword" for a signing key),
 * {@code usage} "Verify" (or "Sign"). Follows Graph's {@code keyCredential}
 * (https://learn.microsoft.com/graph/api/resources/keycredential).
 */
public record KeyCredential(
        UUID keyId,
        String displayName,
        String type,
        String usage,
        String key,
        String customKeyIdentifier,
        Instant startDateTime,
        Instant endDateTime,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    /** The usage of a key that verifies what its owner signs: a client assertion, a proof of possession. */
    public static final String VERIFY = "Verify";

    public KeyCredential {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
        type = type == null ? "AsymmetricX509Cert" : type;
        usage = usage == null ? VERIFY : usage;
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** True when the certificate may be used at {@code now} by its declared dates. */
    public boolean validAt(Instant now) {
        return (startDateTime == null || !now.isBefore(startDateTime))
                && (endDateTime == null || now.isBefore(endDateTime));
    }

    /** True for a key that verifies signatures ({@code usage} "Verify", any case). */
    public boolean verifies() {
        return VERIFY.equalsIgnoreCase(usage);
    }

    /** The certificate {@code key} holds; throws {@link IllegalArgumentException} when it is not base64 DER X.509. */
    public X509Certificate certificate() {
        return certificateOf(key);
    }

    /**
     * This credential with what its certificate says filled in where it says nothing: {@code customKeyIdentifier} (the
     * SHA-1 thumbprint in upper-case hex, as the portal shows it) and the start and end dates (the certificate's
     * validity). Throws {@link IllegalArgumentException} when {@code key} is not a certificate.
     */
    public KeyCredential describedByCertificate() {
        X509Certificate cert = certificate();
        return new KeyCredential(keyId, displayName, type, usage, key,
                customKeyIdentifier != null ? customKeyIdentifier : sha1Hex(cert),
                startDateTime != null ? startDateTime : cert.getNotBefore().toInstant(),
                endDateTime != null ? endDateTime : cert.getNotAfter().toInstant(), additionalProperties);
    }

    /** The X.509 certificate of standard (or MIME) base64 DER text; {@link IllegalArgumentException} when it is none. */
    public static X509Certificate certificateOf(String base64Der) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64Der);
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("expected the base64 DER encoding of an X.509 certificate", e);
        }
    }

    private static String sha1Hex(X509Certificate cert) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException("SHA-1 and DER encoding are required of every Java SE platform", e);
        }
    }
}
