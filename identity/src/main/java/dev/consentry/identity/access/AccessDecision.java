package dev.consentry.identity.access;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.EntraTime;
import dev.consentry.core.cause.Failure;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Conditional access's answer for one request: every policy's outcome, in the store's order (by policy id). The request may go on
 * when no enforced policy failed; otherwise {@link #blocked()} says whether a policy blocks it outright, and
 * {@link #missing()} which controls the user could still satisfy (a second factor, a compliant device).
 */
public record AccessDecision(List<PolicyOutcome> outcomes) {
    public AccessDecision {
        outcomes = List.copyOf(outcomes);
    }

    public boolean allowed() {
        return outcomes.stream().noneMatch(PolicyOutcome::refuses);
    }

    /** True when an enforced policy that applies blocks access. */
    public boolean blocked() {
        return outcomes.stream().anyMatch(o -> o.refuses() && o.unmet().contains("block"));
    }

    /** The controls the enforced, failing policies ask for, once each, in order. */
    public Set<String> missing() {
        Set<String> out = new LinkedHashSet<>();
        outcomes.stream().filter(PolicyOutcome::refuses).forEach(o -> out.addAll(o.unmet()));
        return out;
    }

    /** Every outcome in one line, for the decision record: each policy's name, id, result and why. */
    public String record() {
        return String.join("; ", outcomes.stream().map(o -> o.displayName() + " (" + o.id() + "): " + o.result() + ", "
                + o.why()).toList());
    }

    /**
     * The refusal Entra answers for a request this decision does not allow: AADSTS53003 when a policy blocks,
     * AADSTS50076 when a second factor is missing (AADSTS50079 when the user has no method to prove one with yet), else
     * AADSTS53000 for the device a policy requires; with {@code withClaims}, the claims that name the failing policies
     * ({@code capolids}), which a client sends back to the authorize endpoint.
     *
     * @param resourceName the display name of the resource the token is for
     * @param secondFactorRegistered whether the user has a method to prove a second factor with
     */
    public Failure refusal(AccessRequest request, String resourceName, boolean withClaims, boolean secondFactorRegistered) {
        List<String> ids = refusingPolicies();
        String policies = String.join(", ", ids) + " (" + record() + ")";
        String tenant = request.tenant().toString();
        String user = request.user().userPrincipalName();
        Failure refusal;
        if (blocked()) {
            refusal = Failure.of(Cause.CONDITIONAL_ACCESS_BLOCKED, "policies", policies, "tenant", tenant, "username", user,
                    "resource", resourceName);
        } else if (missing().contains("signInFrequency")) {
            java.time.Duration frequency = signInFrequency().orElse(java.time.Duration.ZERO);
            boolean browser = AccessRequest.BROWSER.equals(request.clientAppType());
            refusal = browser
                    ? Failure.of(Cause.SIGN_IN_FREQUENCY_SESSION, "policies", policies, "tenant", tenant, "username", user,
                            "frequency", frequency.toString(), "authTime", request.auth().authTime().toString())
                    : Failure.of(Cause.SIGN_IN_FREQUENCY_TOKEN, "policies", policies, "tenant", tenant, "username", user,
                            "frequency", frequency.toString(), "authTime", request.auth().authTime().toString(), "issueDate",
                            EntraTime.of(request.auth().authTime()), "lifetime", String.valueOf(frequency.toSeconds()));
            return refusal; // no claims: signing in again is all it takes
        } else if (missing().contains("mfa")) {
            refusal = Failure.of(secondFactorRegistered ? Cause.MFA_REQUIRED : Cause.MFA_REGISTRATION_REQUIRED, "policies", policies, "tenant", tenant, "username", user, "resource",
                    resourceName, "resourceAppId", request.resource().toString(), "amr", String.join(" ", request.auth().amr()));
        } else {
            refusal = Failure.of(Cause.DEVICE_NOT_COMPLIANT, "policies", policies, "tenant", tenant, "username", user,
                    "resource", resourceName, "state", missing().contains("compliantDevice") ? "compliant" : "domainJoined");
        }
        return withClaims ? refusal.withClaims("{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":["
                + String.join(",", ids.stream().map(id -> "\"" + id + "\"").toList()) + "]}}}") : refusal;
    }

    /** The shortest sign-in frequency among the enforced policies that refuse the request for it; empty when none does. */
    public java.util.Optional<java.time.Duration> signInFrequency() {
        return outcomes.stream().filter(o -> o.refuses() && o.unmet().contains("signInFrequency"))
                .map(PolicyOutcome::signInFrequency).filter(java.util.Objects::nonNull).min(java.util.Comparator.naturalOrder());
    }


    /** The ids of the enforced policies that refuse the request. */
    public List<String> refusingPolicies() {
        return outcomes.stream().filter(PolicyOutcome::refuses).map(PolicyOutcome::id).toList();
    }
}
