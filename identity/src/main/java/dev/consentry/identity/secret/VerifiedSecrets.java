package dev.consentry.identity.secret;

import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.secret.SecretHasher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks client secrets and passwords against their stored PBKDF2 hashes without paying PBKDF2 on every request.
 *
 * <p>A successful check is remembered as an HMAC-SHA256, under a key made fresh for this process, of
 * the stored hash and the presented secret; the next request with the same secret costs one HMAC.
 * The clear secret is never kept. Because the stored hash is part of the remembered value, a secret
 * that was replaced or removed stops matching at once. The memory is bounded; when full it is cleared.
 */
public final class VerifiedSecrets {
    private static final int MAX_ENTRIES = 10_000;
    private static final SecretHasher STANDARD = SecretHasher.standard();
    /** Stored hashes being made again in this process, by the caller's key, so that racing checks make each once. */
    private static final ConcurrentHashMap<String, Boolean> UPGRADING = new ConcurrentHashMap<>();
    private final byte[] processKey = new byte[32];
    private final ConcurrentHashMap<String, Boolean> verified = new ConcurrentHashMap<>();

    public VerifiedSecrets() {
        new SecureRandom().nextBytes(processKey);
    }

    /**
     * The credential among {@code credentials} whose secret is {@code presented}, ignoring dates;
     * empty when none matches. Only credentials whose hint matches the secret's first characters go
     * through PBKDF2.
     */
    public Optional<PasswordCredential> match(List<PasswordCredential> credentials, String presented) {
        for (PasswordCredential c : credentials) {
            if (c.secretHash() != null && verified.containsKey(fingerprint(c.secretHash(), presented))) {
                return Optional.of(c);
            }
        }
        String hint = SecretHasher.hintOf(presented);
        for (PasswordCredential c : credentials) {
            if (c.secretHash() == null || (c.hint() != null && !c.hint().equals(hint))) {
                continue;
            }
            if (SecretHasher.verify(presented, c.secretHash())) {
                remember(c.secretHash(), presented);
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code presented} matches {@code storedHash}: one HMAC when it matched before, PBKDF2 otherwise. */
    public boolean verify(String presented, String storedHash) {
        if (presented == null || storedHash == null) {
            return false;
        }
        if (verified.containsKey(fingerprint(storedHash, presented))) {
            return true;
        }
        if (!SecretHasher.verify(presented, storedHash)) {
            return false;
        }
        remember(storedHash, presented);
        return true;
    }

    /**
     * {@code storedHash}, which {@code clear} was just checked against, made again at today's cost when it is cheaper (an
     * older Consentry's 210,000 iterations, an import's): the one moment the clear value is at hand. {@code storeOver}
     * gets the stronger hash and stores it only if {@code storedHash} is still the stored one, answering what it stored
     * (empty when the record changed meanwhile: another node upgraded it, or the value was replaced). One upgrade per
     * {@code key} runs at a time in this process: checks racing with it go on with the hash they verified, instead of
     * each hashing anew and replacing the others' hash, which sent every racing check through PBKDF2 again.
     *
     * @return what {@code storeOver} stored; empty when nothing was due, another upgrade of {@code key} was running, or
     *     the record had changed
     */
    public <T> Optional<T> upgrade(String key, String storedHash, String clear, Function<String, Optional<T>> storeOver) {
        if (!STANDARD.isWeakerThanThis(storedHash) || UPGRADING.putIfAbsent(key, Boolean.TRUE) != null) {
            return Optional.empty();
        }
        try {
            String stronger = STANDARD.hash(clear);
            Optional<T> stored = storeOver.apply(stronger);
            stored.ifPresent(s -> remember(stronger, clear));
            return stored;
        } finally {
            UPGRADING.remove(key);
        }
    }

    /** Remembers that {@code presented} matches {@code storedHash}, known without PBKDF2 (it was just hashed from it). */
    public void remember(String storedHash, String presented) {
        if (verified.size() >= MAX_ENTRIES) {
            verified.clear();
        }
        verified.put(fingerprint(storedHash, presented), Boolean.TRUE);
    }

    private String fingerprint(String storedHash, String presented) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(processKey, "HmacSHA256"));
            mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(presented.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java SE platform", e);
        }
    }
}
