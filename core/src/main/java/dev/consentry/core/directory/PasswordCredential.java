package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A client secret of an application. {@code secretText} is the clear text accepted on import only;
 * what is stored and exported is {@code secretHash} and the three-character {@code hint}.
 */
public record PasswordCredential(
        UUID keyId,
        String displayName,
        String hint,
        String secretText,
        String secretHash,
        Instant startDateTime,
        Instant endDateTime,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public PasswordCredential {
        Objects.requireNonNull(keyId, "keyId");
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** True when the secret may be used at {@code now}: started (if a start is set) and not ended. */
    public boolean validAt(Instant now) {
        return (startDateTime == null || !now.isBefore(startDateTime))
                && (endDateTime == null || now.isBefore(endDateTime));
    }

}
