package dev.consentry.identity.access;

import java.util.List;

/**
 * What one conditional access policy did to a request, in the shape of Graph's
 * {@code signIn.appliedConditionalAccessPolicies}: the policy, its {@code result} ({@code success}, {@code failure},
 * {@code notApplied}, {@code notEnabled}, {@code reportOnlySuccess}, {@code reportOnlyFailure},
 * {@code reportOnlyNotApplied}), why, and the grant controls it asked for that the request did not meet.
 *
 * @param enforcedGrantControls the policy's grant controls, as Graph lists them
 * @param unmet the controls not met (empty unless the result is a failure); {@code signInFrequency} when the sign-in is
 *     older than the policy's session control allows
 * @param signInFrequency the policy's {@code sessionControls.signInFrequency} when it applies and is enabled (zero for
 *     {@code everyTime}); null otherwise
 */
public record PolicyOutcome(String id, String displayName, String result, String why, List<String> enforcedGrantControls,
                            List<String> unmet, java.time.Duration signInFrequency) {
    public PolicyOutcome {
        enforcedGrantControls = List.copyOf(enforcedGrantControls);
        unmet = List.copyOf(unmet);
    }

    /** True when this policy is enforced and refuses the request. */
    public boolean refuses() {
        return "failure".equals(result);
    }
}
