package dev.consentry.core.secret;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * Time-based one-time passwords as authenticator apps compute them (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1,
 * 30-second steps counted from the Unix epoch, six digits; the secret travels in Base32 (RFC 4648), as the
 * {@code otpauth://totp/...} URI that apps scan carries it.
 *
 * <p>Guaranteed: {@link #verify} accepts the code of the current step or of one step either side (an app's clock a
 * little off), compares in constant time, and says which step matched, so a caller can refuse the same step twice.
 */
public final class Totp {
    /** RFC 6238's default step. */
    public static final int STEP_SECONDS = 30;
    public static final int DIGITS = 6;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base32 BASE32 = new Base32();

    private Totp() {}

    /** A new secret of 160 bits (RFC 4226's recommended length for HMAC-SHA1), in Base32 without padding. */
    public static String newSecret() {
        byte[] key = new byte[20];
        RANDOM.nextBytes(key);
        return BASE32.encodeToString(key).replace("=", "");
    }

    /** The time step of {@code at}. */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** The code of {@code step} for the Base32 {@code secret}, zero-padded to {@link #DIGITS} digits. */
    public static String code(String secret, long step) {
        return code(decode(secret), step, DIGITS);
    }

    /** RFC 4226, section 5.3: HMAC-SHA1 of the counter, dynamically truncated, modulo 10^digits. */
    static String code(byte[] key, long counter, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            int mod = (int) Math.pow(10, digits);
            return String.format(Locale.ROOT, "%0" + digits + "d", binary % mod);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /**
     * The step whose code {@code typed} is, at {@code now} give or take one step; empty when it is none of them (or is
     * not six digits).
     */
    public static OptionalLong verify(String secret, String typed, Instant now) {
        String code = typed == null ? "" : typed.strip();
        if (!code.matches("[0-9]{" + DIGITS + "}")) {
            return OptionalLong.empty();
        }
        byte[] key = decode(secret);
        long current = step(now);
        OptionalLong matched = OptionalLong.empty();
        for (long s = current - 1; s <= current + 1; s++) {
            if (java.security.MessageDigest.isEqual(code(key, s, DIGITS).getBytes(), code.getBytes()) && matched.isEmpty()) {
                matched = OptionalLong.of(s);
            }
        }
        return matched;
    }

    /** The {@code otpauth://totp/...} URI an authenticator app scans (Google's Key Uri Format, which Microsoft's apps read). */
    public static String uri(String issuer, String account, String secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(issuer) + "&algorithm=SHA1&digits="
                + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * What is wrong with {@code secret} as a stored authenticator secret, for an error message; empty when it is Base32
     * (RFC 4648 alphabet, any case, without spaces or padding) of at least 80 bits, RFC 4226's minimum (section 4).
     */
    public static java.util.Optional<String> problem(String secret) {
        if (secret == null || secret.isEmpty()) {
            return java.util.Optional.of("it is empty");
        }
        if (!secret.toUpperCase(Locale.ROOT).matches("[A-Z2-7]+")) {
            return java.util.Optional.of("it is not Base32 text (letters A-Z and digits 2-7, without padding)");
        }
        if (secret.length() * 5 / 8 < 10) {
            return java.util.Optional.of("it holds fewer than 80 bits (16 Base32 characters), the least RFC 4226 allows");
        }
        return java.util.Optional.empty();
    }

    private static byte[] decode(String secret) {
        byte[] key = BASE32.decode(secret.toUpperCase(Locale.ROOT).replace(" ", ""));
        if (key.length == 0) {
            throw new IllegalArgumentException("an authenticator secret is Base32 text");
        }
        return key;
    }
}
