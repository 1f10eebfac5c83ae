package dev.consentry.graph.authz;

import dev.consentry.core.id.TenantId;
import java.util.Optional;

import dev.consentry.core.cause.Failure;
import dev.consentry.identity.token.VerifiedToken;
import java.util.List;

/**
 * The outcome of the token stage of the pipeline (product brief, section 2, S1, S2, S7): the token is
 * present, well formed, signed by Consentry for one of its tenants, within its lifetime, for Microsoft
 * Graph, and of an account type the route serves; or the first of those that failed. The permission and
 * user stages follow it.
 */
public sealed interface TokenStage {

    /** The steps taken, in order; the last one failed for a {@link Refused}. */
    List<Step> steps();

    /** Every token check passed. */
    record Passed(VerifiedToken token, List<Step> steps) implements TokenStage {
        public Passed {
            steps = List.copyOf(steps);
        }
    }

    /**
     * A token check failed with {@code failure}; {@code tenant} is the token's tenant when its signature
     * verified and a later check (audience, account type) refused it, else empty.
     */
    record Refused(Failure failure, Optional<TenantId> tenant, List<Step> steps) implements TokenStage {
        public Refused {
            steps = List.copyOf(steps);
        }

        /** Refused before the token could be trusted: no tenant is known. */
        static Refused unverified(Failure failure, List<Step> steps) {
            return new Refused(failure, Optional.empty(), steps);
        }
    }
}
