package dev.consentry.core.secret;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes client secrets and user passwords for storage, with PBKDF2-HMAC-SHA256 and a random salt
 * (NIST SP 800-132). The encoded form is {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>},
 * so the cost can rise later without breaking stored hashes.
 *
 * <p>Guaranteed: {@link #verify} compares in constant time and returns false (never throws) for a
 * malformed encoded hash. Hashing is deliberately slow; callers on a hot path cache successful
 * verifications (see {@code VerifiedSecrets} in the identity module) rather than lowering the cost.
 */
public final class SecretHasher {
    /** The default cost: OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000; we take a dev-tool 210,000. */
    public static final int DEFAULT_ITERATIONS = 210_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;

    public SecretHasher(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        this.iterations = iterations;
    }

    /** A hasher with {@link #DEFAULT_ITERATIONS}. */
    public static SecretHasher standard() {
        return new SecretHasher(DEFAULT_ITERATIONS);
    }

    /** The encoded hash of {@code secret} with a fresh salt. */
    public String hash(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = pbkdf2(secret, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** True when {@code secret} matches {@code encoded}; false for a mismatch or a malformed hash. */
    public static boolean verify(String secret, String encoded) {
        if (secret == null || encoded == null) {
            return false;
        }
        String[] parts = encoded.split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 1 || iterations > 10_000_000) {
                return false;
            }
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, pbkdf2(secret, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True when {@code encoded} has the shape this class writes (it is not checked against any secret). */
    public static boolean isEncodedHash(String encoded) {
        if (encoded == null) {
            return false;
        }
        String[] parts = encoded.split("\\$");
        return parts.length == 4 && PREFIX.equals(parts[0]) && parts[1].matches("[0-9]{1,8}");
    }

    private static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_BITS);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required by every Java SE platform", e);
        }
    }

    /** The first three characters of a secret, which Entra shows as the secret's {@code hint}. */
    public static String hintOf(String secret) {
        return secret.length() <= 3 ? secret : secret.substring(0, 3);
    }

}
