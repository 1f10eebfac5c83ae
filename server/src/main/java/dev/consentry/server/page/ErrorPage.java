package dev.consentry.server.page;

/**
 * Consentry's error page, for refusals that must not be redirected to the app (wire spec, section 3.1).
 *
 * @param returnUrl where "Return to the application without granting consent" leads (the "Need admin approval" page
 *     of a request whose redirect URI is trusted), or null for no such link
 */
public record ErrorPage(String title, PageMessage message, String returnUrl) {
    public ErrorPage(String title, PageMessage message) {
        this(title, message, null);
    }
}
