package dev.consentry.server.explain;

import dev.consentry.core.cause.FailureException;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.server.diagnostics.WhatIf;
import dev.consentry.server.http.FormBodies;
import dev.consentry.server.page.DiagnosisPage;
import dev.consentry.server.page.NoticePage;
import dev.consentry.server.page.Pages;
import dev.consentry.server.page.WhatIfPage;
import dev.consentry.server.signin.BrowserCookie;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Set;

/**
 * The what-if page, {@code GET|POST /consentry/what-if}: a person pastes a token and a Graph call and sees the decision
 * as the diagnosis page shows it ({@link WhatIf}), for Consentry's tokens and for the real Entra ID's alike. The form
 * carries the browser-bound token of {@link BrowserCookie}; the access token is never echoed, kept or logged. Served
 * to the callers {@link DiagnosticsHandler} serves.
 */
public final class WhatIfPageHandler {
    private static final Set<String> FIELDS = Set.of("csrf", "token", "method", "url");
    private static final int MAX_FORM_BYTES = 64 * 1024;
    private final DiagnosticsHandler access;
    private final WhatIf whatIf;
    private final BrowserCookie cookies;
    private final Pages pages;
    private final Clock clock;

    public WhatIfPageHandler(DiagnosticsHandler access, WhatIf whatIf, BrowserCookie cookies, Pages pages, Clock clock) {
        this.access = access;
        this.whatIf = whatIf;
        this.cookies = cookies;
        this.pages = pages;
        this.clock = clock;
    }

    public void get(Context ctx) {
        if (!access.allowed(ctx)) {
            return;
        }
        String browser = cookies.readOrSet(ctx);
        pages.whatIf(ctx, 200, new WhatIfPage(cookies.csrf(browser), "GET", "", null));
    }

    public void post(Context ctx) {
        if (!access.allowed(ctx)) {
            return;
        }
        FormParameters form;
        try {
            form = FormParameters.parse(FormBodies.read(ctx, MAX_FORM_BYTES), FIELDS);
        } catch (FailureException e) {
            expired(ctx, "The form could not be read: " + e.failure().publicMessage());
            return;
        }
        String browser = BrowserCookie.read(ctx);
        if (browser == null || !cookies.checkCsrf(browser, form.get("csrf").orElse(null))) {
            expired(ctx, "This form did not come from this browser's what-if page (or the page is too old). Open it "
                    + "again and paste the token there.");
            return;
        }
        String method = form.get("method").orElse("GET");
        String url = form.get("url").orElse("");
        WhatIf.Answer answer;
        try {
            answer = whatIf.decide(form.get("token").orElse(null), method, url, clock.instant());
        } catch (WhatIf.BadQuestion e) {
            pages.whatIf(ctx, 400, new WhatIfPage(cookies.csrf(browser), method, url.length() > 2000 ? "" : url,
                    Character.toUpperCase(e.getMessage().charAt(0)) + e.getMessage().substring(1) + "."));
            return;
        }
        pages.diagnosis(ctx, new DiagnosisPage(answer.diagnosis(), null, answer.signatureChecked()
                ? "What-if: decided as this Consentry's Graph would decide the call, which was not made."
                : "What-if: decided from the token's claims alone; its signature was not checked, and what only its "
                        + "tenant knows is marked \"Not known\". The call was not made."));
    }

    private void expired(Context ctx, String text) {
        pages.notice(ctx, new NoticePage("Open the page again", text, "/consentry/what-if", "Open the what-if page"));
        ctx.status(400);
    }
}
