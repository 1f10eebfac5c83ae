package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.consentry.core.id.ObjectId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A device registered in the directory, in Graph's {@code device} shape: its object {@code id}, the {@code deviceId}
 * that tokens state ({@code deviceid}) and a browser's device cookie names, and the two states conditional access reads,
 * {@code isCompliant} and {@code isManaged} (an administrator sets them through Graph or the tenant file; a real tenant
 * takes them from its device management). {@code trustType} is {@code Workplace} for a registered device,
 * {@code AzureAd} for a joined one, {@code ServerAd} for a hybrid-joined one.
 *
 * @param registeredOwnerId the user who registered the device (Consentry's own property; Graph answers it as the
 *     device's {@code registeredOwners}); null when none is known
 */
public record Device(ObjectId id, String deviceId, String displayName, String operatingSystem, Boolean accountEnabled,
                     Boolean isCompliant, Boolean isManaged, String trustType, Instant registrationDateTime,
                     ObjectId registeredOwnerId, @JsonAnySetter Map<String, Object> additionalProperties)
        implements KeepsUnknownProperties {
    public Device {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(deviceId, "deviceId");
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** Compliant as conditional access's {@code compliantDevice} asks: enabled and marked compliant. */
    public boolean compliant() {
        return !Boolean.FALSE.equals(accountEnabled) && Boolean.TRUE.equals(isCompliant);
    }

    /** Joined to the organization's on-premises domain, as {@code domainJoinedDevice} asks (hybrid joined). */
    public boolean domainJoined() {
        return !Boolean.FALSE.equals(accountEnabled) && "ServerAd".equals(trustType);
    }
}
