package dev.consentry.graph.authz;

import dev.consentry.core.cause.Failure;
import dev.consentry.core.explain.Step;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.token.TokenView;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the authorization engine decided about one Graph call, with every step it took (style guide: a deny is a
 * value; only a broken engine throws). How a refusal is rendered (the tenant's error profile) is the renderer's
 * business, not the decision's.
 */
public sealed interface Decision {

    List<Step> steps();

    /** The least privileged permissions per scheme name ({@code DelegatedWork}, {@code Application}, ...). */
    Map<String, List<String>> leastPrivileged();

    /**
     * Allowed by {@code permission}; {@code templates} are the Graph path templates the call matched, and
     * {@code token} the token the call came with (a {@code VerifiedToken} in production).
     */
    record Allow(String permission, List<String> templates, Map<String, List<String>> leastPrivileged, List<Step> steps,
                 TokenView token) implements Decision {
        public Allow {
            templates = List.copyOf(templates);
            leastPrivileged = Map.copyOf(leastPrivileged);
            steps = List.copyOf(steps);
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * Refused with {@code failure}; {@code tenant} is the token's tenant when the token was read far enough to know
     * it (its signature verified), else empty; {@code clientId} the app its token names, when the token passed its
     * checks.
     */
    record Deny(Failure failure, Map<String, List<String>> leastPrivileged, List<Step> steps, Optional<TenantId> tenant,
                Optional<String> clientId) implements Decision {
        public Deny {
            Objects.requireNonNull(failure, "failure");
            leastPrivileged = Map.copyOf(leastPrivileged);
            steps = List.copyOf(steps);
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(clientId, "clientId");
        }

        /** A refusal of a call whose app is not known. */
        public Deny(Failure failure, Map<String, List<String>> leastPrivileged, List<Step> steps, Optional<TenantId> tenant) {
            this(failure, leastPrivileged, steps, tenant, Optional.empty());
        }
    }
}
