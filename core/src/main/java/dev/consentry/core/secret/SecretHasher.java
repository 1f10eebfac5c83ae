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
    /**
     * The default cost: the OWASP Password Storage Cheat Sheet's figure for PBKDF2-HMAC-SHA256, 600,000 iterations
     * (NIST SP 800-132 sets only a floor of 1,000). Hashes of a lower cost are upgraded at the next successful sign-in.
     */
    public static final int DEFAULT_ITERATIONS = 600_000;
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

    /** The iterations {@code encoded} was made with; empty for a malformed hash. */
    public static java.util.OptionalInt iterations(String encoded) {
        if (!isEncodedHash(encoded)) {
            return java.util.OptionalInt.empty();
        }
        return java.util.OptionalInt.of(Integer.parseInt(encoded.split("\\$")[1]));
    }

    /** True when {@code encoded} costs less than this hasher's hashes, so it should be made again at the next chance. */
    public boolean isWeakerThanThis(String encoded) {
        java.util.OptionalInt n = iterations(encoded);
        return n.isPresent() && n.getAsInt() < iterations;
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
