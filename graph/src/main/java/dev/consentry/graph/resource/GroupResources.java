package dev.consentry.graph.resource;

import static dev.consentry.graph.resource.DirectoryRows.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.Group;
import dev.consentry.core.id.ObjectId;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Graph's {@code group} resource: list, get, create (with {@code members@odata.bind}), rename, delete, and members
 * (listed, added and removed with {@code $ref}). Members are users, groups or service principals of the tenant.
 */
final class GroupResources {
    private final Store store;
    private final DirectoryRows rows;

    GroupResources(Store store, DirectoryRows rows) {
        this.store = store;
        this.rows = rows;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", "/groups", call -> ODataQuery.collection(call, GROUPS,
                sorted(store.groups().list(call.tenant()), g -> g.id().toString(), DirectoryRows::group)));
        routes.on("GET", "/groups/{id}", call -> byId(call, id -> store.groups().find(call.tenant(), id), DirectoryRows::group, GROUPS));
        routes.on("POST", "/groups", this::createGroup);
        routes.on("PATCH", "/groups/{id}", call -> withGroup(call, g -> updateGroup(call, g)));
        routes.on("DELETE", "/groups/{id}", call -> withGroup(call, g -> {
            store.groups().delete(call.tenant(), g.id());
            return GraphAnswer.empty(204, Map.of());
        }));
        routes.on("POST", "/groups/{id}/members/$ref", DirectoryRows::isRef, call -> withGroup(call, g -> addGroupMember(call, g)));
        routes.on("DELETE", "/groups/{id}/members/{id}", DirectoryRows::isRef, call -> withGroup(call, g -> removeGroupMember(call, g)));
        routes.on("GET", "/groups/{id}/members", call -> {
            String id = segment(call, 1);
            return ObjectId.tryParse(id).flatMap(g -> store.groups().find(call.tenant(), g))
                    .map(g -> ODataQuery.collection(call, DIRECTORY_OBJECTS, g.members().stream()
                            .map(m -> rows.directoryObject(call, m)).flatMap(Optional::stream).toList()))
                    .orElseGet(() -> GraphAnswer.notFound(id));
        });
    }

    private GraphAnswer withGroup(GraphCall call, Function<Group, GraphAnswer> action) {
        String id = segment(call, 1);
        return ObjectId.tryParse(id).flatMap(g -> store.groups().find(call.tenant(), g)).map(action)
                .orElseGet(() -> GraphAnswer.notFound(id));
    }

    /**
     * {@code POST /groups}: {@code displayName}, {@code mailEnabled}, {@code mailNickname} and {@code securityEnabled}
     * are required, as Graph requires them; {@code members@odata.bind} may name the first members.
     */
    private GraphAnswer createGroup(GraphCall call) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object describing the group.");
        }
        ObjectNode b = body.get();
        for (String text : List.of("displayName", "mailNickname")) {
            if (!b.path(text).isTextual() || b.path(text).asText().isBlank()) {
                return invalidGroupValue(text);
            }
        }
        for (String flag : List.of("mailEnabled", "securityEnabled")) {
            if (!b.path(flag).isBoolean()) {
                return invalidGroupValue(flag);
            }
        }
        List<String> groupTypes = new ArrayList<>();
        for (JsonNode t : b.path("groupTypes")) {
            groupTypes.add(t.asText());
        }
        List<ObjectId> members = new ArrayList<>();
        for (JsonNode ref : b.path("members@odata.bind")) {
            String text = ref.asText("");
            Optional<ObjectId> member = ObjectId.tryParse(text.substring(text.lastIndexOf('/') + 1));
            if (member.isEmpty() || rows.directoryObject(call, member.get()).isEmpty()) {
                return GraphAnswer.error(400, "Request_BadRequest", "Invalid object identifier '" + text + "'.");
            }
            members.add(member.get());
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("mailNickname", b.get("mailNickname").asText());
        if (b.path("description").isTextual()) {
            extra.put("description", b.get("description").asText());
        }
        extra.put("createdDateTime", call.now().toString());
        Group group = new Group(ObjectId.random(), b.get("displayName").asText(), b.get("securityEnabled").asBoolean(),
                b.get("mailEnabled").asBoolean(), groupTypes, members, extra);
        store.groups().save(call.tenant(), group);
        return GraphAnswer.created(call, "groups", group.id(), group(group));
    }

    private GraphAnswer updateGroup(GraphCall call, Group g) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the properties to change.");
        }
        String displayName = g.displayName();
        Map<String, Object> extra = new LinkedHashMap<>(g.additionalProperties());
        for (var names = body.get().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode v = body.get().get(name);
            switch (name) {
                case "displayName" -> {
                    if (!v.isTextual() || v.asText().isBlank()) {
                        return invalidGroupValue(name);
                    }
                    displayName = v.asText();
                }
                case "description", "mailNickname" -> {
                    if (!v.isTextual() && !v.isNull()) {
                        return invalidGroupValue(name);
                    }
                    if (v.isNull()) {
                        extra.remove(name);
                    } else {
                        extra.put(name, v.asText());
                    }
                }
                default -> {
                    if (!name.startsWith("@odata.")) {
                        return GraphAnswer.error(400, "BadRequest", "Property '" + name
                                + "' does not exist on type 'microsoft.graph.group' or cannot be changed.");
                    }
                }
            }
        }
        store.groups().save(call.tenant(), new Group(g.id(), displayName, g.securityEnabled(), g.mailEnabled(), g.groupTypes(),
                g.members(), extra));
        return GraphAnswer.empty(204, Map.of());
    }

    private GraphAnswer addGroupMember(GraphCall call, Group g) {
        String ref = call.bodyObject().map(b -> b.path("@odata.id").asText("")).orElse("");
        Optional<ObjectId> member = ObjectId.tryParse(ref.substring(ref.lastIndexOf('/') + 1));
        if (member.isEmpty()) {
            return GraphAnswer.badBody("The request body must be {\"@odata.id\": \"https://graph.microsoft.com/v1.0/"
                    + "directoryObjects/{id}\"}.");
        }
        if (rows.directoryObject(call, member.get()).isEmpty()) {
            return GraphAnswer.notFound(member.get().toString());
        }
        if (g.members().contains(member.get())) {
            return GraphAnswer.error(400, "Request_BadRequest",
                    "One or more added object references already exist for the following modified properties: 'members'.");
        }
        List<ObjectId> members = new ArrayList<>(g.members());
        members.add(member.get());
        store.groups().save(call.tenant(), new Group(g.id(), g.displayName(), g.securityEnabled(), g.mailEnabled(), g.groupTypes(),
                members, g.additionalProperties()));
        return GraphAnswer.empty(204, Map.of());
    }

    private GraphAnswer removeGroupMember(GraphCall call, Group g) {
        String memberId = segment(call, 3);
        Optional<ObjectId> member = ObjectId.tryParse(memberId);
        if (member.isEmpty() || !g.members().contains(member.get())) {
            return GraphAnswer.notFound(memberId);
        }
        List<ObjectId> members = new ArrayList<>(g.members());
        members.remove(member.get());
        store.groups().save(call.tenant(), new Group(g.id(), g.displayName(), g.securityEnabled(), g.mailEnabled(), g.groupTypes(),
                members, g.additionalProperties()));
        return GraphAnswer.empty(204, Map.of());
    }

    private static GraphAnswer invalidGroupValue(String property) {
        return GraphAnswer.error(400, "Request_BadRequest", "Invalid value specified for property '" + property
                + "' of resource 'Group'.");
    }
}
