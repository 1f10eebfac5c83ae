package dev.consentry.identity.signin;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.Application;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.authorize.AuthorizationRequest.Prompt;
import dev.consentry.identity.mfa.Authenticators;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one state machine of an interactive sign-in, for the authorize endpoint's pages and the device-code
 * verification page alike: given who the sign-in is for and what the person just did, it says what comes next.
 * The HTTP handlers only turn a form into an {@link Action} and render the {@link Step}; neither decides.
 *
 * <p>The steps are the username, the password, the account picker and, when a conditional access policy asks for it
 * ({@link #secondFactor}), the second factor: the code of the user's authenticator app, or registering one first. The
 * journey ends signed in (credentials proved now), resumed (an account already signed in to this browser) or refused.
 *
 * <p>Guaranteed: a step that asks again after a mistake carries the mistake's {@link Failure} (to show beside the
 * form, never on the wire); a refusal that ends the journey is a {@link Step.Refused}, never an exception.
 */
public final class SignInJourney {
    private final UserAuthenticator users;
    private final Authenticators authenticators;

    public SignInJourney(Store store) {
        this.users = new UserAuthenticator(store);
        this.authenticators = new Authenticators(store);
    }

    /** Who the sign-in is for: the authority it came through, the app, and the app's home tenant. */
    public record Audience(TenantPath path, Application client, TenantId clientHome) {
        public Audience {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(clientHome, "clientHome");
        }
    }

    /** What the person (or the app's request) just did. */
    public sealed interface Action {
        /** An authorize request arrived: its {@code prompt} and {@code login_hint}, and the browser's signed-in accounts. */
        record Begin(Prompt prompt, String loginHint, List<AuthenticatedUser> accounts) implements Action {
            public Begin {
                accounts = List.copyOf(accounts);
            }
        }

        /** The username form was sent. */
        record Username(String typed) implements Action {}

        /** The password form was sent. */
        record Password(String username, String password) implements Action {}

        /** An account of the picker was chosen, among the browser's signed-in {@code accounts}. */
        record Pick(String userPrincipalName, List<AuthenticatedUser> accounts) implements Action {
            public Pick {
                accounts = List.copyOf(accounts);
            }
        }

        /**
         * The code of an authenticator app was sent for {@code user}, whose sign-in in this browser proved
         * {@code proved} so far.
         */
        record Code(AuthenticatedUser user, AuthContext proved, String code) implements Action {}

        /** An authenticator app was added with the {@code secret} shown, and the code it computes sent. */
        record Enrol(AuthenticatedUser user, AuthContext proved, String secret, String code) implements Action {}

        /** "Use another account" on the picker. */
        record Other() implements Action {}

        /** Cancel. */
        record Cancel() implements Action {}
    }

    /** What comes next. */
    public sealed interface Step {
        /** Ask for a username, pre-filled with {@code prefill} (may be null); {@code problem} is the last mistake. */
        record AskUsername(String prefill, Optional<Failure> problem) implements Step {}

        /** Ask for the password of {@code username}. */
        record AskPassword(String username, Optional<Failure> problem) implements Step {}

        /** Let the person choose among the browser's signed-in accounts. */
        record PickAccount(List<AuthenticatedUser> accounts) implements Step {}

        /** Ask {@code user} for the code their authenticator app shows. */
        record AskCode(AuthenticatedUser user, Optional<Failure> problem) implements Step {}

        /**
         * Ask {@code user}, who has no authenticator app yet, to add one with {@code enrolment}'s secret (Entra's "More
         * information required"), and to type the code it then shows.
         */
        record Enrol(AuthenticatedUser user, Authenticators.Enrolment enrolment, Optional<Failure> problem) implements Step {}

        /** The person proved who they are now; {@code context} is what the sign-in proved. */
        record SignedIn(AuthenticatedUser user, AuthContext context) implements Step {}

        /** An account already signed in to this browser goes on, on the strength of its session. */
        record Resume(AuthenticatedUser user) implements Step {}

        /** The journey ends without a sign-in (cancelled, or no interaction allowed). */
        record Refused(Failure failure) implements Step {}
    }

    /** The step after {@code action}, at {@code now}, from a browser at {@code from} (smart lockout counts by it). */
    public Step next(Audience audience, Action action, Instant now, java.net.InetAddress from) {
        return switch (action) {
            case Action.Begin b -> begin(b);
            case Action.Username u -> username(audience, u.typed() == null ? "" : u.typed().trim());
            case Action.Password p -> password(audience, p.username() == null ? "" : p.username().trim(), p.password(), now, from);
            case Action.Pick p -> p.accounts().stream()
                    .filter(a -> a.user().userPrincipalName().equalsIgnoreCase(p.userPrincipalName())).findFirst()
                    .<Step>map(Step.Resume::new)
                    .orElseGet(() -> new Step.AskUsername(p.userPrincipalName(), Optional.empty()));
            case Action.Code c -> code(c, now);
            case Action.Enrol e -> enrol(e, now);
            case Action.Other o -> new Step.AskUsername(null, Optional.empty());
            case Action.Cancel c -> new Step.Refused(Failure.of(Cause.USER_CANCELLED));
        };
    }

    /**
     * The step that asks {@code user} for a second factor: their authenticator app's code, or, when they have none,
     * registering one first (a new secret each time the step is shown).
     */
    public Step secondFactor(AuthenticatedUser user) {
        if (authenticators.registered(user.tenant().id(), user.user())) {
            return new Step.AskCode(user, Optional.empty());
        }
        return new Step.Enrol(user, authenticators.enrol(user.tenant(), user.user()), Optional.empty());
    }

    private Step code(Action.Code c, Instant now) {
        return switch (authenticators.verify(c.user().tenant().id(), c.user().user(), c.code(), now)) {
            case Authenticators.Proof.Proved p -> new Step.SignedIn(c.user(), c.proved().withSecondFactor(now));
            case Authenticators.Proof.Refused r -> new Step.AskCode(c.user(), Optional.of(r.failure()));
        };
    }

    private Step enrol(Action.Enrol e, Instant now) {
        return switch (authenticators.register(e.user().tenant().id(), e.user().user(), e.secret(), e.code(), now)) {
            case Authenticators.Proof.Proved p -> new Step.SignedIn(e.user(), e.proved().withSecondFactor(now));
            case Authenticators.Proof.Refused r -> authenticators.registered(e.user().tenant().id(), e.user().user())
                    ? new Step.AskCode(e.user(), Optional.of(r.failure()))
                    : new Step.Enrol(e.user(), authenticators.enrolment(e.user().tenant(), e.user().user(), e.secret()),
                            Optional.of(r.failure()));
        };
    }

    /**
     * OpenID Connect Core 1.0, section 3.1.2.1: {@code prompt=none} never shows a page (no account or several are
     * refusals); {@code login} always asks for credentials; {@code select_account}, or anything but exactly one
     * account matching the hint, shows the picker; otherwise the one account goes on.
     */
    private static Step begin(Action.Begin b) {
        List<AuthenticatedUser> hinted = b.loginHint() == null ? b.accounts() : b.accounts().stream()
                .filter(a -> a.user().userPrincipalName().equalsIgnoreCase(b.loginHint())).toList();
        if (b.prompt() == Prompt.NONE) {
            if (hinted.isEmpty()) {
                return new Step.Refused(Failure.of(Cause.LOGIN_REQUIRED, "hint", b.loginHint() == null ? ""
                        : " for '" + b.loginHint() + "'"));
            }
            if (hinted.size() > 1) {
                return new Step.Refused(Failure.of(Cause.ACCOUNT_SELECTION_REQUIRED, "count", String.valueOf(hinted.size())));
            }
            return new Step.Resume(hinted.get(0));
        }
        if (b.prompt() == Prompt.LOGIN || b.accounts().isEmpty()) {
            return new Step.AskUsername(b.loginHint(), Optional.empty());
        }
        if (b.prompt() == Prompt.SELECT_ACCOUNT || hinted.size() != 1) {
            return new Step.PickAccount(b.accounts());
        }
        return new Step.Resume(hinted.get(0));
    }

    private Step username(Audience audience, String username) {
        if (username.isEmpty()) {
            return new Step.AskUsername("", Optional.of(Failure.of(Cause.PARAMETER_MISSING, "parameter", "username")));
        }
        try {
            users.find(audience.path(), username);
            return new Step.AskPassword(username, Optional.empty());
        } catch (FailureException e) {
            return new Step.AskUsername(username, Optional.of(e.failure()));
        }
    }

    private Step password(Audience audience, String username, String password, Instant now, java.net.InetAddress from) {
        try {
            AuthenticatedUser user = users.authenticate(audience.path(), username, password == null ? "" : password, from, now);
            SignInRules.checkUser(audience.path(), audience.client(), audience.clientHome(), user.tenant().id(), user.user());
            return new Step.SignedIn(user, AuthContext.password(now));
        } catch (FailureException e) {
            return new Step.AskPassword(username, Optional.of(e.failure()));
        }
    }
}
