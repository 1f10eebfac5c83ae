package dev.consentry.store;

import dev.consentry.core.directory.Device;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.Optional;

/** Devices registered in the directory, by object id; also found by the device id tokens state. */
public interface DeviceStore extends TenantObjectStore<Device, ObjectId> {

    /** The device whose {@code deviceId} is {@code deviceId} (case-insensitive); empty when none. */
    Optional<Device> findByDeviceId(TenantId tenant, String deviceId);
}
