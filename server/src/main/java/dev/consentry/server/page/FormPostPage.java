package dev.consentry.server.page;

import java.util.List;

/**
 * The form_post response (OAuth 2.0 Form Post Response Mode, section 2): a form that the page's one
 * script, allowed by its CSP nonce, submits to the redirect URI at once.
 */
public record FormPostPage(String action, List<Field> fields, String scriptNonce) {

    /** One hidden input. */
    public record Field(String name, String value) {}
}
