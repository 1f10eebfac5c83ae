package dev.consentry.store;

import dev.consentry.core.key.SigningKeyRecord;
import java.util.List;
import java.util.Optional;

/**
 * Token-signing keys and their lifecycle. Keys outlive restarts, so tokens issued before a restart
 * still verify after it.
 */
public interface SigningKeyStore {

    /** Every key, newest first. */
    List<SigningKeyRecord> list();

    /** The key that signs now; empty before the first key was made. */
    Optional<SigningKeyRecord> primary();

    /**
     * Makes {@code newPrimary} the primary key in one transaction: the old primary becomes
     * {@code PREVIOUS}, and earlier {@code PREVIOUS} keys beyond the newest {@code keepPrevious}
     * become {@code RETIRED}. With no key yet, it simply stores the first primary.
     */
    void rotate(SigningKeyRecord newPrimary, int keepPrevious);

    /**
     * Stores {@code first} as the primary key only if there is no key at all (several nodes may start
     * at once); returns the primary key that is in the store afterwards.
     */
    SigningKeyRecord initializeIfEmpty(SigningKeyRecord first);
}
