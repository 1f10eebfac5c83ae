package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * A user's password profile. {@code password} is the clear text accepted on import only; the stored
 * and exported form keeps {@code passwordHash} (see {@code dev.consentry.core.secret.SecretHasher}).
 * Graph's other properties ({@code forceChangePasswordNextSignInWithMfa}) are kept as given.
 */
public record PasswordProfile(String password, String passwordHash, Boolean forceChangePasswordNextSignIn,
                              @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public PasswordProfile {
        additionalProperties = Extra.copy(additionalProperties);
    }

    public PasswordProfile(String password, String passwordHash, Boolean forceChangePasswordNextSignIn) {
        this(password, passwordHash, forceChangePasswordNextSignIn, null);
    }

    /** The same profile without its clear-text password. */
    public PasswordProfile withoutClearText(String hash) {
        return new PasswordProfile(null, hash, forceChangePasswordNextSignIn, additionalProperties);
    }

}
