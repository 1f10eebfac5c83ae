package dev.consentry.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One sign-in of a user as Entra's sign-in log records it (Graph's {@code signIn}, v1.0 metadata): a token issued to a
 * user, or refused for one, with the app, the resource, where the call came from and what conditional access decided.
 *
 * @param id unique per record
 * @param createdDateTime when the token was issued or refused; retention counts from it
 * @param userId the user's object id; null when the name matched nobody
 * @param userPrincipalName as the user is known, or as the client sent it
 * @param userDisplayName null when unknown
 * @param appId the client application's app id; null when the request named none
 * @param appDisplayName null when unknown
 * @param ipAddress the client's address as the server saw it; null when unknown
 * @param clientAppUsed Entra's client app category ({@code Browser}, {@code Mobile Apps and Desktop clients})
 * @param correlationId the request's correlation id (the client's {@code client-request-id}, or the trace id)
 * @param conditionalAccessStatus {@code success}, {@code failure} or {@code notApplied}
 * @param isInteractive whether the user took part (a password, a browser, a device code) rather than a refresh
 * @param resourceId the app id of the resource the token is for; null when unknown
 * @param resourceDisplayName null when unknown
 * @param errorCode 0 when the token was issued, else the AADSTS number of the refusal
 * @param failureReason the refusal's public message; null on success
 * @param appliedConditionalAccessPolicies each policy that applied, with its result
 */
public record SignIn(String id, Instant createdDateTime, String userId, String userPrincipalName, String userDisplayName,
                     String appId, String appDisplayName, String ipAddress, String clientAppUsed, String correlationId,
                     String conditionalAccessStatus, boolean isInteractive, String resourceId, String resourceDisplayName,
                     int errorCode, String failureReason, List<AppliedPolicy> appliedConditionalAccessPolicies) {
    public SignIn {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdDateTime, "createdDateTime");
        appliedConditionalAccessPolicies = appliedConditionalAccessPolicies == null ? List.of()
                : List.copyOf(appliedConditionalAccessPolicies);
    }

    /** Graph's {@code appliedConditionalAccessPolicy}: result {@code success}, {@code failure}, {@code notApplied}, ... */
    public record AppliedPolicy(String id, String displayName, List<String> enforcedGrantControls, String result) {
        public AppliedPolicy {
            enforcedGrantControls = enforcedGrantControls == null ? List.of() : List.copyOf(enforcedGrantControls);
        }
    }
}
