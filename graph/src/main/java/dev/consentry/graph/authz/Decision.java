package dev.consentry.graph.authz;

import dev.consentry.core.directory.ErrorProfile;
import java.util.Objects;

import dev.consentry.core.cause.Failure;
import java.util.List;
import java.util.Map;

/**
 * What the authorization engine decided about one Graph call, with every step it took (style guide:
 * a deny is a value; only a broken engine throws).
 */
public sealed interface Decision {

    List<Step> steps();

    /** The least privileged permissions per scheme name ({@code DelegatedWork}, {@code Application}, ...). */
    Map<String, List<String>> leastPrivileged();

    /**
     * Allowed by {@code permission}; {@code templates} are the Graph path templates the call matched, and
     * {@code token} the verified token the call came with.
     */
    record Allow(String permission, List<String> templates, Map<String, List<String>> leastPrivileged, List<Step> steps,
                 dev.consentry.identity.token.VerifiedToken token) implements Decision {
        public Allow {
            templates = List.copyOf(templates);
            leastPrivileged = Map.copyOf(leastPrivileged);
            steps = List.copyOf(steps);
        }
    }

    /**
     * Refused with {@code failure}, whose cause decides the status and the Graph code, as the token's tenant
     * chose with its {@code errorProfile} ({@link ErrorProfile#TROUBLESHOOTING_GUIDE} when no tenant is known).
     */
    record Deny(Failure failure, Map<String, List<String>> leastPrivileged, List<Step> steps, ErrorProfile profile)
            implements Decision {
        public Deny {
            leastPrivileged = Map.copyOf(leastPrivileged);
            steps = List.copyOf(steps);
            Objects.requireNonNull(profile, "profile");
        }
    }
}
