package dev.consentry.server.signin;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.device.DeviceAuthorizations;
import dev.consentry.identity.device.DeviceAuthorizations.Pending;
import dev.consentry.identity.mfa.Authenticators;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.signin.SignInJourney;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.StsResponses;
import dev.consentry.server.page.DevicePage;
import dev.consentry.server.page.NoticePage;
import dev.consentry.server.page.PageMessage;
import dev.consentry.server.page.Pages;
import dev.consentry.server.page.SecondFactorPage;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;

/**
 * Consentry's device code verification page, {@code GET|POST /devicelogin} (RFC 8628, section 3.3): the
 * person types the user code, confirms the app it belongs to (or cancels, which declines the device's
 * request), then signs in with username and password; the device's next poll gets the tokens. When the tenant's
 * conditional access policies want a second factor for the token the device asked for, the page asks for the
 * authenticator app's code (or sets an app up) before it approves, as Entra runs its multifactor step in the browser of
 * a device code sign-in; any other unmet policy is the poll's to answer.
 *
 * <p>Every form carries the browser-bound token of {@link BrowserCookie}; a code is re-checked at each step,
 * so an expired or already used one is refused wherever the person is.
 *
 * <pre>open https://localhost:8443/devicelogin   # then type the user_code printed by the app</pre>
 */
public final class DeviceLoginHandler {
    private static final Set<String> FIELDS = Set.of("csrf", "step", "user_code", "username", "password", "cancel",
            "request", "user_tenant", "user", "code", "secret");
    private final Origins origins;
    private final StsResponses sts;
    private final DeviceAuthorizations devices;
    private final SignInJourney journey;
    private final BrowserCookie cookies;
    private final BrowserSessions browserSessions;
    private final Pages pages;
    private final PageSignIns signIns;
    private final dev.consentry.store.LockoutStore attempts;

    public DeviceLoginHandler(Store store, Origins origins, StsResponses sts, BrowserCookie cookies, Pages pages) {
        this.origins = origins;
        this.sts = sts;
        this.devices = new DeviceAuthorizations(store);
        this.journey = new SignInJourney(store);
        this.cookies = cookies;
        this.browserSessions = new BrowserSessions(store, cookies);
        this.pages = pages;
        this.signIns = new PageSignIns(store);
        this.attempts = store.lockouts();
    }

    /** The code entry form; {@code ?otc=} pre-fills the code. */
    public void get(Context ctx) {
        String browser = cookies.readOrSet(ctx);
        String code = ctx.queryParam("otc");
        show(ctx, browser, "code", code == null ? "" : code.substring(0, Math.min(code.length(), 32)), null, null, null, 200);
    }

    public void post(Context ctx) {
        BrowserRequest call = BrowserRequest.of(ctx, origins, sts);
        call.signedForm(pages, cookies, FIELDS).ifPresent(signed -> post(ctx, call, signed.fields(), signed.browser()));
    }

    /** A form that passed the CSRF and cookie checks. */
    private void post(Context ctx, BrowserRequest call, FormParameters form, String browser) {
        // The second-factor form carries the code as "request", the field the authorize pages carry their request in.
        String typed = form.get("user_code").or(() -> form.get("request")).orElse("");
        String address = call.clientAddress() == null ? "an unknown address" : call.clientAddress().getHostAddress();
        String byBrowser = "user-code:browser:" + browser;
        String byAddress = "user-code:address:" + address;
        Optional<Failure> throttled = attempts.lockedUntil(byBrowser, call.now())
                .map(until -> tooManyCodes(BROWSER_ATTEMPTS, "in this browser", until))
                .or(() -> attempts.lockedUntil(byAddress, call.now()).map(until -> tooManyCodes(ADDRESS_ATTEMPTS,
                        "from " + address, until)));
        if (throttled.isPresent()) {
            show(ctx, browser, "code", typed, null, null, call.message(throttled.get()), Cause.USER_CODE_ATTEMPTS.status());
            return;
        }
        Pending pending;
        try {
            pending = devices.pending(typed, call.now());
        } catch (FailureException e) {
            Failure shown = e.failure();
            if (shown.cause() == Cause.DEVICE_CODE_INVALID) {
                // A code no sign-in waits for: a typo, or a guess. Counted, so that codes cannot be guessed by many tries.
                Optional<Failure> locked = attempts.failed(byBrowser, BROWSER_ATTEMPTS, CODE_LOCK, call.now())
                        .map(until -> tooManyCodes(BROWSER_ATTEMPTS, "in this browser", until))
                        .or(() -> attempts.failed(byAddress, ADDRESS_ATTEMPTS, CODE_LOCK, call.now())
                                .map(until -> tooManyCodes(ADDRESS_ATTEMPTS, "from " + address, until)));
                shown = locked.orElse(shown);
            }
            show(ctx, browser, "code", typed, null, null, call.message(shown), shown.cause().status());
            return;
        }
        attempts.succeeded(byBrowser, call.now());
        attempts.succeeded(byAddress, call.now());
        String userCode = pending.record().userCode();
        String app = appName(pending);
        // Entering and confirming the code are the device flow's own steps; the sign-in after them is the journey's.
        String step = form.get("cancel").isPresent() ? "cancel" : form.get("step").orElse("code");
        if (step.equals("second-code") || step.equals("second-enrol")) {
            secondFactor(call, pending, form, browser, step);
            return;
        }
        SignInJourney.Action action = switch (step) {
            case "code" -> {
                show(ctx, browser, "confirm", userCode, app, null, null, 200);
                yield null;
            }
            case "confirm" -> {
                show(ctx, browser, "username", userCode, app, null, null, 200);
                yield null;
            }
            case "cancel" -> new SignInJourney.Action.Cancel();
            case "username" -> new SignInJourney.Action.Username(form.get("username").orElse(""));
            default -> new SignInJourney.Action.Password(form.get("username").orElse(""), form.get("password").orElse(""));
        };
        if (action == null) {
            return;
        }
        render(call, pending, browser, journey.next(audience(pending), action, call.now(), call.clientAddress()));
    }

    private static SignInJourney.Audience audience(Pending pending) {
        return new SignInJourney.Audience(pending.path(), pending.client(), pending.clientHomeTenant());
    }

    /**
     * The second-factor form: the code of the user's authenticator app, or of the one being added. Only for the account
     * whose password was proved on this page in this browser (its browser session).
     */
    private void secondFactor(BrowserRequest call, Pending pending, FormParameters form, String browser, String step) {
        Optional<SignInJourney.Action> action = browserSessions.secondFactor(browser, form, step.equals("second-code"));
        if (action.isEmpty()) {
            show(call.ctx(), browser, "username", pending.record().userCode(), appName(pending), null, null, 200);
            return;
        }
        render(call, pending, browser, journey.next(audience(pending), action.get(), call.now(), call.clientAddress()));
    }

    /** Shows the journey's next step on this page, or ends it. */
    private void render(BrowserRequest call, Pending pending, String browser, SignInJourney.Step next) {
        Context ctx = call.ctx();
        String userCode = pending.record().userCode();
        String app = appName(pending);
        switch (next) {
            case SignInJourney.Step.AskUsername s -> show(ctx, browser, "username", userCode, app, s.prefill(),
                    s.problem().map(call::message).orElse(null), s.problem().isPresent() ? 400 : 200);
            case SignInJourney.Step.AskPassword s -> show(ctx, browser, "password", userCode, app, s.username(),
                    s.problem().map(p -> signIns.shown(call, pending.path(), pending.client(), s.username(), p))
                            .orElse(null), s.problem().isPresent() ? 400 : 200);
            case SignInJourney.Step.SignedIn s -> signedIn(call, pending, browser, s.user(), s.context());
            case SignInJourney.Step.Refused s -> {
                // The person declined on the page; the app learns it when it polls (RFC 8628, section 3.5).
                devices.decline(userCode);
                call.record(Failure.of(Cause.DEVICE_AUTHORIZATION_DECLINED, "userCode", userCode), "declined on the page");
                pages.notice(ctx, new NoticePage("You declined", "You declined the sign-in to " + app
                        + ". The app on your device will be told; you may close this window.", null, null));
            }
            case SignInJourney.Step.PickAccount s -> throw new IllegalStateException("the device page offers no account picker");
            case SignInJourney.Step.Resume s -> throw new IllegalStateException("the device page always asks for credentials");
            case SignInJourney.Step.AskCode s -> showSecondFactor(call, pending, browser, s.user(), null,
                    s.problem().map(p -> signIns.shown(call, pending.client(), s.user(), p)).orElse(null),
                    s.problem().isPresent() ? 400 : 200);
            case SignInJourney.Step.Enrol s -> showSecondFactor(call, pending, browser, s.user(), s.enrolment(),
                    s.problem().map(p -> signIns.shown(call, pending.client(), s.user(), p)).orElse(null),
                    s.problem().isPresent() ? 400 : 200);
        }
    }

    /**
     * Credentials were proved just now: the browser's session records it, then a second factor is asked for when the
     * tenant's policies want one for the device's token, else the device is approved.
     */
    private void signedIn(BrowserRequest call, Pending pending, String browser, AuthenticatedUser user, AuthContext proved) {
        String fresh = browserSessions.signIn(call.ctx(), browser, user, proved, call.now());
        if (devices.secondFactorWanted(pending, user.tenant().id(), user.user(), proved, call.now(), call.clientAddress())) {
            render(call, pending, fresh, journey.secondFactor(user));
            return;
        }
        approve(call, fresh, pending.record().userCode(), appName(pending), user, proved);
    }

    private void showSecondFactor(BrowserRequest call, Pending pending, String browser, AuthenticatedUser user,
                                  Authenticators.Enrolment enrolment, PageMessage message, int status) {
        pages.secondFactor(call.ctx(), status, new SecondFactorPage(DeviceAuthorizations.VERIFICATION_PATH,
                cookies.csrf(browser), pending.record().userCode(), appName(pending), user.user().userPrincipalName(),
                user.tenant().id().toString(), user.user().id().toString(),
                enrolment == null ? null : SecondFactorPage.Enrolment.of(enrolment.secret(), enrolment.uri()), message,
                "second-"));
    }

    private void approve(BrowserRequest call, String browser, String userCode, String app, AuthenticatedUser user,
                         AuthContext proved) {
        if (!devices.approve(userCode, user.tenant().id(), user.user().id(), proved)) {
            show(call.ctx(), browser, "code", "", null, null, call.message(Failure.of(Cause.DEVICE_CODE_INVALID, "problem",
                    "the code was used or declined while you signed in")), 400);
            return;
        }
        pages.notice(call.ctx(), new NoticePage("You're signed in", "You have signed in to " + app
                + " on your device. You may now close this window.", null, null));
    }

    private void show(Context ctx, String browser, String step, String userCode, String appName, String username,
                      PageMessage message, int status) {
        pages.device(ctx, status, new DevicePage(DeviceAuthorizations.VERIFICATION_PATH, cookies.csrf(browser), step, userCode,
                appName, username, message));
    }

    /** Wrong user codes in a row, per browser and per client address, before the page takes no code for a minute. */
    static final int BROWSER_ATTEMPTS = 5;
    static final int ADDRESS_ATTEMPTS = 30;
    static final java.time.Duration CODE_LOCK = java.time.Duration.ofMinutes(1);

    private static Failure tooManyCodes(int attempts, String where, java.time.Instant until) {
        return Failure.of(Cause.USER_CODE_ATTEMPTS, "attempts", Integer.toString(attempts), "where", where, "until",
                until.toString());
    }

    private static String appName(Pending p) {
        String name = p.client().displayName();
        return name == null || name.isBlank() ? p.client().appId().toString() : name;
    }
}
