package dev.consentry.server.sts;

import dev.consentry.core.cause.Cause;
import dev.consentry.server.page.CodesPage;
import dev.consentry.server.page.Pages;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /error?code=<n>}: the page every {@code error_uri} Consentry sends points to (wire spec,
 * section 3.1), listing the causes of the catalogue with that AADSTS code, their message, explanation and
 * fix. A missing or non-numeric code lists nothing; the page never fails.
 *
 * <pre>curl --cacert .consentry/ca.pem 'https://localhost:8443/error?code=50011'</pre>
 */
public final class ErrorCodesHandler {
    private final Pages pages;

    public ErrorCodesHandler(Pages pages) {
        this.pages = pages;
    }

    public void get(Context ctx) {
        String raw = ctx.queryParam("code");
        String code = raw != null && raw.matches("\\d{1,9}") ? raw : "";
        List<CodesPage.Entry> entries = code.isEmpty() ? List.of() : Arrays.stream(Cause.values())
                .filter(c -> String.valueOf(c.code()).equals(code))
                .map(c -> new CodesPage.Entry(c.slug(), c.error(), c.status(), c.publicMessageTemplate(),
                        c.explanationTemplate(), c.fixTemplate()))
                .toList();
        pages.codes(ctx, new CodesPage(code.isEmpty() ? "?" : code, entries));
    }
}
