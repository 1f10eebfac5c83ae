package dev.consentry.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * SHA-256, the one digest Consentry uses to store opaque values (refresh tokens, codes, cookies) by hash and
 * to derive values from them (PKCE S256, {@code c_hash}, pairwise subjects).
 */
public final class Digests {
    private Digests() {}

    public static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Base64url, without padding, of the SHA-256 of {@code text} in UTF-8: the stored form of opaque values. */
    public static String sha256Url(String text) {
        return base64Url(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Base64url without padding. */
    public static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
