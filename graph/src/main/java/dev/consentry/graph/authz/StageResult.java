package dev.consentry.graph.authz;

import dev.consentry.core.cause.Failure;
import dev.consentry.core.explain.Step;
import java.util.List;

/** What one {@link Stage} concluded: go on with what it learnt, or stop with a failure; with the steps it took. */
public sealed interface StageResult {

    List<Step> steps();

    /** Every check of the stage passed (or none applied); {@code next} carries what it learnt. */
    record Continue(Evaluation next, List<Step> steps) implements StageResult {
        public Continue {
            steps = List.copyOf(steps);
        }
    }

    /**
     * A check failed with {@code failure}; {@code at} is what was known when it stopped (the token's tenant for the
     * error profile, the least privileged permissions for the diagnosis). The last step is the failed one.
     */
    record Stop(Failure failure, Evaluation at, List<Step> steps) implements StageResult {
        public Stop {
            steps = List.copyOf(steps);
        }
    }
}
