package dev.consentry.server.signin;

import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.SignInSession;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.signin.SignInJourney;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The accounts signed in to a browser: its sign-in sessions, each keyed by the hash of the browser's cookie
 * ({@link BrowserCookie}) and saying what the account's last sign-in with credentials proved. The authorize pages and
 * the device code page sign people in through it, so a second factor asked for on either finds the password proved in
 * the same browser.
 */
final class BrowserSessions {
    private final Store store;
    private final BrowserCookie cookies;

    BrowserSessions(Store store, BrowserCookie cookies) {
        this.store = store;
        this.cookies = cookies;
    }

    /** One account signed in to a browser, with its session. */
    record SignedInAccount(AuthenticatedUser user, SignInSession session) {}

    /** The accounts signed in to {@code browser} whose tenant and user still exist. */
    List<AuthenticatedUser> accounts(String browser) {
        List<AuthenticatedUser> out = new ArrayList<>();
        for (SignInSession s : store.signInSessions().list(BrowserCookie.hash(browser))) {
            store.tenants().find(s.tenant()).ifPresent(t -> store.users().find(s.tenant(), s.userId())
                    .ifPresent(u -> out.add(new AuthenticatedUser(t, u))));
        }
        return out;
    }

    /** The account {@code userId} of {@code userTenant} when it is signed in to {@code browser}; ids as a form sent them. */
    Optional<SignedInAccount> account(String browser, String userTenant, String userId) {
        Optional<SignInSession> session = store.signInSessions().list(BrowserCookie.hash(browser)).stream()
                .filter(s -> s.userId().toString().equalsIgnoreCase(userId) && s.tenant().toString().equalsIgnoreCase(userTenant))
                .findFirst();
        return session.flatMap(s -> accounts(browser).stream()
                .filter(a -> a.user().id().equals(s.userId()) && a.tenant().id().equals(s.tenant())).findFirst()
                .map(a -> new SignedInAccount(a, s)));
    }

    /**
     * What a second-factor form asks for ({@code code}: the code of the user's authenticator app; otherwise the code of
     * the app being added, with its secret), for the account the form names, when that account is signed in to
     * {@code browser}: the code then strengthens what its session proved. Empty for another browser's form or a
     * signed-out account.
     */
    Optional<SignInJourney.Action> secondFactor(String browser, FormParameters form, boolean code) {
        return account(browser, form.get("user_tenant").orElse(""), form.get("user").orElse("")).map(a -> {
            AuthContext proved = a.session().auth();
            String typed = form.get("code").orElse("");
            return code ? new SignInJourney.Action.Code(a.user(), proved, typed)
                    : new SignInJourney.Action.Enrol(a.user(), proved, form.get("secret").orElse(""), typed);
        });
    }

    /**
     * Credentials were proved just now, as {@code proved} says: the browser gets a fresh cookie value (the accounts
     * signed in before move over to it, so a value seen before the sign-in is worth nothing after it), and {@code user}'s
     * session records the proof. Returns the fresh value.
     */
    String signIn(Context ctx, String browser, AuthenticatedUser user, AuthContext proved, Instant now) {
        String fresh = cookies.issue(ctx);
        var sessions = store.signInSessions();
        String oldHash = BrowserCookie.hash(browser);
        for (SignInSession s : sessions.list(oldHash)) {
            if (!(s.tenant().equals(user.tenant().id()) && s.userId().equals(user.user().id()))) {
                sessions.save(new SignInSession(BrowserCookie.hash(fresh), s.tenant(), s.userId(), s.auth(), s.lastSeenAt()));
            }
        }
        sessions.removeBrowser(oldHash);
        sessions.save(new SignInSession(BrowserCookie.hash(fresh), user.tenant().id(), user.user().id(), proved, now));
        return fresh;
    }
}
