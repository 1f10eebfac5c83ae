package dev.consentry.identity.consent;

import dev.consentry.core.directory.PermissionScope;
import dev.consentry.identity.resource.ResolvedResource;

/**
 * The one-line description of a delegated permission on the consent page. Consentry's own is {@link OwnWords};
 * a later source (Microsoft's descriptions file, given to {@code serve}) implements the same interface and falls
 * back to {@link OwnWords} for a permission it does not describe.
 */
@FunctionalInterface
public interface PermissionDescriptions {

    /** A sentence describing {@code permission} of {@code resource} for the user asked to consent; never null. */
    String describe(ResolvedResource resource, PermissionScope permission);
}
