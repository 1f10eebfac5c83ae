package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A certificate credential of an application: {@code key} is the base64 DER X.509 certificate,
 * {@code type} "AsymmetricX509Cert", {@code usage} "Verify". Follows Graph's {@code keyCredential}.
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
    public KeyCredential {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
        type = type == null ? "AsymmetricX509Cert" : type;
        usage = usage == null ? "Verify" : usage;
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** True when the certificate may be used at {@code now} by its declared dates. */
    public boolean validAt(Instant now) {
        return (startDateTime == null || !now.isBefore(startDateTime))
                && (endDateTime == null || now.isBefore(endDateTime));
    }

}
