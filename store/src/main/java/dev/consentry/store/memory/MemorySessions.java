package dev.consentry.store.memory;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.RefreshTokenRecord;
import dev.consentry.core.session.SignInSession;
import dev.consentry.store.RefreshTokenStore;
import dev.consentry.store.SignInSessionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What keeps a user signed in, in memory: refresh tokens and browser sessions. */
final class MemorySessions {
    private static final Comparator<SignInSession> MOST_RECENT_FIRST = Comparator.comparing(SignInSession::lastSeenAt)
            .reversed().thenComparing(s -> s.tenant().toString()).thenComparing(s -> s.userId().toString());

    private final Map<String, RefreshTokenRecord> tokens = new ConcurrentHashMap<>();
    /** Sign-in sessions by browser: each value an immutable list, most recently seen first. */
    private final Map<String, List<SignInSession>> browsers = new ConcurrentHashMap<>();
    // The stores this part serves, handed out by the store that assembles it.
    final RefreshTokenStore refreshTokens = new RefreshTokens();
    final SignInSessionStore signInSessions = new SignInSessions();

    private static RefreshTokenRecord revoked(RefreshTokenRecord t, Instant now) {
        return new RefreshTokenRecord(t.hash(), t.familyId(), t.tenant(), t.clientId(), t.userId(), t.auth(), t.scope(),
                t.issuedAt(), t.lastUsedAt(), t.replacedAt(), now);
    }

    private static boolean sameAccount(SignInSession s, TenantId tenant, ObjectId userId) {
        return s.tenant().equals(tenant) && s.userId().equals(userId);
    }

    private final class RefreshTokens implements RefreshTokenStore {
        @Override
        public void save(RefreshTokenRecord token) {
            tokens.put(token.hash(), token);
        }

        @Override
        public Optional<RefreshTokenRecord> find(String hash) {
            return Optional.ofNullable(tokens.get(hash));
        }

        @Override
        public boolean rotate(String hash, RefreshTokenRecord next, Instant now) {
            synchronized (tokens) {
                RefreshTokenRecord old = tokens.get(hash);
                if (old == null || old.replacedAt() != null || old.revokedAt() != null) {
                    return false;
                }
                tokens.put(hash, new RefreshTokenRecord(old.hash(), old.familyId(), old.tenant(), old.clientId(),
                        old.userId(), old.auth(), old.scope(), old.issuedAt(), old.lastUsedAt(), now, null));
                tokens.put(next.hash(), next);
                return true;
            }
        }

        @Override
        public void revokeFamily(String familyId, Instant now) {
            synchronized (tokens) {
                tokens.replaceAll((k, t) -> t.familyId().equals(familyId) && t.revokedAt() == null ? revoked(t, now) : t);
            }
        }

        @Override
        public void revokeUser(TenantId tenant, ObjectId userId, Instant now) {
            synchronized (tokens) {
                tokens.replaceAll((k, t) -> t.tenant().equals(tenant) && t.userId().equals(userId)
                        && t.revokedAt() == null ? revoked(t, now) : t);
            }
        }
    }

    private final class SignInSessions implements SignInSessionStore {
        @Override
        public void save(SignInSession session) {
            browsers.compute(session.browserHash(), (k, sessions) -> {
                List<SignInSession> next = new ArrayList<>();
                if (sessions != null) {
                    sessions.stream().filter(s -> !sameAccount(s, session.tenant(), session.userId())).forEach(next::add);
                }
                next.add(session);
                next.sort(MOST_RECENT_FIRST);
                return List.copyOf(next);
            });
        }

        @Override
        public List<SignInSession> list(String browserHash) {
            return browsers.getOrDefault(browserHash, List.of());
        }

        @Override
        public void removeBrowser(String browserHash) {
            browsers.remove(browserHash);
        }

        @Override
        public void removeUser(TenantId tenant, ObjectId userId) {
            for (String browser : browsers.keySet()) {
                browsers.computeIfPresent(browser, (k, sessions) -> {
                    List<SignInSession> kept = sessions.stream().filter(s -> !sameAccount(s, tenant, userId)).toList();
                    return kept.isEmpty() ? null : kept;
                });
            }
        }
    }
}
