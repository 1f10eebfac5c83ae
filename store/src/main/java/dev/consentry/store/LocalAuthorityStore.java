package dev.consentry.store;

import dev.consentry.core.key.LocalAuthority;
import java.util.Optional;

/**
 * The local certificate authority behind Consentry's TLS certificate: created once, replaced only on request
 * ({@code consentry ca renew}), since every client that trusts its certificate must then trust the new one.
 */
public interface LocalAuthorityStore {

    Optional<LocalAuthority> load();

    /** Stores {@code authority} only if none is stored yet; returns the one stored afterwards. */
    LocalAuthority initializeIfEmpty(LocalAuthority authority);

    /** Stores {@code authority} in place of the one stored, or as the first one. */
    void replace(LocalAuthority authority);
}
