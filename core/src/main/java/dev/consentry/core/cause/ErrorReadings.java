package dev.consentry.core.cause;

import static dev.consentry.core.cause.Cause.APP_NOT_OWNED;
import static dev.consentry.core.cause.Cause.AUTHORIZATION_CODE_EXPIRED;
import static dev.consentry.core.cause.Cause.AUTH_CONTEXT_REQUIRED;
import static dev.consentry.core.cause.Cause.CAE_CHALLENGE;
import static dev.consentry.core.cause.Cause.CAE_LOCATION_CHALLENGE;
import static dev.consentry.core.cause.Cause.DEVICE_CODE_EXPIRED;
import static dev.consentry.core.cause.Cause.NO_APPLICATION_PERMISSION;
import static dev.consentry.core.cause.Cause.NO_DELEGATED_PERMISSION;
import static dev.consentry.core.cause.Cause.PERMISSION_NOT_CONSENTED;
import static dev.consentry.core.cause.Cause.PERMISSION_NOT_HELD;
import static dev.consentry.core.cause.Cause.PERMISSION_NOT_REQUESTED;
import static dev.consentry.core.cause.Cause.PERMISSION_TYPE_MISMATCH;
import static dev.consentry.core.cause.Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED;
import static dev.consentry.core.cause.Cause.SCOPE_MISSING;
import static dev.consentry.core.cause.Cause.TOKEN_EXPIRED;
import static dev.consentry.core.cause.Cause.TOKEN_MALFORMED;
import static dev.consentry.core.cause.Cause.TOKEN_MISSING;
import static dev.consentry.core.cause.Cause.TOKEN_NOT_YET_VALID;
import static dev.consentry.core.cause.Cause.TOKEN_PREDATES_CONSENT;
import static dev.consentry.core.cause.Cause.UNKNOWN_PATH;
import static dev.consentry.core.cause.Cause.USER_NOT_IN_TENANT;
import static dev.consentry.core.cause.Cause.USER_NOT_LICENSED;
import static dev.consentry.core.cause.Cause.USER_ROLE_MISSING;
import static dev.consentry.core.cause.Cause.WRONG_AUDIENCE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads an error the real Microsoft Graph or Entra token service answered ({@link ObservedError}) and names its
 * {@link Cause}: the classifier behind {@code consentry explain --error}.
 *
 * <p>Every form the real services were seen to send is mapped, old ones included: Graph's messages changed over the
 * years, and AADSTS numbers were renumbered. Each table row cites its section of the shared observed responses
 * ({@code docs/spec/observed-responses.md}, {@code ### section-id}); a test reads that file and checks every variant.
 * Reading never throws for a well-formed input: an answer Consentry has no cause for is {@link NotRecognised} with
 * the reason, and one the catalogue cannot tell apart lists several candidates, most likely first.
 */
public final class ErrorReadings {
    private ErrorReadings() {}

    /** What an observed error means: recognised, with its candidate causes, or not, with why. */
    public sealed interface Reading permits Recognised, NotRecognised {}

    /**
     * A recognised answer.
     *
     * @param candidates the causes it may have, most likely first; empty when the answer is known but Consentry's
     *     catalogue has no cause for it (the note then says what it means)
     * @param matchedForm the form that was recognised, e.g. {@code AADSTS90130: "..."} or {@code InvalidAuthenticationToken: "..."}
     * @param currentForm whether the real service still answers in this form (false for old messages and numbers)
     * @param todaysForm what the service answers today for the same cause; equal to {@code matchedForm} when current
     * @param note what tells the candidates apart, what a renumbering or a challenge's claims say; never null, may be empty
     */
    public record Recognised(List<Cause> candidates, String matchedForm, boolean currentForm, String todaysForm, String note)
            implements Reading {
        public Recognised {
            candidates = List.copyOf(candidates);
            note = note == null ? "" : note;
        }
    }

    /** An answer Consentry cannot name a cause for; {@code why} says so in one sentence (for example the AADSTS number). */
    public record NotRecognised(String why) implements Reading {}

    // ---- Microsoft Graph ---------------------------------------------------------------------------------------------

    /**
     * Graph's one answer for every missing privilege, most likely cause first: a missing permission (of which the
     * first five are Consentry's finer readings), then the signed-in user's role or the app's, then the token's type.
     */
    static final List<Cause> INSUFFICIENT_PRIVILEGES = List.of(PERMISSION_NOT_HELD, PERMISSION_NOT_REQUESTED,
            PERMISSION_NOT_CONSENTED, TOKEN_PREDATES_CONSENT, PERMISSION_TYPE_MISMATCH, USER_ROLE_MISSING,
            Cause.SERVICE_PRINCIPAL_ROLE_MISSING, NO_APPLICATION_PERMISSION, NO_DELEGATED_PERMISSION, APP_NOT_OWNED,
            USER_NOT_LICENSED);

    private static final List<Cause> PERMISSION_MISSING = INSUFFICIENT_PRIVILEGES.subList(0, 5);

    /**
     * One form of a Graph error: its {@code error.code} (null: any, as some reports quote only the message) and a
     * pattern found in {@code error.message}; {@code todaysForm} is null when the form is current.
     */
    private record GraphForm(String code, Pattern message, List<Cause> causes, String todaysForm, String note) {
        GraphForm(String code, String message, List<Cause> causes, String todaysForm, String note) {
            this(code, Pattern.compile(message, Pattern.CASE_INSENSITIVE), causes, todaysForm, note);
        }

        boolean matches(String givenCode, String givenMessage) {
            return (code == null || givenCode.isEmpty() || code.equalsIgnoreCase(givenCode)) && message.matcher(givenMessage).find();
        }
    }

    private static final String INVALID_TOKEN = "InvalidAuthenticationToken";
    private static final String REQUEST_DENIED = "Authorization_RequestDenied";
    private static final String CHECK_TOKEN = " `consentry explain --token <the token> METHOD URL` checks the token against the call.";

    /** Every observed Graph form, first match wins (so a specific form precedes a general one). */
    private static final List<GraphForm> GRAPH_FORMS = List.of(
            // graph-no-token
            new GraphForm(INVALID_TOKEN, "^Access token is empty", List.of(TOKEN_MISSING), null, ""),
            // Today's text for a value without dots (2024-12-06, github.com/MaikuB/flutter_appauth/issues/575)
            new GraphForm(INVALID_TOKEN, "^IDX14100: JWT is not well formed", List.of(Cause.TOKEN_NOT_COMPACT), null, ""),
            // graph-malformed-token (2016 to 2022)
            new GraphForm(INVALID_TOKEN, "^CompactToken parsing failed with error code", List.of(TOKEN_MALFORMED),
                    todays(TOKEN_MALFORMED), "Graph could not read the bearer token as a JWT: often an id_token, a "
                            + "refresh token, a personal account's opaque token, or a token cut short."),
            // graph-expired-token: 2023 onwards (and undated)
            new GraphForm(INVALID_TOKEN, "^Lifetime validation failed, the token is expired", List.of(TOKEN_EXPIRED), null, ""),
            // graph-expired-token: 2018
            new GraphForm(INVALID_TOKEN, "^CompactToken validation failed with reason code: 80049228", List.of(TOKEN_EXPIRED),
                    todays(TOKEN_EXPIRED), "Reason code 80049228 is an expired token."),
            // graph-expired-token: 2022, 2023
            new GraphForm(INVALID_TOKEN, "^Access token has expired or is not yet valid", List.of(TOKEN_EXPIRED, TOKEN_NOT_YET_VALID),
                    todays(TOKEN_EXPIRED), "This older message covers both ends of the lifetime: `consentry token decode` "
                            + "shows the token's exp and nbf; a token used before nbf means the clocks disagree."),
            // A token whose signature Graph cannot check (2026-03-28, learn.microsoft.com/en-us/answers/questions/5841715)
            new GraphForm(INVALID_TOKEN, "^Signature is invalid", List.of(Cause.TOKEN_SIGNATURE_INVALID), null, ""),
            // graph-wrong-audience
            new GraphForm(null, "^Access token validation failure\\. Invalid audience", List.of(WRONG_AUDIENCE), null,
                    "Graph answers 401 InvalidAuthenticationToken today; its troubleshooting page shows 403 "
                            + "Authorization_RequestDenied. Either way the token is for another resource (its aud)."),
            // graph-directory-403, aad-graph-legacy-403 (Azure AD Graph answered alike), graph-password-reset-app-only
            new GraphForm(REQUEST_DENIED, "^Insufficient privileges to complete the operation", INSUFFICIENT_PRIVILEGES, null,
                    "Graph answers this one message for a missing permission, a missing directory role of the signed-in "
                            + "user or of the app's service principal (an app-only token changing a password needs User "
                            + "Administrator), and an operation the token's type can never do (resetting a password through "
                            + "authentication methods with an app-only token). If the token holds a permission the call "
                            + "accepts, a role is the cause: the user's (delegated) or the app's (app-only), or the "
                            + "operation needs the other token type." + CHECK_TOKEN),
            // graph-mail-403: Exchange Online's own refusal
            new GraphForm("ErrorAccessDenied", "^Access is denied\\. Check credentials and try again", PERMISSION_MISSING, null,
                    "Exchange Online's answer when the token lacks a Mail, Calendars or Contacts permission the call "
                            + "accepts; with the permission held, an application access policy of the tenant may keep "
                            + "the app out of this mailbox (Consentry does not model those)." + CHECK_TOKEN),
            // graph-sharepoint-403
            new GraphForm("accessDenied", "^Access denied\\.?$", List.of(), null, sharePointNote()),
            // graph-sharepoint-403-legacy (2017)
            new GraphForm(null, "^Access denied\\. You do not have permission to perform this action or access this resource",
                    List.of(), "accessDenied: \"Access denied\"", sharePointNote()),
            // graph-onedrive-app-only-me-drive
            new GraphForm(null, "^Must be authenticated to use '/drive' syntax", List.of(Cause.DRIVE_NEEDS_USER), null,
                    "OneDrive's way of saying that /me/drive needs a signed-in user: the token is app-only."),
            // graph-not-licensed-mailbox
            new GraphForm("MailboxNotEnabledForRESTAPI", "^The mailbox is either inactive, soft-deleted, or is hosted on-premise",
                    List.of(Cause.MAILBOX_NOT_LICENSED), null, mailboxNote()),
            // graph-not-licensed-mailbox-legacy (2020, HTTP 404)
            new GraphForm(null, "^REST API is not yet supported for this mailbox", List.of(Cause.MAILBOX_NOT_LICENSED),
                    "MailboxNotEnabledForRESTAPI: \"The mailbox is either inactive, soft-deleted, or is hosted on-premise.\"",
                    mailboxNote()),
            // graph-not-licensed-spo
            new GraphForm(null, "^Tenant does not have a SPO license", List.of(Cause.TENANT_NOT_LICENSED_SPO), null,
                    "The tenant has no SharePoint Online subscription, so it has no OneDrive or SharePoint files to serve "
                            + "(common in developer tenants without Microsoft 365)."),
            // graph-cae-claims-challenge: 2025, location policy
            new GraphForm(null, "^Continuous access evaluation resulted in (claims )?challenge.*LocationConditionEvaluationSatisfied",
                    List.of(CAE_LOCATION_CHALLENGE), null, ""),
            // graph-cae-claims-challenge: 2022 (header), 2025
            new GraphForm(null, "^Continuous access evaluation resulted in (claims )?challenge", List.of(CAE_CHALLENGE), null, ""),
            // graph-cae-claims-challenge: 2024
            new GraphForm(null, "ClaimsChallengeRequiredException", List.of(CAE_CHALLENGE, CAE_LOCATION_CHALLENGE, AUTH_CONTEXT_REQUIRED),
                    todays(CAE_CHALLENGE), "This older message names no reason: the WWW-Authenticate header's claims (and "
                            + "today's message's code) tell a revoked session or changed policy from a location policy or an "
                            + "authentication context (acrs)."),
            // graph-not-found
            new GraphForm("Request_ResourceNotFound", "does not exist or one of its queried reference-property objects are not present",
                    List.of(), null, "Not a permission problem: no object has this id in the tenant the token is for (a "
                            + "deleted object, an id of another tenant, or an app id where an object id is needed). "
                            + "Consentry's catalogue has no cause for missing objects."),
            // graph-unknown-segment
            new GraphForm("BadRequest", "^Resource not found for the segment", List.of(UNKNOWN_PATH), null,
                    "Often a beta-only path called on v1.0, or a typo in the path."),
            // graph-throttled-429
            new GraphForm("TooManyRequests", "^Too many requests", List.of(), null,
                    "Throttling: Graph limits calls per app and tenant; wait for the Retry-After header's seconds and retry "
                            + "with backoff. Consentry does not throttle, so its catalogue has no cause for it."),
            // graph-msa-unsupported
            new GraphForm("ConsumerPhotoIsNotSupported", "^The photo wasn't found", List.of(PERSONAL_ACCOUNT_NOT_SUPPORTED), null,
                    "The profile photo API does not serve personal Microsoft accounts."));

    private static String todays(Cause cause) {
        return cause.error() + ": \"" + Cause.showFacts(cause.publicMessageTemplate()) + "\"";
    }

    private static String sharePointNote() {
        return "SharePoint's and OneDrive's own refusal, after Graph accepted the token: the token lacks a Files or Sites "
                + "permission for this item, holds Sites.Selected without a grant on this site, or the signed-in user has "
                + "no access to the item. Consentry's catalogue does not model SharePoint's own permissions." + CHECK_TOKEN;
    }

    private static String mailboxNote() {
        return "The user has no Exchange Online mailbox Graph can reach: no licence with Exchange Online, a mailbox "
                + "deleted or inactive, or hosted on-premises. Only the missing licence is a Consentry cause.";
    }

    // ---- Entra token service -----------------------------------------------------------------------------------------

    /** An old AADSTS number (only for messages that match, when not null) and the numbers that replaced it. */
    private record Renumbering(int old, Pattern message, List<Integer> today) {
        Renumbering(int old, String message, Integer... today) {
            this(old, message == null ? null : Pattern.compile(message, Pattern.CASE_INSENSITIVE), List.of(today));
        }
    }

    private static final List<Renumbering> RENUMBERED = List.of(
            new Renumbering(90130, null, 9001023), // sts-grant-on-common-legacy-90130
            new Renumbering(70021, null, 700211, 700212, 700213), // sts-fic-legacy-70021
            new Renumbering(53000, "required to be managed", 530003), // sts-device-not-managed-legacy-53000
            new Renumbering(90023, "^Cross-origin token redemption", 9002326), // sts-cross-origin-non-spa-legacy-90023
            new Renumbering(70002, "must contain the following parameter", 7000218), // sts-confidential-no-secret-legacy-70002
            new Renumbering(50012, "^Client assertion is not within its valid time range", 700024), // sts-assertion-time-legacy
            new Renumbering(50148, null, 501481), // sts-pkce-50148: the same check, 501481 since
            // the on-behalf-of audience check, 500131 since (50013 in 2018: github.com/AzureAD/microsoft-authentication-library-for-js/issues/389)
            new Renumbering(50013, "^Assertion audience does not match", 500131),
            new Renumbering(70005, "'id_token'", 700054), // sts-response-type-70005, sts-response-type-700054
            new Renumbering(70005, null, 700051)); // sts-response-type-70005, sts-response-type-700051

    /**
     * Entra numbers whose cause the catalogue files under another number: Consentry answers AADSTS53000 for a device
     * state a policy requires (Entra's 530003 is the managed-device case).
     */
    private static final Map<Integer, Integer> CATALOGUE_NUMBER = Map.of(530003, 53000);

    /** A number and message the catalogue has a cause for that is not this one: Consentry uses the number for something else. */
    private record NotModelled(List<Integer> numbers, Pattern message, String why) {}

    private static final List<NotModelled> NOT_MODELLED = List.of(
            // sts-fic-audience-700212, sts-fic-legacy-70021, sts-fic-subject-700213
            new NotModelled(List.of(700211, 700212, 700213), Pattern.compile("federated identity record", Pattern.CASE_INSENSITIVE),
                    "workload identity federation (a federated identity credential whose issuer, subject or audience does "
                            + "not match the presented assertion) is not in Consentry's catalogue"),
            // sts-bad-request-90023
            new NotModelled(List.of(90023), Pattern.compile("^Invalid STS request", Pattern.CASE_INSENSITIVE),
                    "AADSTS90023 \"Invalid STS request\" is Entra's answer to a request it cannot read at all (often a "
                            + "legacy SharePoint or WS-Trust sign-in); Consentry uses the number only for its own sign-in form"));

    /** A number whose message names one cause among the several the number has (or a cause filed under another number). */
    private record Refinement(int number, Pattern message, Cause cause) {
        Refinement(int number, String message, Cause cause) {
            this(number, Pattern.compile(message, Pattern.CASE_INSENSITIVE), cause);
        }
    }

    private static final List<Refinement> REFINEMENTS = List.of(
            new Refinement(70000, "The code has expired", AUTHORIZATION_CODE_EXPIRED), // sts-code-expired-70000
            new Refinement(70020, "device code has expired", DEVICE_CODE_EXPIRED), // sts-device-code-expired-70020
            new Refinement(50020, "does not exist in tenant", USER_NOT_IN_TENANT), // sts-guest-not-in-tenant-50020
            // sts-assertion-time-700024: the link at the end moved from docs.microsoft.com to learn.microsoft.com
            new Refinement(700024, "^Client assertion is not within its valid time range", Cause.CLIENT_ASSERTION_EXPIRED),
            new Refinement(70011, "^The provided request must include a 'scope' input parameter\\.?$", SCOPE_MISSING)); // sts-invalid-scope-70011 (2018)

    /** Messages of a current number that the service has since reworded. */
    private record LegacyWording(int number, Pattern message) {
        LegacyWording(int number, String message) {
            this(number, Pattern.compile(message, Pattern.CASE_INSENSITIVE));
        }
    }

    private static final List<LegacyWording> LEGACY_WORDINGS = List.of(
            new LegacyWording(65001, "with ID '[^']*'\\. Send"), // sts-consent-65001-legacy: no app name yet
            new LegacyWording(7000215, "^Invalid client secret is provided"), // sts-bad-secret-7000215-legacy
            new LegacyWording(50011, "^The reply (address|url)"), // sts-redirect-mismatch-50011-legacy
            new LegacyWording(50126, "^Invalid username or password"), // sts-bad-password-50126-legacy
            new LegacyWording(90002, "no active subscriptions")); // sts-tenant-not-found-90002-legacy

    /** What tells apart the causes one number stands for. */
    private static final Map<Integer, String> TELL_APART = Map.of(
            700016, "The app id is wrong, or the app is registered in another tenant and this one has no service principal "
                    + "for it (a single-tenant app, or a multi-tenant app nobody consented to here): check the authority's tenant.",
            9002313, "Entra's generic answer for a request it refuses to read: check each parameter's value; for a "
                    + "refresh token, that it is the newest one and for this client.",
            70000, "The code or refresh token is not valid for this redemption: issued to another client, already used, "
                    + "or not issued by this tenant.",
            70011, "The scope names no permission of the resource, mixes resources, or combines <resource>/.default with "
                    + "single permissions.",
            50020, "The account belongs to another tenant, or its type (personal or work) is not one the app accepts.",
            90094, "Admin consent is needed: the permission requires an administrator, or the tenant does not let users consent.",
            50173, "The refresh token was revoked (password change, sign-out everywhere) or presented twice.",
            70016, "The error field says which: authorization_pending (keep polling) or slow_down (poll less often).");

    private static final Pattern AADSTS_PREFIX = Pattern.compile("^AADSTS(\\d+):\\s*(.*)$", Pattern.DOTALL);
    private static final Pattern WRAPPED = Pattern.compile("^Error validating credentials\\.\\s*AADSTS(\\d+):\\s*(.*)$", Pattern.DOTALL);
    private static final Pattern TRAILER = Pattern.compile("\\s*(\\r?\\n|\\bTrace ID:).*$", Pattern.DOTALL);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Names the cause of an observed answer.
     *
     * @throws ObservedError.Unreadable when there is nothing to read (no body, no challenge) or the body is not a JSON object
     */
    public static Reading read(ObservedError observed) {
        Optional<JsonNode> body = observed.json();
        Map<String, String> challenge = challengeOf(observed);
        if ("insufficient_claims".equals(challenge.get("error"))) {
            return readChallenge(challenge, body.map(b -> b.path("error").path("message").asText("")).orElse(""));
        }
        if (body.isEmpty()) {
            return new NotRecognised("the answer has no body, and its WWW-Authenticate header is no claims challenge"
                    + " (error=\"insufficient_claims\")");
        }
        JsonNode json = body.get();
        if (json.path("error").isObject()) {
            return readGraph(json.path("error").path("code").asText(""), json.path("error").path("message").asText(""));
        }
        if (json.path("error").isTextual() || json.has("error_description") || json.has("error_codes")) {
            return readSts(json);
        }
        return new NotRecognised("the body is neither a Graph error ({\"error\":{\"code\",\"message\"}}) nor a token service"
                + " error ({\"error\",\"error_description\",\"error_codes\"})");
    }

    private static Reading readGraph(String code, String message) {
        String form = (code.isEmpty() ? "" : code + ": ") + "\"" + message + "\"";
        for (GraphForm f : GRAPH_FORMS) {
            if (f.matches(code, message)) {
                return new Recognised(f.causes(), form, f.todaysForm() == null, f.todaysForm() == null ? form : f.todaysForm(), f.note());
            }
        }
        // Consentry's own answers (a user may paste one): the catalogue's Graph causes by code and message.
        List<Cause> own = Stream.of(Cause.values()).filter(c -> c.channel() == Cause.Channel.GRAPH)
                .filter(c -> c.error().equalsIgnoreCase(code) && fullMatch(c.publicMessageTemplate(), message)).toList();
        if (!own.isEmpty()) {
            return new Recognised(own, form, true, form, "");
        }
        return new NotRecognised("Graph's " + (code.isEmpty() ? "error" : "code " + code) + " with the message \""
                + shorten(message) + "\" is not among the answers Consentry has seen");
    }

    // ---- Continuous access evaluation -----------------------------------------------------------------------------

    private static final Pattern AUTH_PARAM = Pattern.compile("([A-Za-z_]+)\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s]*))");

    /** The parameters of a {@code WWW-Authenticate: Bearer ...} header (RFC 6750, section 3), by lower-case name. */
    private static Map<String, String> challengeOf(ObservedError observed) {
        Map<String, String> params = new LinkedHashMap<>();
        observed.header("WWW-Authenticate").ifPresent(h -> {
            Matcher m = AUTH_PARAM.matcher(h);
            while (m.find()) {
                params.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
            }
        });
        return params;
    }

    private static Reading readChallenge(Map<String, String> challenge, String bodyMessage) {
        String description = challenge.getOrDefault("errordescription", "");
        String claimsJson = decodeClaims(challenge.get("claims"));
        List<String> acrs = acrsOf(claimsJson);
        List<Cause> candidates;
        if ((description + " " + bodyMessage).contains("LocationConditionEvaluationSatisfied")) {
            candidates = List.of(CAE_LOCATION_CHALLENGE);
        } else if (!acrs.isEmpty()) {
            candidates = List.of(AUTH_CONTEXT_REQUIRED, CAE_CHALLENGE);
        } else {
            candidates = List.of(CAE_CHALLENGE);
        }
        StringBuilder note = new StringBuilder("A claims challenge: get a new token with these claims (MSAL's claims "
                + "parameter; the Graph SDK does it when the client declares the cp1 capability).");
        if (claimsJson != null) {
            note.append(" The claims ask for: ").append(claimsJson).append('.');
        } else if (challenge.containsKey("claims")) {
            note.append(" The claims parameter is not base64 JSON, so it could not be read.");
        }
        if (!acrs.isEmpty()) {
            note.append(" They request the authentication context ").append(String.join(", ", acrs))
                    .append(" (acrs): the tenant protects this operation with a conditional access policy on that context,")
                    .append(" usually a second factor.");
        }
        String form = "WWW-Authenticate: Bearer error=\"insufficient_claims\""
                + (description.isEmpty() ? "" : ", errorDescription=\"" + shorten(description) + "\"");
        return new Recognised(candidates, form, true, form, note.toString());
    }

    private static String decodeClaims(String claims) {
        if (claims == null || claims.isBlank()) {
            return null;
        }
        try {
            byte[] bytes = claims.contains("-") || claims.contains("_") ? Base64.getUrlDecoder().decode(claims.replace("=", ""))
                    : Base64.getDecoder().decode(claims);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return JSON.readTree(text).isObject() ? text : null;
        } catch (IllegalArgumentException | IOException e) {
            return null; // reported in the note as unreadable claims
        }
    }

    private static List<String> acrsOf(String claimsJson) {
        if (claimsJson == null) {
            return List.of();
        }
        try {
            JsonNode acrs = JSON.readTree(claimsJson).path("access_token").path("acrs");
            List<String> values = new ArrayList<>();
            if (acrs.path("value").isTextual()) {
                values.add(acrs.path("value").asText());
            }
            acrs.path("values").forEach(v -> values.add(v.asText()));
            if (values.isEmpty() && !acrs.isMissingNode()) {
                values.add(acrs.toString());
            }
            return values;
        } catch (IOException e) {
            return List.of();
        }
    }

    // ---- Token service errors ---------------------------------------------------------------------------------------

    private static Reading readSts(JsonNode json) {
        String error = json.path("error").asText("");
        String description = json.path("error_description").asText("");
        Matcher prefixed = AADSTS_PREFIX.matcher(description.strip());
        int number;
        String message;
        if (prefixed.matches()) {
            number = Integer.parseInt(prefixed.group(1));
            message = prefixed.group(2);
        } else if (json.path("error_codes").path(0).canConvertToInt()) {
            number = json.path("error_codes").path(0).asInt();
            message = description;
        } else {
            return new NotRecognised("the token service error" + (error.isEmpty() ? "" : " '" + error + "'")
                    + " has no AADSTS number (neither in error_description nor in error_codes)");
        }
        message = TRAILER.matcher(message.strip()).replaceFirst("");
        String form = "AADSTS" + number + ": \"" + shorten(message) + "\"";
        boolean wrapped = false;
        Matcher inner = WRAPPED.matcher(message);
        if (number == 70002 && inner.matches()) { // sts-code-redeemed-54005-legacy, sts-assertion-time-legacy
            number = Integer.parseInt(inner.group(1));
            message = inner.group(2);
            wrapped = true;
        }
        List<Integer> numbers = List.of(number);
        boolean renumbered = false;
        for (Renumbering r : RENUMBERED) {
            if (r.old() == number && (r.message() == null || r.message().matcher(message).find())) {
                numbers = r.today();
                renumbered = true;
                break;
            }
        }
        String named = "AADSTS" + numbers.stream().map(String::valueOf).collect(Collectors.joining("/"))
                + (renumbered ? " (AADSTS" + number + " before it was renumbered)" : "");
        for (NotModelled n : NOT_MODELLED) {
            if (numbers.stream().anyMatch(n.numbers()::contains) && n.message().matcher(message).find()) {
                return new NotRecognised(named + ": " + n.why());
            }
        }
        List<Cause> candidates = candidates(numbers, error, message);
        if (candidates.isEmpty()) {
            return new NotRecognised(named + " is not in Consentry's catalogue of causes");
        }
        int read = number;
        String said = message;
        boolean legacyWording = LEGACY_WORDINGS.stream().anyMatch(l -> l.number() == read && l.message().matcher(said).find());
        boolean current = !renumbered && !wrapped && !legacyWording;
        String todaysForm = current ? form : "AADSTS" + numbers.stream().map(String::valueOf).collect(Collectors.joining("/"))
                + ": \"" + Cause.showFacts(candidates.get(0).publicMessageTemplate()) + "\"";
        List<String> notes = new ArrayList<>();
        if (wrapped) {
            notes.add("The token service used to wrap the real error in AADSTS70002 (\"Error validating credentials\"); the inner AADSTS" + number + " is the cause.");
        }
        if (renumbered) {
            notes.add("AADSTS" + number + " is an old number; the token service answers " + named.replaceFirst(" \\(.*", "") + " today.");
        }
        int catalogueNumber = CATALOGUE_NUMBER.getOrDefault(numbers.get(0), numbers.get(0));
        if (candidates.size() > 1 && TELL_APART.containsKey(catalogueNumber)) {
            notes.add(TELL_APART.get(catalogueNumber));
        }
        if (catalogueNumber != numbers.get(0)) {
            notes.add("Consentry files this cause under AADSTS" + catalogueNumber + ".");
        }
        return new Recognised(candidates, form, current, todaysForm, String.join(" ", notes));
    }

    /**
     * The catalogue's token service causes for these numbers: one a message names (a refinement), else those with the
     * number whose error and message fit best; all of them when none fits (an old wording).
     */
    private static List<Cause> candidates(List<Integer> numbers, String error, String message) {
        for (Refinement r : REFINEMENTS) {
            if (numbers.contains(r.number()) && r.message().matcher(message).find()) {
                return List.of(r.cause());
            }
        }
        List<Integer> catalogueNumbers = numbers.stream().map(n -> CATALOGUE_NUMBER.getOrDefault(n, n)).toList();
        List<Cause> all = Arrays.stream(Cause.values())
                .filter(c -> c.channel() == Cause.Channel.STS && catalogueNumbers.contains(c.code())).toList();
        Map<Cause, Integer> score = new LinkedHashMap<>();
        for (Cause c : all) {
            score.put(c, (c.error().equals(error) ? 1 : 0) + (formMatches(c.publicMessageTemplate(), message) ? 2 : 0));
        }
        int best = score.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return all.stream().filter(c -> score.get(c) == best).toList();
    }

    // ---- Matching messages against the catalogue's templates ------------------------------------------------------

    /** Whether a template's text is found in the message, or the message is the template's start cut short. */
    static boolean formMatches(String template, String message) {
        String t = normalise(template);
        String m = normalise(message);
        if (templatePattern(t).matcher(m).find()) {
            return true;
        }
        Matcher fact = Cause.FACT.matcher(t);
        String literal = fact.find() ? t.substring(0, fact.start()) : t;
        return m.length() >= 20 && literal.startsWith(m);
    }

    private static boolean fullMatch(String template, String message) {
        return templatePattern(normalise(template)).matcher(normalise(message)).matches();
    }

    private static Pattern templatePattern(String normalisedTemplate) {
        StringBuilder regex = new StringBuilder();
        Matcher fact = Cause.FACT.matcher(normalisedTemplate);
        int at = 0;
        while (fact.find()) {
            regex.append(Pattern.quote(normalisedTemplate.substring(at, fact.start()))).append(".*?");
            at = fact.end();
        }
        regex.append(Pattern.quote(normalisedTemplate.substring(at)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static String normalise(String s) {
        String n = s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 200 ? one : one.substring(0, 197) + "...";
    }
}
