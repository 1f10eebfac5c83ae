package dev.consentry.core.tenantfile;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What reading needs from a {@code keyCredentials[].key}: the certificate it encodes (base64 of the DER
 * bytes, as Graph returns it), its validity and its thumbprint.
 */
record CertificateFacts(String canonicalKey, String thumbprint, Instant notBefore, Instant notAfter) {

    /** Decodes {@code key}; empty when it is not the base64 DER of one X.509 certificate. */
    static Optional<CertificateFacts> of(String key) {
        byte[] der;
        try {
            // Graph writes one line; a pasted, wrapped PEM body (without its BEGIN/END lines) is accepted too.
            der = Base64.getMimeDecoder().decode(key.strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (der.length == 0 || der[0] != 0x30) {
            // A DER certificate is a SEQUENCE; anything else (PEM text, garbage the MIME decoder skipped) is refused.
            return Optional.empty();
        }
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            byte[] encoded = cert.getEncoded();
            return Optional.of(new CertificateFacts(Base64.getEncoder().encodeToString(encoded), thumbprint(encoded),
                    cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()));
        } catch (CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * The SHA-1 thumbprint in upper-case hexadecimal: the 40-character form Graph shows as a certificate's
     * default {@code customKeyIdentifier} and the portal shows as its thumbprint.
     */
    static String thumbprint(byte[] der) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java SE platform", e);
        }
    }
}
