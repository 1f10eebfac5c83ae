package dev.consentry.store.memory;

import dev.consentry.core.key.LocalAuthority;
import dev.consentry.core.key.SigningKeyRecord;
import dev.consentry.core.key.SigningKeyRecord.KeyStatus;
import dev.consentry.store.LocalAuthorityStore;
import dev.consentry.store.SigningKeyStore;
import dev.consentry.store.StoreEvent;
import dev.consentry.store.StoreEvents;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Token-signing keys and the local CA in memory; each changes under its own lock. */
final class MemoryKeys {
    private final StoreEvents events;
    private final List<SigningKeyRecord> keys = new ArrayList<>();
    private LocalAuthority authority;
    // The stores this part serves, handed out by the store that assembles it.
    final SigningKeyStore signingKeys = new SigningKeys();
    final LocalAuthorityStore localAuthority = new Authority();

    /** {@code events} hears of each change to the signing keys. */
    MemoryKeys(StoreEvents events) {
        this.events = events;
    }

    private final class SigningKeys implements SigningKeyStore {
        @Override
        public List<SigningKeyRecord> list() {
            synchronized (keys) {
                return keys.stream().sorted(Comparator.comparing(SigningKeyRecord::createdAt).reversed()).toList();
            }
        }

        @Override
        public Optional<SigningKeyRecord> primary() {
            synchronized (keys) {
                return keys.stream().filter(k -> k.status() == KeyStatus.PRIMARY).findFirst();
            }
        }

        @Override
        public void rotate(SigningKeyRecord newPrimary, int keepPrevious) {
            synchronized (keys) {
                keys.replaceAll(k -> k.status() == KeyStatus.PRIMARY ? k.withStatus(KeyStatus.PREVIOUS) : k);
                keys.add(newPrimary.withStatus(KeyStatus.PRIMARY));
                List<SigningKeyRecord> previous = keys.stream().filter(k -> k.status() == KeyStatus.PREVIOUS)
                        .sorted(Comparator.comparing(SigningKeyRecord::createdAt).reversed()).toList();
                for (int i = keepPrevious; i < previous.size(); i++) {
                    String kid = previous.get(i).kid();
                    keys.replaceAll(k -> k.kid().equals(kid) ? k.withStatus(KeyStatus.RETIRED) : k);
                }
            }
            events.publish(new StoreEvent.SigningKeysChanged());
        }

        @Override
        public SigningKeyRecord initializeIfEmpty(SigningKeyRecord first) {
            boolean created;
            SigningKeyRecord primary;
            synchronized (keys) {
                created = keys.isEmpty();
                if (created) {
                    keys.add(first.withStatus(KeyStatus.PRIMARY));
                }
                primary = primary().orElseThrow();
            }
            if (created) {
                events.publish(new StoreEvent.SigningKeysChanged());
            }
            return primary;
        }
    }

    private final class Authority implements LocalAuthorityStore {
        @Override
        public Optional<LocalAuthority> load() {
            synchronized (this) {
                return Optional.ofNullable(authority);
            }
        }

        @Override
        public LocalAuthority initializeIfEmpty(LocalAuthority a) {
            synchronized (this) {
                if (authority == null) {
                    authority = a;
                }
                return authority;
            }
        }

        @Override
        public void replace(LocalAuthority a) {
            synchronized (this) {
                authority = a;
            }
        }
    }
}
