package dev.consentry.server.testing;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a renderer, for protocol tests of the sign-in pages over real HTTPS: it keeps cookies
 * like a browser, never follows redirects (tests read {@code Location}), and reads the hidden fields of the
 * forms Consentry serves. The real-browser tests use Chromium; this one is for the many error paths.
 */
public final class FormBrowser {
    private static final Pattern INPUT = Pattern.compile("<input[^>]*>");
    private static final Pattern ATTR = Pattern.compile("(name|value|type)=\"([^\"]*)\"");
    private final RunningConsentry server;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    public FormBrowser(RunningConsentry server) {
        this.server = server;
        this.http = HttpClient.newBuilder().sslContext(server.sslContext()).cookieHandler(cookies)
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

    /** Posts the page's first form with its hidden fields plus {@code extra}. */
    public HttpResponse<String> submit(HttpResponse<String> page, Map<String, String> extra) {
        Map<String, String> form = hiddenFields(page.body());
        form.putAll(extra);
        Matcher action = Pattern.compile("<form[^>]*action=\"([^\"]*)\"").matcher(page.body());
        if (!action.find()) {
            throw new AssertionError("no form on the page: " + page.body());
        }
        return post(unescape(action.group(1)), form);
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
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = INPUT.matcher(html);
        while (m.find()) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher a = ATTR.matcher(m.group());
            while (a.find()) {
                attrs.put(a.group(1), unescape(a.group(2)));
            }
            if ("hidden".equals(attrs.get("type")) && attrs.containsKey("name")) {
                out.put(attrs.get("name"), attrs.getOrDefault("value", ""));
            }
        }
        return out;
    }

    /** The parameters of a redirect's query or fragment. */
    public static Map<String, String> redirectParameters(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("no Location header; status " + response.statusCode() + ": " + response.body()));
        int hash = location.indexOf('#');
        int q = location.indexOf('?');
        String part = hash >= 0 ? location.substring(hash + 1) : q >= 0 ? location.substring(q + 1) : "";
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : part.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    public static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : server.baseUrl() + pathOrUrl);
    }

    private static String unescape(String s) {
        return s.replace("&#34;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&amp;", "&");
    }
}
