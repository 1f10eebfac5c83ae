package dev.consentry.server.page;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Renders Consentry's pages from the jte templates compiled at build time (src/main/jte; HTML content type,
 * so every value is escaped for its context) and sends them with headers that keep them private to the
 * browser: no caching, no framing, no referrer, and a Content-Security-Policy that allows inline styles
 * and, only on the form_post page, the one script carrying that response's nonce.
 */
public final class Pages {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public void signIn(Context ctx, int status, SignInPage page) {
        send(ctx, status, "signin.jte", page, null);
    }

    public void secondFactor(Context ctx, int status, SecondFactorPage page) {
        send(ctx, status, "mfa.jte", page, null);
    }

    public void deviceCheck(Context ctx, DeviceCheckPage page) {
        send(ctx, 400, "devicecheck.jte", page, null);
    }

    public void consent(Context ctx, ConsentPage page) {
        send(ctx, 200, "consent.jte", page, null);
    }

    public void approval(Context ctx, ApprovalPage page) {
        send(ctx, 400, "approval.jte", page, null);
    }

    public void device(Context ctx, int status, DevicePage page) {
        send(ctx, status, "device.jte", page, null);
    }

    public void error(Context ctx, int status, ErrorPage page) {
        send(ctx, status, "error.jte", page, null);
    }

    public void codes(Context ctx, CodesPage page) {
        send(ctx, 200, "codes.jte", page, null);
    }

    public void diagnosis(Context ctx, DiagnosisPage page) {
        send(ctx, 200, "diagnosis.jte", page, null);
    }

    public void whatIf(Context ctx, int status, WhatIfPage page) {
        send(ctx, status, "whatif.jte", page, null);
    }

    public void failures(Context ctx, int status, FailuresPage page) {
        send(ctx, status, "failures.jte", page, null);
    }

    public void notice(Context ctx, NoticePage page) {
        send(ctx, 200, "notice.jte", page, null);
    }

    /** The auto-submitting form_post response. */
    public void formPost(Context ctx, String action, java.util.List<FormPostPage.Field> fields) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        send(ctx, 200, "formpost.jte", new FormPostPage(action, fields, nonce), nonce);
    }

    private void send(Context ctx, int status, String template, Object page, String scriptNonce) {
        StringOutput out = new StringOutput(4096);
        engine.render(template, page, out);
        ctx.header("Cache-Control", "no-store, no-cache");
        ctx.header("Pragma", "no-cache");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
                + "base-uri 'none'" + (scriptNonce == null ? "" : "; script-src 'nonce-" + scriptNonce + "'"));
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }
}
