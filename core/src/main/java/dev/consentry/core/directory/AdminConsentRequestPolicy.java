package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * A tenant's admin consent workflow, in Graph's shape ({@code GET /v1.0/policies/adminConsentRequestPolicy}; Microsoft
 * Learn, "Configure the admin consent workflow"): when {@code isEnabled}, a user who may not consent to an app sees
 * "Approval required" (AADSTS90095) and may send the administrators a request with a reason, instead of the plain
 * "Need admin approval" (AADSTS90094).
 *
 * <p>Guaranteed: no component is null; a tenant without one has the workflow off, as a new Entra tenant does.
 *
 * @param reviewers who may review requests ({@code accessReviewReviewerScope}: a {@code query} such as
 *     {@code /users/{id}}); kept as given
 * @param additionalProperties properties Consentry does not model, kept
 */
public record AdminConsentRequestPolicy(Boolean isEnabled, Boolean notifyReviewers, Boolean remindersEnabled,
                                        Integer requestDurationInDays, List<Reviewer> reviewers, Integer version,
                                        @JsonAnySetter Map<String, Object> additionalProperties)
        implements KeepsUnknownProperties, TenantPolicy {

    public static final AdminConsentRequestPolicy DEFAULT = new AdminConsentRequestPolicy(null, null, null, null, null,
            null, null);

    public AdminConsentRequestPolicy {
        isEnabled = isEnabled != null && isEnabled;
        notifyReviewers = notifyReviewers != null && notifyReviewers;
        remindersEnabled = remindersEnabled != null && remindersEnabled;
        requestDurationInDays = requestDurationInDays == null ? 30 : requestDurationInDays;
        reviewers = Extra.list(reviewers);
        version = version == null ? 0 : version;
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** Graph's {@code accessReviewReviewerScope}. */
    public record Reviewer(String query, String queryType, String queryRoot) {}
}
