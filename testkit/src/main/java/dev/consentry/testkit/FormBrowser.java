package dev.consentry.testkit;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * A browser without a renderer, for protocol tests of Consentry's sign-in pages over real HTTPS: it keeps cookies
 * like a browser, never follows redirects (tests read {@code Location}), and reads the hidden fields of the
 * forms Consentry serves. The real-browser tests use Chromium; this one is for the many error paths.
 */
public final class FormBrowser {
    private final String baseUrl;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    /** A browser for the Consentry at {@code baseUrl} (paths are relative to it), trusting what {@code ssl} trusts. */
    public FormBrowser(String baseUrl, javax.net.ssl.SSLContext ssl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().sslContext(ssl).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public CookieManager cookies() {
        return cookies;
    }

    /** GET a path or absolute URL. */
    public HttpResponse<String> get(String pathOrUrl) {
        return send(HttpRequest.newBuilder(uri(pathOrUrl)).GET().build());
    }

    /** POST a form to a path or absolute URL. */
    public HttpResponse<String> post(String pathOrUrl, Map<String, String> form) {
        return send(HttpRequest.newBuilder(uri(pathOrUrl)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts the page's first form with its hidden fields plus {@code extra}, to its action resolved against the page's URL. */
    public HttpResponse<String> submit(HttpResponse<String> page, Map<String, String> extra) {
        Map<String, String> form = hiddenFields(page.body());
        form.putAll(extra);
        String action = HtmlForms.formAction(page.body()).orElseThrow(() ->
                new AssertionError("no form on the page: " + page.body()));
        // As a browser does: a relative action is relative to the page's own URL (another origin than baseUrl's, when a
        // web app sent the browser to Consentry).
        return post(page.request().uri().resolve(action).toString(), form);
    }

    /** Username step, then password step, from the sign-in page {@code page}. */
    public HttpResponse<String> signIn(HttpResponse<String> page, String username, String password) {
        HttpResponse<String> passwordPage = submit(page, Map.of("username", username));
        if (passwordPage.statusCode() != 200 || !passwordPage.body().contains("name=\"password\"")) {
            return passwordPage;
        }
        return submit(passwordPage, Map.of("password", password));
    }

    /** The hidden inputs of an HTML page, name to value, unescaped. */
    public static Map<String, String> hiddenFields(String html) {
        return HtmlForms.hiddenFields(html);
    }

    /** The parameters of a redirect's query or fragment. */
    public static Map<String, String> redirectParameters(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("no Location header; status " + response.statusCode() + ": " + response.body()));
        return HtmlForms.redirectParameters(location);
    }

    public static String encode(Map<String, String> form) {
        return HtmlForms.encode(form);
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
    }
}
