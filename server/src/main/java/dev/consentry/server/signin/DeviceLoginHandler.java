package dev.consentry.server.signin;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.device.DeviceAuthorizations;
import dev.consentry.identity.device.DeviceAuthorizations.Pending;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.signin.SignInJourney;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.StsResponses;
import dev.consentry.server.page.DevicePage;
import dev.consentry.server.page.NoticePage;
import dev.consentry.server.page.PageMessage;
import dev.consentry.server.page.Pages;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Consentry's device code verification page, {@code GET|POST /devicelogin} (RFC 8628, section 3.3): the
 * person types the user code, confirms the app it belongs to (or cancels, which declines the device's
 * request), then signs in with username and password; the device's next poll gets the tokens.
 *
 * <p>Every form carries the browser-bound token of {@link BrowserCookie}; a code is re-checked at each step,
 * so an expired or already used one is refused wherever the person is.
 *
 * <pre>open https://localhost:8443/devicelogin   # then type the user_code printed by the app</pre>
 */
public final class DeviceLoginHandler {
    private static final Set<String> FIELDS = Set.of("csrf", "step", "user_code", "username", "password");
    private final Origins origins;
    private final StsResponses sts;
    private final DeviceAuthorizations devices;
    private final SignInJourney journey;
    private final BrowserCookie cookies;
    private final Pages pages;

    public DeviceLoginHandler(Store store, Origins origins, StsResponses sts, BrowserCookie cookies, Pages pages) {
        this.origins = origins;
        this.sts = sts;
        this.devices = new DeviceAuthorizations(store);
        this.journey = new SignInJourney(store);
        this.cookies = cookies;
        this.pages = pages;
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
        String typed = form.get("user_code").orElse("");
        Pending pending;
        try {
            pending = devices.pending(typed, call.now());
        } catch (FailureException e) {
            show(ctx, browser, "code", typed, null, null, call.message(e.failure()), 400);
            return;
        }
        String userCode = pending.record().userCode();
        String app = appName(pending);
        // Entering and confirming the code are the device flow's own steps; the sign-in after them is the journey's.
        SignInJourney.Action action = switch (form.get("step").orElse("code")) {
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
        SignInJourney.Audience audience = new SignInJourney.Audience(pending.path(), pending.client(), pending.clientHomeTenant());
        switch (journey.next(audience, action, call.now())) {
            case SignInJourney.Step.AskUsername s -> show(ctx, browser, "username", userCode, app, s.prefill(),
                    s.problem().map(call::message).orElse(null), s.problem().isPresent() ? 400 : 200);
            case SignInJourney.Step.AskPassword s -> show(ctx, browser, "password", userCode, app, s.username(),
                    s.problem().map(call::message).orElse(null), s.problem().isPresent() ? 400 : 200);
            case SignInJourney.Step.SignedIn s -> approve(call, browser, userCode, app, s.user(), s.context());
            case SignInJourney.Step.Refused s -> {
                // The person declined on the page; the app learns it when it polls (RFC 8628, section 3.5).
                devices.decline(userCode);
                call.record(Failure.of(Cause.DEVICE_AUTHORIZATION_DECLINED, "userCode", userCode), "declined on the page");
                pages.notice(ctx, new NoticePage("You declined", "You declined the sign-in to " + app
                        + ". The app on your device will be told; you may close this window.", null, null));
            }
            case SignInJourney.Step.PickAccount s -> throw new IllegalStateException("the device page offers no account picker");
            case SignInJourney.Step.Resume s -> throw new IllegalStateException("the device page always asks for credentials");
            case SignInJourney.Step.AskCode s -> throw new IllegalStateException("the device page sends no second factor");
            case SignInJourney.Step.Enrol s -> throw new IllegalStateException("the device page sends no second factor");
        }
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

    private static String appName(Pending p) {
        String name = p.client().displayName();
        return name == null || name.isBlank() ? p.client().appId().toString() : name;
    }
}
