package dev.consentry.server.signin;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.server.http.FormBodies;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.RequestIds;
import dev.consentry.server.http.StsResponses;
import dev.consentry.server.page.ErrorPage;
import dev.consentry.server.page.PageMessage;
import dev.consentry.server.page.Pages;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request from a browser to a sign-in page: its ids, its instant from the injected clock, the URLs on the
 * origin it used, and the ways such a request is refused: a message beside the form, or the error page.
 * Every refusal is recorded for diagnosis under the request's trace id and logged at INFO with its cause.
 */
record BrowserRequest(Context ctx, StsResponses sts, RequestIds ids, Instant now, StsUrls urls,
                      java.net.InetAddress clientAddress) {
    private static final Logger LOG = LoggerFactory.getLogger("consentry.signin");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    /** A sign-in form is small; a carried authorize request is its largest part. */
    static final int MAX_FORM_BYTES = 32 * 1024;

    static BrowserRequest of(Context ctx, Origins origins, StsResponses sts) {
        return new BrowserRequest(ctx, sts, RequestIds.of(ctx), sts.now(), new StsUrls(origins.of(ctx)),
                origins.clientAddress(ctx));
    }

    /** Records and logs a refusal; {@code how} says where it went (page, form, redirect). */
    void record(Failure f, String how) {
        sts.record(ctx, ids, f, now, List.of());
        LOG.info("{} {} -> AADSTS{} ({}) {}, trace_id={}", ctx.method(), ctx.path(), f.cause().code(), f.cause().slug(), how,
                ids.traceId());
    }

    /** The refusal as shown beside a form, recorded. */
    PageMessage message(Failure f) {
        record(f, "on the form");
        return pageMessage(f);
    }

    /**
     * What a page shows of {@code f}: Entra's public message, which names only the request's own values, and, to a
     * browser on this machine only, Consentry's explanation and fix. Those name directory facts (every tenant of the
     * instance when a tenant is unknown, an app's registered redirect URIs), which nobody else need see on a page that
     * asks no credential; the decision stays readable at /consentry/diagnostics under the trace id.
     */
    private PageMessage pageMessage(Failure f) {
        boolean local = clientAddress != null && clientAddress.isLoopbackAddress();
        return new PageMessage(String.valueOf(f.cause().code()), f.publicMessage(), local ? f.explanation() : null,
                local ? f.fix() : null, ids.traceId(), ids.correlationId(), TIMESTAMP.format(now));
    }

    /** Consentry's error page for a refusal that must not leave it, recorded. */
    void errorPage(Pages pages, Failure f) {
        errorPage(pages, f, "Sorry, but we're having trouble signing you in.");
    }

    /** As {@link #errorPage(Pages, Failure)}, under the heading {@code title}. */
    void errorPage(Pages pages, Failure f, String title) {
        errorPage(pages, f, title, null);
    }

    /** As {@link #errorPage(Pages, Failure, String)}, with a way back to the app ({@link ErrorPage#back}). */
    void errorPage(Pages pages, Failure f, String title, ErrorPage.Back back) {
        record(f, "on the error page");
        pages.error(ctx, f.cause().status(), new ErrorPage(title, pageMessage(f), back));
    }

    /** A posted form of Consentry's own pages, with the browser cookie it was posted with. */
    record SignedForm(FormParameters fields, String browser) {}

    /**
     * The form of a POST from one of Consentry's pages, after checking that it carries this browser's form
     * token (CSRF); empty after showing the error page for a bad body, a missing cookie or a foreign token.
     */
    Optional<SignedForm> signedForm(Pages pages, BrowserCookie cookies, java.util.Set<String> singleValued) {
        Optional<String> body = formBody(pages);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        FormParameters form;
        try {
            form = FormParameters.parse(body.get().getBytes(StandardCharsets.UTF_8), singleValued);
        } catch (FailureException e) {
            errorPage(pages, e.failure());
            return Optional.empty();
        }
        String browser = BrowserCookie.read(ctx);
        if (browser == null || !cookies.checkCsrf(browser, form.get("csrf").orElse(null))) {
            errorPage(pages, Failure.of(Cause.FORM_TOKEN_INVALID, "problem", browser == null
                    ? "without Consentry's browser cookie" : "with a form token that does not belong to this browser"));
            return Optional.empty();
        }
        return Optional.of(new SignedForm(form, browser));
    }

    /** The form body of a POST, or empty after showing the error page for a wrong content type or an oversized body. */
    Optional<String> formBody(Pages pages) {
        try {
            return Optional.of(new String(FormBodies.read(ctx, MAX_FORM_BYTES), StandardCharsets.UTF_8));
        } catch (FailureException e) {
            errorPage(pages, e.failure());
            return Optional.empty();
        }
    }
}
