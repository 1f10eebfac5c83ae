package dev.consentry.identity.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code claims} request parameter (OpenID Connect Core 1.0, section 5.5) as Entra reads it for access tokens: a
 * JSON object whose {@code access_token} member may ask for authentication context classes ({@code acrs}: Microsoft
 * Learn, "Developer guide to Conditional Access authentication context", {@code {"acrs":{"essential":true,
 * "value":"c1"}}}), declare client capabilities ({@code xms_cc}, {@code {"values":["cp1"]}}: what MSAL's
 * {@code clientCapabilities} sends for continuous access evaluation), name the conditional access policies a refusal
 * named ({@code capolids}), or ask for a sign-in newer than a time ({@code nbf}, the claims of a CAE challenge). Other
 * members and other claims are accepted and ignored, as Entra ignores claims it does not know.
 *
 * <p>Guaranteed: {@link #parse} either returns a value or throws AADSTS50117 ({@link Cause#CLAIMS_INVALID}) naming
 * the problem: not JSON, not an object, a member of the wrong shape, an {@code acrs} value that is no context id
 * ({@code c1} to {@code c99}), or more than {@value #MAX_LENGTH} characters. The order of members does not matter
 * (MSAL merges capabilities and challenges in no fixed order).
 *
 * @param acrs the authentication context ids asked for, in order, each once
 * @param capabilities the client capabilities declared ({@code cp1}: the client handles claims challenges)
 * @param policyIds the conditional access policy ids a challenge named
 * @param notBefore the time a challenge requires the sign-in to be newer than; empty when none
 */
public record ClaimsRequest(List<String> acrs, Set<String> capabilities, List<String> policyIds, Optional<Instant> notBefore) {
    /** No {@code claims} parameter. */
    public static final ClaimsRequest NONE = new ClaimsRequest(List.of(), Set.of(), List.of(), Optional.empty());
    public static final int MAX_LENGTH = 8192;
    private static final Pattern CONTEXT_ID = Pattern.compile("c([1-9]|[1-9][0-9])");
    private static final ObjectMapper JSON = new ObjectMapper();

    public ClaimsRequest {
        acrs = List.copyOf(acrs);
        capabilities = Set.copyOf(capabilities);
        policyIds = List.copyOf(policyIds);
    }

    /** True when the client handles claims challenges ({@code cp1}), so it may get continuous access evaluation. */
    public boolean challengeCapable() {
        return capabilities.contains("cp1");
    }

    /** The parameter's value; {@link #NONE} for null or blank. */
    public static ClaimsRequest parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        if (value.length() > MAX_LENGTH) {
            throw invalid("it is longer than " + MAX_LENGTH + " characters");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw invalid("it is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("it is not a JSON object");
        }
        JsonNode token = root.path("access_token");
        if (token.isMissingNode() || token.isNull()) {
            return NONE;
        }
        if (!token.isObject()) {
            throw invalid("access_token is not an object");
        }
        List<String> acrs = values(token, "acrs");
        for (String a : acrs) {
            if (!CONTEXT_ID.matcher(a).matches()) {
                throw invalid("the authentication context '" + (a.length() > 20 ? a.substring(0, 20) + "..." : a)
                        + "' is not an id from c1 to c99");
            }
        }
        Set<String> capabilities = new LinkedHashSet<>(values(token, "xms_cc"));
        List<String> policies = values(token, "capolids");
        Optional<Instant> nbf = Optional.empty();
        List<String> times = values(token, "nbf");
        if (!times.isEmpty()) {
            try {
                nbf = Optional.of(Instant.ofEpochSecond(Long.parseLong(times.get(0))));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                throw invalid("access_token.nbf.value is not a time in seconds since 1970");
            }
        }
        return new ClaimsRequest(new ArrayList<>(new LinkedHashSet<>(acrs)), capabilities, policies, nbf);
    }

    /**
     * The strings a claim asks for: its {@code value} or its {@code values} (OpenID Connect Core 1.0, section 5.5.1);
     * empty when the claim is absent or null (a claim asked for without a value).
     */
    private static List<String> values(JsonNode token, String claim) {
        JsonNode c = token.path(claim);
        if (c.isMissingNode() || c.isNull()) {
            return List.of();
        }
        if (!c.isObject()) {
            throw invalid("access_token." + claim + " is not an object");
        }
        List<String> out = new ArrayList<>();
        JsonNode one = c.path("value");
        if (!one.isMissingNode() && !one.isNull()) {
            out.add(scalar(claim + ".value", one));
        }
        JsonNode many = c.path("values");
        if (!many.isMissingNode() && !many.isNull()) {
            if (!many.isArray()) {
                throw invalid("access_token." + claim + ".values is not an array");
            }
            for (JsonNode v : many) {
                out.add(scalar(claim + ".values", v));
            }
        }
        return out;
    }

    private static String scalar(String where, JsonNode v) {
        if (!v.isTextual() && !v.isNumber()) {
            throw invalid("access_token." + where + " holds something other than text");
        }
        return v.asText();
    }

    private static FailureException invalid(String problem) {
        return Failure.of(Cause.CLAIMS_INVALID, "problem", problem).toException();
    }
}
