package dev.consentry.core.directory;

import java.util.Objects;

/**
 * An authentication context of the tenant, in Graph's {@code authenticationContextClassReference} shape
 * ({@code /identity/conditionalAccess/authenticationContextClassReferences}): its id ({@code c1} to {@code c99}), what
 * it protects in the tenant's words, and whether apps may ask for it ({@code isAvailable}).
 */
public record AuthenticationContextClassReference(String id, String displayName, String description, Boolean isAvailable) {
    public AuthenticationContextClassReference {
        Objects.requireNonNull(id, "id");
    }
}
