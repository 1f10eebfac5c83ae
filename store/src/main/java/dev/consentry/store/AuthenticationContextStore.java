package dev.consentry.store;

import dev.consentry.core.directory.AuthenticationContextClassReference;

/** The tenant's authentication contexts ({@code c1} to {@code c99}), by id. */
public interface AuthenticationContextStore extends TenantObjectStore<AuthenticationContextClassReference, String> {}
