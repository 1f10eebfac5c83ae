package dev.consentry.server.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.identity.token.VerifiedToken;
import dev.consentry.server.Services;
import dev.consentry.server.http.RequestIds;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenID Connect UserInfo endpoint, {@code GET|POST /oidc/userinfo} (OpenID Connect Core 1.0, section 5.3),
 * which the discovery document publishes as {@code userinfo_endpoint} (wire spec, section 1.2). Entra points it at
 * Microsoft Graph; Consentry serves it itself with Graph's rules.
 *
 * <p>The access token comes as {@code Authorization: Bearer} (RFC 6750, section 2.1) or, on a POST with an
 * {@code application/x-www-form-urlencoded} body, as the {@code access_token} field (section 2.2); a token in the
 * query string (section 2.3) is not read, as Graph does not. A token is accepted when it is a delegated token (one
 * that acts for a user) that this Consentry signed and that is within its lifetime ({@link TokenValidator}), for
 * Microsoft Graph ({@code aud} {@code https://graph.microsoft.com} or {@code 00000003-0000-0000-c000-000000000000}). {@code openid} is
 * not required in {@code scp}: Consentry, like Entra, puts only the resource's permissions there when the client was
 * granted any, and Graph's userinfo accepts any Graph token for a user.
 *
 * <p>The 200 answer is JSON: {@code sub} (the pairwise subject of the user's id tokens for the token's client),
 * {@code name}, {@code given_name} and {@code family_name} when the user has {@code givenName}/{@code surname},
 * {@code email} when the user has {@code mail}; no {@code picture}. Refusals follow RFC 6750, section 3: no token
 * gives 401 with a {@code WWW-Authenticate: Bearer} challenge without an error code; a token that fails any check
 * (malformed, bad signature, foreign issuer, expired, another audience, app-only, user gone or disabled) gives 401
 * with {@code error="invalid_token"}; two ways of sending the token, or an unreadable body, give 400 with
 * {@code error="invalid_request"}. Bodies of refusals have Graph's shape (wire spec, section 6.1,
 * {@code InvalidAuthenticationToken}); no input makes this endpoint answer 500.
 *
 * <pre>curl --cacert .consentry/ca.pem https://localhost:8443/oidc/userinfo -H "Authorization: Bearer $ACCESS_TOKEN"</pre>
 */
public final class UserInfoHandler {
    private static final Logger LOG = LoggerFactory.getLogger("consentry.sts");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter GRAPH_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    /** The audiences of a Microsoft Graph access token. */
    static final Set<String> GRAPH_AUDIENCES = Set.of("https://graph.microsoft.com", WellKnown.GRAPH_APP_ID.toString());
    /** A form carrying one access token is far below this. */
    static final int MAX_BODY_BYTES = 32 * 1024;
    private static final int MAX_DETAIL = 300;

    private final Services services;
    private final TokenValidator validator;

    public UserInfoHandler(Services services) {
        this.services = services;
        this.validator = new TokenValidator(services.signingKeys());
    }

    /** {@code GET /oidc/userinfo}. */
    public void get(Context ctx) {
        handle(ctx, false);
    }

    /** {@code POST /oidc/userinfo}: the bearer header, or the {@code access_token} form field. */
    public void post(Context ctx) {
        handle(ctx, true);
    }

    /** A refusal: HTTP status, RFC 6750 error code (null for a missing token), Graph code and message. */
    private record Refusal(int status, String error, String code, String message) {
        static Refusal invalidToken(String message) {
            return new Refusal(401, "invalid_token", "InvalidAuthenticationToken", message);
        }

        static Refusal invalidRequest(String message) {
            return new Refusal(400, "invalid_request", "BadRequest", message);
        }
    }

    private static final class Refused extends Exception {
        final Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }
    }

    private void handle(Context ctx, boolean post) {
        RequestIds ids = RequestIds.of(ctx);
        Instant now = services.clock().instant();
        try {
            Map<String, Object> body = claims(ctx, post, now);
            headers(ctx, ids);
            ctx.status(200).contentType("application/json; charset=utf-8").result(JSON.writeValueAsBytes(body));
        } catch (Refused r) {
            refuse(ctx, ids, now, r.refusal);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    private Map<String, Object> claims(Context ctx, boolean post, Instant now) throws Refused {
        String compact = token(ctx, post);
        VerifiedToken token = switch (validator.validate(compact, now)) {
            case TokenValidator.Result.Valid v -> v.token();
            case TokenValidator.Result.Invalid i -> throw new Refused(Refusal.invalidToken(switch (i.problem()) {
                case MALFORMED -> "Access token validation failure: the token is not a well-formed JWT";
                case SIGNATURE_INVALID -> "Access token validation failure: the signature does not verify with a key of this "
                        + "Consentry";
                case ISSUER_UNTRUSTED -> "Access token validation failure: the token was not issued by this Consentry";
                case EXPIRED -> "Lifetime validation failed: the token is expired";
                case NOT_YET_VALID -> "Lifetime validation failed: the token is not valid yet";
            } + " (" + cut(i.detail()) + ")."));
        };
        if (token.audience().stream().noneMatch(GRAPH_AUDIENCES::contains)) {
            throw new Refused(Refusal.invalidToken("Access token validation failure. Invalid audience: the token is for '"
                    + String.join(" ", token.audience()) + "'; userinfo accepts only tokens for Microsoft Graph "
                    + "(https://graph.microsoft.com)."));
        }
        if (token.appOnly()) {
            throw new Refused(Refusal.invalidToken("The token is app-only (client credentials); userinfo needs a token "
                    + "that acts for a signed-in user."));
        }
        Optional<ObjectId> oid = token.objectId().flatMap(ObjectId::tryParse);
        Optional<String> client = token.clientId();
        if (oid.isEmpty() || client.isEmpty()) {
            throw new Refused(Refusal.invalidToken("The token names no user (oid) or no client (appid or azp)."));
        }
        Optional<User> found = services.store().users().find(token.tenantId(), oid.get());
        if (found.isEmpty() || !found.get().enabled()) {
            throw new Refused(Refusal.invalidToken("The user " + oid.get() + " of tenant " + token.tenantId()
                    + (found.isEmpty() ? " no longer exists." : " is disabled (accountEnabled false).")));
        }
        User user = found.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", AccessTokenFactory.pairwiseSubject(user.id().toString(), client.get()));
        if (user.displayName() != null) {
            out.put("name", user.displayName());
        }
        text(user, "surname").ifPresent(v -> out.put("family_name", v));
        text(user, "givenName").ifPresent(v -> out.put("given_name", v));
        if (user.mail() != null && !user.mail().isBlank()) {
            out.put("email", user.mail());
        }
        return out;
    }

    /** A validator's detail may quote the token's header (its kid): kept short. */
    private static String cut(String detail) {
        return detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "...";
    }

    private static Optional<String> text(User user, String property) {
        return user.additionalProperties().get(property) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    /** The one bearer token of the request (RFC 6750, section 2); refuses none, or more than one way of sending it. */
    private static String token(Context ctx, boolean post) throws Refused {
        String fromHeader = null;
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            fromHeader = header.substring(7).trim();
        }
        String fromBody = null;
        String type = ctx.header("Content-Type");
        if (post && type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            byte[] body;
            try (InputStream in = ctx.req().getInputStream()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            } catch (IOException e) {
                throw new Refused(Refusal.invalidRequest("The request body could not be read."));
            }
            if (body.length > MAX_BODY_BYTES) {
                throw new Refused(Refusal.invalidRequest("The request body is larger than " + MAX_BODY_BYTES + " bytes."));
            }
            try {
                fromBody = FormParameters.parse(body, Set.of("access_token")).get("access_token").orElse(null);
            } catch (FailureException e) {
                throw new Refused(Refusal.invalidRequest("The form body is not valid: " + e.failure().publicMessage()));
            }
        }
        if (fromHeader != null && !fromHeader.isEmpty() && fromBody != null) {
            throw new Refused(Refusal.invalidRequest("The access token was sent both in the Authorization header and in "
                    + "the body; RFC 6750, section 2 allows one method per request."));
        }
        String token = fromHeader != null && !fromHeader.isEmpty() ? fromHeader : fromBody;
        if (token == null || token.isEmpty()) {
            throw new Refused(new Refusal(401, null, "InvalidAuthenticationToken", "Access token is empty."));
        }
        return token;
    }

    private void refuse(Context ctx, RequestIds ids, Instant now, Refusal r) {
        LOG.info("{} {} -> {} {} trace_id={}: {}", ctx.method(), ctx.path(), r.status(),
                r.error() == null ? "no token" : r.error(), ids.traceId(), r.message());
        StringBuilder challenge = new StringBuilder("Bearer realm=\"\", authorization_uri=\"")
                .append(services.origins().of(ctx)).append("/common/oauth2/authorize\", client_id=\"")
                .append(WellKnown.GRAPH_APP_ID).append('"');
        if (r.error() != null) {
            challenge.append(", error=\"").append(r.error()).append("\", error_description=\"")
                    .append(headerSafe(r.message())).append('"');
        }
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("date", GRAPH_DATE.format(now));
        inner.put("request-id", ids.traceId());
        inner.put("client-request-id", ids.correlationId());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", r.code());
        error.put("message", r.message());
        error.put("innerError", inner);
        headers(ctx, ids);
        ctx.header("WWW-Authenticate", challenge.toString());
        try {
            ctx.status(r.status()).contentType("application/json; charset=utf-8")
                    .result(JSON.writeValueAsBytes(Map.of("error", error)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    private static void headers(Context ctx, RequestIds ids) {
        ctx.header("Cache-Control", "no-store, no-cache");
        ctx.header("Pragma", "no-cache");
        ctx.header("request-id", ids.traceId());
        ctx.header("client-request-id", ids.correlationId());
    }

    /**
     * RFC 6750, section 3: {@code error_description} holds only %x20-21 / %x23-5B / %x5D-7E; anything else (quotes,
     * backslashes, control and non-ASCII characters, which a token's claims may put into a message) becomes a space,
     * and the text is cut to a header-friendly length.
     */
    static String headerSafe(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_DETAIL));
        for (int i = 0; i < s.length() && b.length() < MAX_DETAIL; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : ' ');
        }
        return b.toString();
    }
}
