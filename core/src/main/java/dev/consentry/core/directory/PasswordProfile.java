package dev.consentry.core.directory;

/**
 * A user's password profile. {@code password} is the clear text accepted on import only; the stored
 * and exported form keeps {@code passwordHash} (see {@code dev.consentry.core.secret.SecretHasher}).
 */
public record PasswordProfile(String password, String passwordHash, Boolean forceChangePasswordNextSignIn) {

    /** The same profile without its clear-text password. */
    public PasswordProfile withoutClearText(String hash) {
        return new PasswordProfile(null, hash, forceChangePasswordNextSignIn);
    }
}
