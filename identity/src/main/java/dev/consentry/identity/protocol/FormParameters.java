package dev.consentry.identity.protocol;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of an {@code application/x-www-form-urlencoded} body (HTML 5 / RFC 6749, appendix B).
 *
 * <p>Guaranteed: a body that is not valid form encoding, or that repeats one of the protocol
 * parameters named in {@code singleValued} (RFC 6749, section 3.2: "Request and response parameters
 * MUST NOT be included more than once"), is refused with a {@link FailureException}; unknown
 * parameters (MSAL's telemetry fields, for instance) are kept but never required.
 */
public final class FormParameters {
    private final Map<String, List<String>> values;

    private FormParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /** An empty parameter set. */
    public static FormParameters empty() {
        return new FormParameters(Map.of());
    }

    /** Parses {@code body}; refuses duplicates of the names in {@code singleValued}. */
    public static FormParameters parse(byte[] body, Set<String> singleValued) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        int start = 0;
        while (start <= text.length()) {
            int amp = text.indexOf('&', start);
            int end = amp < 0 ? text.length() : amp;
            if (end > start) {
                String pair = text.substring(start, end);
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), "(a parameter name)");
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
                map.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        for (String name : singleValued) {
            List<String> v = map.get(name);
            if (v != null && v.size() > 1) {
                throw Failure.of(Cause.PARAMETER_DUPLICATED, "parameter", name, "count", String.valueOf(v.size()))
                        .toException();
            }
        }
        map.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return new FormParameters(Collections.unmodifiableMap(map));
    }

    /** {@code s} percent-decoded; bad percent-encoding is refused naming {@code parameter}, the one it spoils. */
    private static String decode(String s, String parameter) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Failure.of(Cause.PARAMETER_INVALID, "parameter", parameter, "problem",
                    "its text is not valid application/x-www-form-urlencoded (bad percent-encoding: encode '%' as %25)")
                    .toException();
        }
    }

    /** The value, or empty when absent or blank. */
    public Optional<String> get(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty() || v.get(0).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(v.get(0));
    }

    /** The value; refuses with {@link Cause#PARAMETER_MISSING} when absent or blank. */
    public String require(String name) {
        return get(name).orElseThrow(() -> Failure.of(Cause.PARAMETER_MISSING, "parameter", name).toException());
    }

    /** True when the parameter is present, even empty. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Every parameter name, in order of appearance. */
    public Set<String> names() {
        return values.keySet();
    }
}
