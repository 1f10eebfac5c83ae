package dev.consentry.identity.mfa;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.Totp;
import dev.consentry.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The second factor of a sign-in: a user's authenticator apps (Graph's {@code softwareOathAuthenticationMethod}),
 * registering one, and checking a code against them (RFC 6238: HMAC-SHA1, 30-second steps, six digits; {@link Totp}).
 *
 * <p>Guaranteed: a code proves a sign-in at most once across every node sharing the store (the matched time step of the
 * matched method is recorded in the store's one-time-use records until it can no longer match); a code is accepted for
 * the current step or one step either side; a user who has an authenticator app cannot register another through this
 * class, so that a password alone never adds a second factor to an account that has one. Smart lockout
 * (https://learn.microsoft.com/entra/identity/authentication/howto-password-smart-lockout): the {@value #LOCKOUT_THRESHOLD}th
 * wrong or reused code in a row locks the user's second factor for {@link #LOCKOUT_DURATION} (Entra's default
 * threshold and duration), during which every code, right or wrong, is refused with AADSTS50053; the first wrong code
 * after the lock locks again; a proved code starts the count afresh. The count is the store's, so every node sees it.
 */
public final class Authenticators {
    /** Wrong codes in a row that lock the second factor: Entra's default smart lockout threshold. */
    public static final int LOCKOUT_THRESHOLD = 10;
    /** How long a lock lasts: Entra's default smart lockout duration. */
    public static final Duration LOCKOUT_DURATION = Duration.ofSeconds(60);
    private final Store store;

    public Authenticators(Store store) {
        this.store = store;
    }

    /** What checking a code came to. */
    public sealed interface Proof {
        /** The code is right and was not used before: {@code method} proved the second factor. */
        record Proved(SoftwareOathMethod method) implements Proof {}

        /** Not proved: why, to show beside the form. */
        record Refused(Failure failure) implements Proof {}
    }

    /**
     * A new authenticator secret for {@code user}, and the {@code otpauth://} URI an app scans to add it (the tenant's
     * name as issuer, the user principal name as account).
     */
    public record Enrolment(String secret, String uri) {}

    /** The user's authenticator apps, ordered by id. */
    public List<SoftwareOathMethod> methods(TenantId tenant, User user) {
        return store.softwareOathMethods().listByUser(tenant, user.id());
    }

    /** True when the user has an authenticator app to prove a second factor with. */
    public boolean registered(TenantId tenant, User user) {
        return !methods(tenant, user).isEmpty();
    }

    public Enrolment enrol(Tenant tenant, User user) {
        return enrolment(tenant, user, Totp.newSecret());
    }

    /**
     * The enrolment of {@code secret} (shown again after a wrong code), or a new one when {@code secret} is no usable
     * authenticator secret.
     */
    public Enrolment enrolment(Tenant tenant, User user, String secret) {
        if (secret == null || Totp.problem(secret).isPresent()) {
            return enrol(tenant, user);
        }
        String issuer = tenant.displayName() == null || tenant.displayName().isBlank() ? "Consentry" : tenant.displayName();
        return new Enrolment(secret, Totp.uri(issuer, user.userPrincipalName(), secret));
    }

    /**
     * Checks {@code code} against each of the user's authenticator apps at {@code now}; refused without a look at the
     * code while the user's second factor is locked out.
     */
    public Proof verify(TenantId tenant, User user, String code, Instant now) {
        return counted(tenant, user, now, () -> check(tenant, user, code, now));
    }

    private Proof check(TenantId tenant, User user, String code, Instant now) {
        List<SoftwareOathMethod> methods = methods(tenant, user);
        if (methods.isEmpty()) {
            return refused(user, "the user has no authenticator app registered");
        }
        for (SoftwareOathMethod m : methods) {
            OptionalLong step = Totp.verify(m.secretKey(), code, now);
            if (step.isPresent()) {
                return firstUse(tenant, user, m, step.getAsLong(), now);
            }
        }
        return refused(user, shape(code));
    }

    /**
     * Registers the authenticator app holding {@code secret} (the one {@link #enrol} gave) once {@code code} shows the
     * app computes it; the first use of that code proves the second factor. Refused when the user already has one.
     */
    public Proof register(TenantId tenant, User user, String secret, String code, Instant now) {
        return counted(tenant, user, now, () -> add(tenant, user, secret, code, now));
    }

    private Proof add(TenantId tenant, User user, String secret, String code, Instant now) {
        if (registered(tenant, user)) {
            return new Proof.Refused(Failure.of(Cause.PARAMETER_INVALID, "parameter", "secret", "problem",
                    "the user already has an authenticator app; another is added through the user's security info, not "
                            + "during a sign-in"));
        }
        if (secret == null || Totp.problem(secret).isPresent()) {
            return new Proof.Refused(Failure.of(Cause.PARAMETER_INVALID, "parameter", "secret", "problem",
                    "it is not an authenticator secret: " + Totp.problem(secret).orElse("it is missing")));
        }
        OptionalLong step = Totp.verify(secret, code, now);
        if (step.isEmpty()) {
            return refused(user, shape(code));
        }
        SoftwareOathMethod method = new SoftwareOathMethod(UUID.randomUUID().toString(), user.id(),
                secret.toUpperCase(Locale.ROOT), now);
        store.softwareOathMethods().save(tenant, method);
        return firstUse(tenant, user, method, step.getAsLong(), now);
    }

    /** The one-time-use record of a code: its method and step, kept until the step is out of the accepted window. */
    private Proof firstUse(TenantId tenant, User user, SoftwareOathMethod method, long step, Instant now) {
        Instant unusable = Instant.ofEpochSecond((step + 2) * Totp.STEP_SECONDS);
        String key = "totp:" + tenant + ":" + method.id().toLowerCase(Locale.ROOT) + ":" + step;
        if (!store.assertionReplay().firstUse(key, unusable, now)) {
            return new Proof.Refused(Failure.of(Cause.MFA_CODE_REUSED, "username", user.userPrincipalName()));
        }
        return new Proof.Proved(method);
    }

    /**
     * Runs {@code attempt} unless the user is locked out; counts its wrong or reused code, and answers the lock when that
     * code set it; forgets the count once a code proves the second factor.
     */
    private Proof counted(TenantId tenant, User user, Instant now, Supplier<Proof> attempt) {
        String key = "mfa:" + tenant + ":" + user.id();
        Optional<Instant> locked = store.lockouts().lockedUntil(key, now);
        if (locked.isPresent()) {
            return lockedOut(user, locked.get());
        }
        Proof proof = attempt.get();
        switch (proof) {
            case Proof.Proved p -> store.lockouts().succeeded(key, now);
            case Proof.Refused r when r.failure().cause() == Cause.MFA_CODE_INVALID
                    || r.failure().cause() == Cause.MFA_CODE_REUSED -> {
                Optional<Instant> lock = store.lockouts().failed(key, LOCKOUT_THRESHOLD, LOCKOUT_DURATION, now);
                if (lock.isPresent()) {
                    return lockedOut(user, lock.get());
                }
            }
            case Proof.Refused r -> { } // a form problem (a made-up secret, a second app), not a guess at a code
        }
        return proof;
    }

    private static Proof lockedOut(User user, Instant until) {
        return new Proof.Refused(Failure.of(Cause.ACCOUNT_LOCKED, "username", user.userPrincipalName(),
                "threshold", Integer.toString(LOCKOUT_THRESHOLD), "until", until.toString()));
    }

    private static Proof refused(User user, String problem) {
        return new Proof.Refused(Failure.of(Cause.MFA_CODE_INVALID, "username", user.userPrincipalName(), "problem", problem));
    }

    private static String shape(String code) {
        String typed = code == null ? "" : code.strip();
        return typed.matches("[0-9]{" + Totp.DIGITS + "}") ? "it matches none of the user's authenticator apps"
                : "a code is " + Totp.DIGITS + " digits, and '" + (typed.length() > 12 ? typed.substring(0, 12) + "..." : typed)
                        + "' is not";
    }
}
