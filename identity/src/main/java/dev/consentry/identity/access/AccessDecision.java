package dev.consentry.identity.access;

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

    /** The ids of the enforced policies that refuse the request. */
    public List<String> refusingPolicies() {
        return outcomes.stream().filter(PolicyOutcome::refuses).map(PolicyOutcome::id).toList();
    }
}
