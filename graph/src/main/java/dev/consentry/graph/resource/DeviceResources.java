package dev.consentry.graph.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.Device;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.core.id.ObjectId;
import dev.consentry.store.Store;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Graph's devices, {@code /devices} (https://learn.microsoft.com/graph/api/device-list, device-get, device-post-devices,
 * device-update, device-delete, device-list-registeredowners): list and read them, register one (201), change one (204,
 * the properties given), delete one (204), and list a device's registered owners. A device is addressed by its object
 * {@code id}, or as {@code /devices(deviceId='{deviceId}')} by the device id tokens state. The permissions
 * ({@code Device.Read.All} to read; {@code Directory.AccessAsUser.All} delegated, {@code Device.ReadWrite.All}
 * application to write; a delegated create has no application counterpart) and the signed-in user's directory role are
 * the engine's. A Cloud Device Administrator may only enable or disable a device (Graph's page for the update): a change
 * of anything else by one who holds no broader device role is 403 here.
 *
 * <p>{@code isCompliant} and {@code isManaged} may be set by any caller allowed to change the device: a real tenant
 * takes them from Intune or an approved device management app, which Consentry stands in for. A body is checked whole
 * before anything is stored: a property the type does not have or one Graph sets itself, a value of the wrong type, a
 * {@code deviceId} that is not a GUID or that another device has, or a {@code trustType} Graph does not define, is 400
 * {@code BadRequest}, and nothing changes. The texts of these refusals are Consentry's words.
 */
final class DeviceResources {
    static final String BASE = "/devices";
    static final String BY_DEVICE_ID = "/devices(deviceid={value})";
    static final ODataQuery.Shape DEVICES = new ODataQuery.Shape("devices", "microsoft.graph.device",
            List.of("id", "deviceId", "displayName", "operatingSystem", "operatingSystemVersion", "accountEnabled", "isCompliant",
                    "isManaged", "trustType", "approximateLastSignInDateTime", "registrationDateTime"),
            Set.of("id", "deviceId", "displayName", "operatingSystem", "operatingSystemVersion", "accountEnabled", "isCompliant",
                    "isManaged", "trustType", "approximateLastSignInDateTime", "registrationDateTime", "profileType",
                    "physicalIds", "alternativeSecurityIds"),
            Set.of("id", "deviceId", "displayName", "operatingSystem", "accountEnabled", "isCompliant", "isManaged", "trustType"),
            100);
    static final String CLOUD_DEVICE_ADMINISTRATOR = "7698a772-787b-4ac8-901f-60d6b08affd2";
    /** The roles that change any property of a device (Graph's page for the update: Intune Administrator), and above. */
    static final Set<String> DEVICE_MANAGERS = Set.of("3a2c62db-5318-420d-8d74-23affee5d9d5",
            "62e90394-69f5-4237-9190-012177145e10");
    private static final Set<String> BOOLEANS = Set.of("accountEnabled", "isCompliant", "isManaged");
    private static final Set<String> STRINGS = Set.of("displayName", "operatingSystem", "operatingSystemVersion", "trustType",
            "profileType");
    /** Graph's join types: registered, joined, hybrid joined. */
    private static final Set<String> TRUST_TYPES = Set.of("Workplace", "AzureAd", "ServerAd");
    private static final Pattern DEVICE_ID_KEY = Pattern.compile("devices\\(deviceId='([^']*)'\\)", Pattern.CASE_INSENSITIVE);
    private final Store store;
    private final DirectoryRows rows;

    DeviceResources(Store store, DirectoryRows rows) {
        this.store = store;
        this.rows = rows;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", BASE, call -> ODataQuery.collection(call, DEVICES, store.devices().list(call.tenant()).stream()
                .map(DeviceResources::row).toList()));
        routes.on("POST", BASE, this::create);
        routes.on("GET", BASE + "/{id}/registeredowners", call -> withDevice(call, false, d -> owners(call, d)));
        for (String one : List.of(BASE + "/{id}", BY_DEVICE_ID)) {
            boolean byDeviceId = one.equals(BY_DEVICE_ID);
            routes.on("GET", one, call -> withDevice(call, byDeviceId, d -> ODataQuery.single(call, DEVICES, row(d))));
            routes.on("PATCH", one, call -> withDevice(call, byDeviceId, d -> update(call, d)));
            routes.on("DELETE", one, call -> withDevice(call, byDeviceId, d -> {
                store.devices().delete(call.tenant(), d.id());
                Audits.recordIn(store, call, DirectoryAudit.DEVICE, "Delete device", "Delete", d.id().toString(),
                        d.displayName(), "Device");
                return GraphAnswer.empty(204, Map.of());
            }));
        }
    }

    /** {@code action} on the device the path names (by object id, or by its {@code deviceId}), or Graph's 404. */
    private GraphAnswer withDevice(GraphCall call, boolean byDeviceId, Function<Device, GraphAnswer> action) {
        String key = key(call);
        Optional<Device> found = byDeviceId ? store.devices().findByDeviceId(call.tenant(), key)
                : ObjectId.tryParse(key).flatMap(id -> store.devices().find(call.tenant(), id));
        return found.map(action).orElseGet(() -> GraphAnswer.notFound(key));
    }

    /** The object id of {@code /devices/{id}...}, or the device id of {@code /devices(deviceId='...')}. */
    private static String key(GraphCall call) {
        Matcher m = DEVICE_ID_KEY.matcher(call.path());
        if (call.templates().contains(BY_DEVICE_ID) && m.find()) {
            return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        }
        return DirectoryRows.segment(call, 1);
    }

    /** A device as Graph answers it; properties Consentry does not model come from the tenant file or the create. */
    static Map<String, Object> row(Device d) {
        Map<String, Object> extra = d.additionalProperties();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id().toString());
        out.put("deviceId", d.deviceId());
        out.put("displayName", d.displayName());
        out.put("operatingSystem", d.operatingSystem());
        out.put("operatingSystemVersion", extra.get("operatingSystemVersion"));
        out.put("accountEnabled", !Boolean.FALSE.equals(d.accountEnabled()));
        out.put("isCompliant", d.isCompliant());
        out.put("isManaged", d.isManaged());
        out.put("trustType", d.trustType());
        out.put("approximateLastSignInDateTime", extra.get("approximateLastSignInDateTime"));
        out.put("registrationDateTime", d.registrationDateTime() == null ? null : d.registrationDateTime().toString());
        out.put("profileType", extra.get("profileType"));
        out.put("physicalIds", extra.getOrDefault("physicalIds", List.of()));
        out.put("alternativeSecurityIds", extra.getOrDefault("alternativeSecurityIds", List.of()));
        return out;
    }

    private GraphAnswer owners(GraphCall call, Device d) {
        List<Map<String, Object>> owners = new ArrayList<>();
        if (d.registeredOwnerId() != null) {
            rows.directoryObject(call, d.registeredOwnerId()).ifPresent(owners::add);
        }
        return ODataQuery.collection(call, DirectoryRows.DIRECTORY_OBJECTS, owners);
    }

    private GraphAnswer create(GraphCall call) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object describing the device.");
        }
        Map<String, Object> given = new LinkedHashMap<>();
        Optional<GraphAnswer> bad = read(body.get(), given, true);
        if (bad.isPresent()) {
            return bad.get();
        }
        // Graph's page for the create names these as required.
        for (String required : List.of("accountEnabled", "deviceId", "displayName", "operatingSystem", "operatingSystemVersion")) {
            if (given.get(required) == null) {
                return GraphAnswer.badBody("A device needs " + required + ".");
            }
        }
        String deviceId = (String) given.remove("deviceId");
        if (store.devices().findByDeviceId(call.tenant(), deviceId).isPresent()) {
            return GraphAnswer.badBody("A device with deviceId " + deviceId + " is already registered.");
        }
        Device device = device(ObjectId.random(), deviceId, call.now(), null, given);
        store.devices().save(call.tenant(), device);
        Audits.recordIn(store, call, DirectoryAudit.DEVICE, "Add device", "Add", device.id().toString(), device.displayName(),
                "Device");
        return GraphAnswer.created(call, "devices", device.id(), row(device));
    }

    @SuppressWarnings("unchecked")
    private GraphAnswer update(GraphCall call, Device existing) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the properties to change.");
        }
        Map<String, Object> merged = new LinkedHashMap<>(existing.additionalProperties());
        merged.put("displayName", existing.displayName());
        merged.put("operatingSystem", existing.operatingSystem());
        merged.put("accountEnabled", existing.accountEnabled());
        merged.put("isCompliant", existing.isCompliant());
        merged.put("isManaged", existing.isManaged());
        merged.put("trustType", existing.trustType());
        Map<String, Object> given = new LinkedHashMap<>();
        Optional<GraphAnswer> bad = read(body.get(), given, false);
        if (bad.isPresent()) {
            return bad.get();
        }
        if (!given.keySet().stream().allMatch("accountEnabled"::equals) && onlyEnablesDevices(call)) {
            return GraphAnswer.error(403, "Authorization_RequestDenied", "A Cloud Device Administrator may only enable or "
                    + "disable a device (accountEnabled); changing " + String.join(", ", given.keySet().stream()
                    .filter(k -> !k.equals("accountEnabled")).sorted().toList()) + " needs the Intune Administrator role.");
        }
        merged.putAll(given);
        Device saved = device(existing.id(), existing.deviceId(), existing.registrationDateTime(), existing.registeredOwnerId(),
                merged);
        store.devices().save(call.tenant(), saved);
        List<DirectoryAudit.ModifiedProperty> changed = given.keySet().stream().sorted()
                .map(k -> Audits.changed(k, row(existing).get(k), row(saved).get(k))).toList();
        Audits.recordIn(store, call, DirectoryAudit.DEVICE, "Update device", "Update", saved.id().toString(), saved.displayName(),
                "Device", changed.toArray(DirectoryAudit.ModifiedProperty[]::new));
        return GraphAnswer.empty(204, Map.of());
    }

    /** True for a signed-in Cloud Device Administrator who holds no role that changes more than a device's enablement. */
    private boolean onlyEnablesDevices(GraphCall call) {
        if (call.caller().isEmpty()) {
            return false;
        }
        List<String> held = store.roleAssignments().list(call.tenant()).stream()
                .filter(r -> "/".equals(r.directoryScopeId()) && r.principalId().equals(call.caller().get()))
                .map(r -> r.roleDefinitionId().toLowerCase(Locale.ROOT)).toList();
        return held.contains(CLOUD_DEVICE_ADMINISTRATOR) && held.stream().noneMatch(DEVICE_MANAGERS::contains);
    }

    private static Device device(ObjectId id, String deviceId, Instant registered, ObjectId owner, Map<String, Object> p) {
        Map<String, Object> extra = new LinkedHashMap<>(p);
        for (String modelled : List.of("displayName", "operatingSystem", "accountEnabled", "isCompliant", "isManaged", "trustType")) {
            extra.remove(modelled);
        }
        return new Device(id, deviceId, (String) p.get("displayName"), (String) p.get("operatingSystem"),
                (Boolean) p.get("accountEnabled"), (Boolean) p.get("isCompliant"), (Boolean) p.get("isManaged"),
                (String) p.get("trustType"), registered, owner, extra);
    }

    /** The body's properties into {@code into}; the 400 for one the type does not have, Graph sets, or of the wrong type. */
    private static Optional<GraphAnswer> read(ObjectNode body, Map<String, Object> into, boolean creating) {
        for (var fields = body.properties().iterator(); fields.hasNext(); ) {
            var f = fields.next();
            String name = f.getKey();
            JsonNode value = f.getValue();
            if (name.startsWith("@odata.")) {
                continue;
            }
            if (BOOLEANS.contains(name)) {
                if (!value.isBoolean()) {
                    return Optional.of(GraphAnswer.badBody(name + " is true or false."));
                }
                into.put(name, value.asBoolean());
            } else if (STRINGS.contains(name)) {
                if (!value.isTextual() || name.equals("displayName") && value.asText().isBlank()) {
                    return Optional.of(GraphAnswer.badBody(name + " is a non-empty string."));
                }
                if (name.equals("trustType") && !TRUST_TYPES.contains(value.asText())) {
                    return Optional.of(GraphAnswer.badBody("trustType is Workplace, AzureAd or ServerAd."));
                }
                into.put(name, value.asText());
            } else if (name.equals("deviceId") && creating) {
                if (!value.isTextual() || DirectoryRows.uuid(value.asText()).isEmpty()) {
                    return Optional.of(GraphAnswer.badBody("deviceId is a GUID."));
                }
                into.put(name, value.asText().toLowerCase(Locale.ROOT));
            } else if (name.equals("alternativeSecurityIds") || name.equals("physicalIds")) {
                if (!value.isArray()) {
                    return Optional.of(GraphAnswer.badBody(name + " is an array."));
                }
                into.put(name, DirectoryJson.mapper().convertValue(value, Object.class));
            } else {
                return Optional.of(GraphAnswer.error(400, "BadRequest", "Property '" + name
                        + "' does not exist on type 'microsoft.graph.device' or cannot be set."));
            }
        }
        return Optional.empty();
    }
}
