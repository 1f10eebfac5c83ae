package dev.consentry.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change to a tenant's directory as Entra's audit log records it (Graph's {@code directoryAudit}: who, when, what),
 * kept for the audit log the diagnosis exposes. Activity names are Entra's own, as its audit log and Microsoft's
 * security-operations guide for applications name them
 * (https://learn.microsoft.com/entra/architecture/security-operations-applications): "Add app role assignment to
 * service principal", "Add delegated permission grant", and their "Remove" and "Update" counterparts.
 *
 * @param id unique per record
 * @param category Graph's category, e.g. {@code ApplicationManagement}
 * @param operationType {@code Add}, {@code Update}, {@code Delete}, {@code Assign} or {@code Unassign}
 * @param result {@code success} (a refused change is not a directory change and is not recorded here)
 * @param initiatedBy who made the change
 * @param targetResources what changed, with the changed properties' old and new values
 */
public record DirectoryAudit(String id, Instant activityDateTime, String category, String activityDisplayName,
                             String operationType, String result, Initiator initiatedBy, List<Target> targetResources) {
    public static final String APPLICATION_MANAGEMENT = "ApplicationManagement";
    /** Entra's category of conditional access changes: named locations, authentication contexts. */
    public static final String POLICY = "Policy";
    /** Entra's category of device changes: registration, update, deletion. */
    public static final String DEVICE = "Device";

    public DirectoryAudit {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(activityDateTime, "activityDateTime");
        Objects.requireNonNull(activityDisplayName, "activityDisplayName");
        Objects.requireNonNull(initiatedBy, "initiatedBy");
        targetResources = targetResources == null ? List.of() : List.copyOf(targetResources);
    }

    /**
     * Who made a change: a user (id and user principal name), an application (app id and name), or Consentry's own
     * command line acting for the person at the machine ({@code kind} "consentry").
     */
    public record Initiator(String kind, String id, String name) {
        public static Initiator commandLine() {
            return new Initiator("consentry", null, "consentry command line");
        }
    }

    /** A changed object: its id, name, Graph type ({@code ServicePrincipal}, {@code Application}, ...) and properties. */
    public record Target(String id, String displayName, String type, List<ModifiedProperty> modifiedProperties) {
        public Target {
            modifiedProperties = modifiedProperties == null ? List.of() : List.copyOf(modifiedProperties);
        }
    }

    /** One property's value before and after (null when it did not exist). */
    public record ModifiedProperty(String displayName, String oldValue, String newValue) {}
}
