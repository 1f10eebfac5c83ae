package dev.consentry.graph.authz;

import dev.consentry.core.cause.Failure;
import java.util.List;

/**
 * The outcome of the route and permission stage (product brief, section 2, S3 to S5): the path is one of
 * Graph's, the token's type fits it, and the token holds a permission that allows the call; or the first
 * of those that failed.
 */
public sealed interface PermissionStage {

    List<Step> steps();

    /**
     * The call is allowed by {@code permission}; {@code leastPrivileged} is what would have been enough.
     *
     * @param templates the Graph path templates the path matched
     */
    record Passed(String permission, List<String> leastPrivileged, List<String> templates, List<Step> steps)
            implements PermissionStage {
        public Passed {
            leastPrivileged = List.copyOf(leastPrivileged);
            templates = List.copyOf(templates);
            steps = List.copyOf(steps);
        }
    }

    /** Refused with {@code failure}; {@code leastPrivileged} per scheme name, for the diagnosis. */
    record Refused(Failure failure, java.util.Map<String, List<String>> leastPrivileged, List<Step> steps)
            implements PermissionStage {
        public Refused {
            leastPrivileged = java.util.Map.copyOf(leastPrivileged);
            steps = List.copyOf(steps);
        }
    }
}
