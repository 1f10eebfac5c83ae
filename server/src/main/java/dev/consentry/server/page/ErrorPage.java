package dev.consentry.server.page;

import java.util.List;

/**
 * Consentry's error page, for refusals that must not be redirected to the app (wire spec, section 3.1).
 *
 * @param back where "Return to the application without granting consent" leads (the "Need admin approval" page of a
 *     request whose redirect URI is trusted), or null for no such link
 */
public record ErrorPage(String title, PageMessage message, Back back) {
    public ErrorPage(String title, PageMessage message) {
        this(title, message, null);
    }

    /**
     * The way back to the app: a link to {@code url}, or, for an app that takes its answers as a form post, a form
     * posting {@code fields} to it.
     */
    public record Back(String url, List<FormPostPage.Field> fields) {
        public Back {
            fields = fields == null ? null : List.copyOf(fields);
        }

        public boolean post() {
            return fields != null;
        }
    }
}
