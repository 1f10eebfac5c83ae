package dev.consentry.graph.resource;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.store.Store;
import java.util.List;
import java.util.UUID;

/**
 * The audit log entries of Graph's app-management writes, with Entra's activity names (see {@link DirectoryAudit} for
 * the source; "Update application – Certificates and secrets management" is Entra's name for a secret added or
 * removed), initiated by the signed-in user of the token, or by its client for an app-only token.
 */
final class Audits {
    private Audits() {}

    static void record(Store store, GraphCall call, String activity, String operation, String targetId, String targetName,
                       String targetType, DirectoryAudit.ModifiedProperty... changed) {
        recordIn(store, call, DirectoryAudit.APPLICATION_MANAGEMENT, activity, operation, targetId, targetName, targetType,
                changed);
    }

    /** As {@link #record}, in another of Entra's audit categories ({@link DirectoryAudit#POLICY}, {@link DirectoryAudit#DEVICE}). */
    static void recordIn(Store store, GraphCall call, String category, String activity, String operation, String targetId,
                         String targetName, String targetType, DirectoryAudit.ModifiedProperty... changed) {
        DirectoryAudit.Initiator by = call.caller()
                .map(user -> new DirectoryAudit.Initiator("user", user.toString(), null))
                .orElseGet(() -> new DirectoryAudit.Initiator("app", call.clientId().orElse(null), null));
        store.audit().record(call.tenant(), new DirectoryAudit(UUID.randomUUID().toString(), call.now(),
                category, activity, operation, "success", by,
                List.of(new DirectoryAudit.Target(targetId, targetName, targetType, List.of(changed)))));
    }

    static DirectoryAudit.ModifiedProperty changed(String name, Object before, Object after) {
        return new DirectoryAudit.ModifiedProperty(name, before == null ? null : before.toString(),
                after == null ? null : after.toString());
    }
}
