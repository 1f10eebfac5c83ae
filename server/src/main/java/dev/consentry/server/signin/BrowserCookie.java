package dev.consentry.server.signin;

import dev.consentry.core.secret.Digests;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The browser's session cookie and what is derived from it.
 *
 * <p>The cookie {@value #NAME} holds 32 random bytes; it is sent {@code Secure; HttpOnly; SameSite=Lax}
 * with {@code Path=/} (Lax, so a top-level navigation from an app to the authorize endpoint carries it
 * and a second sign-in is silent, while cross-site posts and sub-requests do not). The store keeps only its
 * SHA-256 hash. Forms carry an HMAC of the cookie value under a key derived from the local CA's private key
 * (shared by every node of one store and never sent anywhere), so a form posted from another page or
 * another browser is refused (CSRF protection). A new value is issued at every password sign-in, so a
 * value planted before sign-in never becomes a session (session fixation).
 */
public final class BrowserCookie {
    public static final String NAME = "consentry_browser";
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] formKey;

    /** @param secretSeed secret material shared by every node (the local CA's private key, PEM) */
    public BrowserCookie(String secretSeed) {
        this.formKey = Digests.sha256(("consentry form key\u0000" + secretSeed).getBytes(StandardCharsets.UTF_8));
    }

    /** The cookie's value when it has the right shape; null otherwise. */
    public static String read(Context ctx) {
        String v = ctx.cookie(NAME);
        return v != null && VALUE.matcher(v).matches() ? v : null;
    }

    /** The cookie's value, after setting a new one when the browser sent none. */
    public String readOrSet(Context ctx) {
        String v = read(ctx);
        return v != null ? v : issue(ctx);
    }

    /** Sets a fresh value and returns it. */
    public String issue(Context ctx) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String v = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        set(ctx, v, -1);
        return v;
    }

    /** Tells the browser to drop the cookie. */
    public static void clear(Context ctx) {
        set(ctx, "", 0);
    }

    private static void set(Context ctx, String value, int maxAge) {
        ctx.res().addHeader("Set-Cookie", NAME + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Lax"
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : ""));
    }

    /** The stored form of a cookie value. */
    public static String hash(String value) {
        return Digests.sha256Url(value);
    }

    /** The form token for this browser. */
    public String csrf(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(formKey, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(("csrf\u0000" + value).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code token} is this browser's form token; compared in constant time. */
    public boolean checkCsrf(String value, String token) {
        return value != null && token != null && MessageDigest.isEqual(csrf(value).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    /** The cookie naming the device this browser registered, bound to it by an HMAC so that it cannot be forged. */
    public static final String DEVICE = "consentry_device";
    private static final Pattern DEVICE_VALUE = Pattern.compile("([0-9a-f-]{36})\\.([A-Za-z0-9_-]{43})");

    /**
     * The device id this browser holds ({@value #DEVICE}: the id and an HMAC of it under the form key); null when there
     * is none or it was not issued by this Consentry (forged, or another store's).
     */
    public String device(Context ctx) {
        String v = ctx.cookie(DEVICE);
        java.util.regex.Matcher m = v == null ? null : DEVICE_VALUE.matcher(v);
        if (m == null || !m.matches()) {
            return null;
        }
        return MessageDigest.isEqual(deviceMac(m.group(1)).getBytes(StandardCharsets.US_ASCII),
                m.group(2).getBytes(StandardCharsets.US_ASCII)) ? m.group(1) : null;
    }

    /** Binds the device {@code deviceId} to this browser for a year (a registered device stays registered). */
    public void setDevice(Context ctx, String deviceId) {
        ctx.res().addHeader("Set-Cookie", DEVICE + "=" + deviceId + "." + deviceMac(deviceId)
                + "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=31536000");
    }

    private String deviceMac(String deviceId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(formKey, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(("device\u0000" + deviceId).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** OpenID Connect's {@code session_state} for this browser: stable for the session, revealing nothing of it. */
    public static String sessionState(String value) {
        return UUID.nameUUIDFromBytes(("session\u0000" + value).getBytes(StandardCharsets.US_ASCII)).toString();
    }
}
