package dev.consentry.graph.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.ErrorProfile;
import dev.consentry.core.id.TenantId;
import dev.consentry.graph.authz.Workload;
import dev.consentry.store.Store;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Microsoft Graph error response (wire spec, section 6.1), a pure function of its inputs:
 * {@code {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}} with the
 * cause's status, and, for a 401, the {@code WWW-Authenticate: Bearer} challenge Graph sends (section 7.1),
 * whose {@code authorization_uri} names this Consentry's own authorize endpoint.
 *
 * @param requestId the request id Consentry gave the call (also the {@code request-id} header)
 * @param clientRequestId the caller's {@code client-request-id} when it sent one, else the request id
 * @param origin the origin the caller used, for {@code authorization_uri}
 */
public record GraphError(Failure failure, ErrorProfile profile, String requestId, String clientRequestId, Instant date,
                         String origin) {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    public GraphError {
        Objects.requireNonNull(failure, "failure");
        if (failure.cause().channel() != Cause.Channel.GRAPH) {
            throw new IllegalArgumentException(failure.cause() + " is not a Microsoft Graph cause");
        }
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(clientRequestId, "clientRequestId");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(profile, "profile");
    }

    /** With the default profile, the troubleshooting page's statuses. */
    public GraphError(Failure failure, String requestId, String clientRequestId, Instant date, String origin) {
        this(failure, ErrorProfile.TROUBLESHOOTING_GUIDE, requestId, clientRequestId, date, origin);
    }

    /** The cause's status under the profile ({@link Cause#statusUnder}). */
    public int status() {
        return failure.cause().statusUnder(profile);
    }

    /** The JSON body, UTF-8; the message is the cause's public one, terse and free of secrets. */
    public byte[] toJson() {
        return json(failure.cause().errorUnder(profile), failure.publicMessage(), requestId, clientRequestId, date,
                diagnosisPage());
    }

    /**
     * Consentry's page that explains this refusal ({@code /consentry/diagnosis/{request-id}}), which the body carries
     * as one extra {@code innerError} property, {@value #DIAGNOSIS_PROPERTY}, that real clients ignore.
     */
    public String diagnosisPage() {
        return origin + "/consentry/diagnosis/" + requestId;
    }

    /** The {@code innerError} property that names the diagnosis page. */
    public static final String DIAGNOSIS_PROPERTY = "consentry-diagnosis";

    /** The error profile of {@code tenant} ({@link ErrorProfile#TROUBLESHOOTING_GUIDE} when none is known). */
    public static ErrorProfile profileOf(Store store, Optional<TenantId> tenant) {
        return tenant.flatMap(t -> store.tenants().find(t)).map(t -> t.settings().errorProfile())
                .orElse(ErrorProfile.TROUBLESHOOTING_GUIDE);
    }

    /**
     * The body with the access-denied code and text of {@code workload}: a directory refusal says
     * {@code Authorization_RequestDenied}, mail and calendar {@code ErrorAccessDenied} "Access is denied. Check
     * credentials and try again.", files {@code accessDenied} "Access denied" (wire spec, section 6.2); other codes and
     * texts are the cause's own.
     */
    public byte[] toJson(Workload workload) {
        return json(code(workload), message(workload), requestId, clientRequestId, date, diagnosisPage());
    }

    /** The {@code error.message} for {@code workload}: a mail or files service's own access-denied text, else the cause's. */
    public String message(Workload workload) {
        boolean denied = failure.cause().errorUnder(profile).equals("Authorization_RequestDenied");
        return denied && workload.deniedMessage() != null ? workload.deniedMessage() : failure.publicMessage();
    }

    /** The {@code error.code} of the body for {@code workload}, as {@link #toJson} writes it (and the log shows it). */
    public String code(Workload workload) {
        String code = failure.cause().errorUnder(profile);
        return code.equals("Authorization_RequestDenied") ? workload.deniedCode() : code;
    }

    /**
     * Graph's body for a fault of its own (HTTP 500): code {@code generalException}, "An unspecified error has
     * occurred.", as Graph's error reference lists it among the codes of {@code error.code}
     * (https://learn.microsoft.com/graph/errors, "Code property"). It says nothing of the cause: that is in the log,
     * under the same request id.
     */
    public static byte[] unexpected(String requestId, String clientRequestId, Instant date) {
        return json("generalException", "An unspecified error has occurred.", requestId, clientRequestId, date);
    }

    /** Graph's error body for any code and message (also for answers that are not a {@code Cause}, such as 501). */
    public static byte[] json(String code, String message, String requestId, String clientRequestId, Instant date) {
        return json(code, message, requestId, clientRequestId, date, null);
    }

    private static byte[] json(String code, String message, String requestId, String clientRequestId, Instant date,
                               String diagnosisPage) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("date", DATE.format(date));
        inner.put("request-id", requestId);
        inner.put("client-request-id", clientRequestId);
        if (diagnosisPage != null) {
            inner.put(DIAGNOSIS_PROPERTY, diagnosisPage);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("innerError", inner);
        try {
            return JSON.writeValueAsBytes(Map.of("error", error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    /**
     * The {@code WWW-Authenticate} value: the claims challenge of a refusal that carries claims (continuous access
     * evaluation, 401 or 403 by profile), Graph's plain challenge for any other 401 ({@link BearerChallenge}); null
     * otherwise.
     */
    public String wwwAuthenticate() {
        if (failure.claims() != null) {
            return new BearerChallenge(origin).claimsChallenge(failure.claims(), failure.publicMessage());
        }
        return status() == 401 ? new BearerChallenge(origin).plain() : null;
    }
}
