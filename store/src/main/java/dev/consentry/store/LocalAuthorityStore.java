package dev.consentry.store;

import dev.consentry.core.key.LocalAuthority;
import java.util.Optional;

/** The local certificate authority behind Consentry's TLS certificate; created once, never replaced. */
public interface LocalAuthorityStore {

    Optional<LocalAuthority> load();

    /** Stores {@code authority} only if none is stored yet; returns the one stored afterwards. */
    LocalAuthority initializeIfEmpty(LocalAuthority authority);
}
