package dev.consentry.testkit;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reading the forms of Consentry's own pages without a browser, and writing form bodies, for the protocol
 * tests and the sign-in load driver. It understands the pages Consentry renders (double-quoted attributes,
 * the entities its templates escape), not HTML at large.
 */
public final class HtmlForms {
    private static final Pattern INPUT = Pattern.compile("<input[^>]*>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)=\"([^\"]*)\"");
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]*)\"");

    private HtmlForms() {}

    /** The hidden inputs of a page, name to value (unescaped), in page order; empty when there are none. */
    public static Map<String, String> hiddenFields(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(html);
        while (input.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(input.group());
            while (a.find()) {
                attributes.put(a.group(1).toLowerCase(Locale.ROOT), unescape(a.group(2)));
            }
            if ("hidden".equals(attributes.get("type")) && attributes.containsKey("name")) {
                out.put(attributes.get("name"), attributes.getOrDefault("value", ""));
            }
        }
        return out;
    }

    /** The {@code action} of the page's first form, unescaped; empty when the page has no form. */
    public static Optional<String> formAction(String html) {
        Matcher m = FORM_ACTION.matcher(html);
        return m.find() ? Optional.of(unescape(m.group(1))) : Optional.empty();
    }

    /** An {@code application/x-www-form-urlencoded} body (or query) of {@code fields}, in their order. */
    public static String encode(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** The decoded parameters of a query or fragment (without its {@code ?} or {@code #}); pairs without a name are skipped. */
    public static Map<String, String> parameters(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The parameters a redirect carries: its fragment when it has one, else its query, else none. */
    public static Map<String, String> redirectParameters(String location) {
        int hash = location.indexOf('#');
        int q = location.indexOf('?');
        return parameters(hash >= 0 ? location.substring(hash + 1) : q >= 0 ? location.substring(q + 1) : "");
    }

    /** Undoes the escaping of Consentry's templates in an attribute value ({@code &amp;} last, so it is undone once). */
    public static String unescape(String s) {
        return s.replace("&#34;", "\"").replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&");
    }
}
