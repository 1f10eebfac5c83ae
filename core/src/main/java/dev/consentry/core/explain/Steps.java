package dev.consentry.core.explain;

import dev.consentry.core.cause.Failure;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of one decision as they are taken, in order: a grant or a stage adds a passed step when a check
 * holds, and the failing step comes from the {@link Failure} that stopped it ({@link Check#of}), so no refusal
 * goes unexplained. Not thread-safe: one per request.
 */
public final class Steps {
    private final List<Step> taken = new ArrayList<>(8);

    public Steps passed(Check check, String detail) {
        taken.add(Step.passed(check, detail));
        return this;
    }

    public Steps add(Step step) {
        taken.add(step);
        return this;
    }

    public Steps addAll(List<Step> steps) {
        taken.addAll(steps);
        return this;
    }

    /** Adds the failed step of {@code failure}: its cause's check, with the explanation as the detail. */
    public Steps failedWith(Failure failure) {
        taken.add(Step.failed(Check.of(failure.cause()), failure.explanation()));
        return this;
    }

    /** An immutable copy of the steps so far. */
    public List<Step> toList() {
        return List.copyOf(taken);
    }
}
