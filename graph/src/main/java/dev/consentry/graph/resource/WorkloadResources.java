package dev.consentry.graph.resource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.User;
import dev.consentry.core.workload.WorkloadItem;
import dev.consentry.core.workload.WorkloadItem.Kind;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Mail, calendar and files (Exchange and OneDrive data), for {@code /me/...} and {@code /users/{id}/...}: messages
 * (list, get, update, delete) and {@code sendMail}, events (list, get, create, delete), and the drive's root and its
 * children. Items live in the {@link dev.consentry.store.WorkloadStore}, seeded from the tenant file's users.
 *
 * <p>The authorization engine has already checked the permission and the owner's licence. {@code sendMail}
 * delivers a copy to each recipient of the tenant (matched by mail or user principal name, case-insensitive),
 * unread, in the inbox, and keeps one in the sender's sent items unless {@code saveToSentItems} is false;
 * addresses outside the tenant are accepted and go nowhere, as mail to the internet would.
 */
final class WorkloadResources {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Graph's default page of mail, events and drive items. */
    private static final int DEFAULT_PAGE = 10;

    /**
     * How Graph shows one kind: its path under a user, its type, its properties (all returned by default) and the
     * ones {@code $filter} accepts.
     */
    private record Facts(String path, String type, List<String> properties, Set<String> filterable) {}

    private static final Map<Kind, Facts> FACTS = Map.of(
            Kind.MESSAGE, new Facts("messages", "microsoft.graph.message",
                    List.of("id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "receivedDateTime",
                            "sentDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview", "importance",
                            "parentFolderId", "conversationId", "isDeliveryReceiptRequested", "isReadReceiptRequested",
                            "isRead", "isDraft", "webLink", "inferenceClassification", "body", "sender", "from",
                            "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "flag"),
                    Set.of("id", "subject", "isRead", "importance", "parentFolderId", "conversationId", "hasAttachments",
                            "isDraft")),
            Kind.EVENT, new Facts("events", "microsoft.graph.event",
                    List.of("id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories",
                            "originalStartTimeZone", "originalEndTimeZone", "iCalUId", "reminderMinutesBeforeStart",
                            "isReminderOn", "hasAttachments", "subject", "bodyPreview", "importance", "sensitivity",
                            "isAllDay", "isCancelled", "isOrganizer", "responseRequested", "seriesMasterId", "showAs", "type",
                            "webLink", "onlineMeetingUrl", "isOnlineMeeting", "onlineMeetingProvider",
                            "allowNewTimeProposals", "isDraft", "hideAttendees", "responseStatus", "body", "start", "end",
                            "location", "locations", "recurrence", "attendees", "organizer", "onlineMeeting"),
                    Set.of("id", "subject", "isAllDay", "isCancelled", "showAs", "type")),
            Kind.DRIVE_ITEM, new Facts("drive/root/children", "microsoft.graph.driveItem",
                    List.of("id", "name", "size", "createdDateTime", "lastModifiedDateTime", "webUrl", "eTag", "cTag",
                            "description", "file", "folder", "parentReference", "createdBy", "lastModifiedBy"),
                    Set.of("id", "name")));
    /** What a PATCH may change on a message (the rest is Exchange's). */
    private static final Set<String> MESSAGE_PATCHABLE = Set.of("isRead", "categories", "importance", "flag", "subject",
            "inferenceClassification");
    private final Store store;
    private final DirectoryRows rows;

    WorkloadResources(Store store, DirectoryRows rows) {
        this.store = store;
        this.rows = rows;
    }

    void declare(GraphRoutes routes) {
        for (String owner : List.of("/me", "/users/{id}")) {
            routes.on("GET", owner + "/messages", call -> owner(call, u -> list(call, u, Kind.MESSAGE)));
            routes.on("GET", owner + "/messages/{id}", call -> owner(call, u -> get(call, u, Kind.MESSAGE)));
            routes.on("PATCH", owner + "/messages/{id}", call -> owner(call, u -> updateMessage(call, u)));
            routes.on("DELETE", owner + "/messages/{id}", call -> owner(call, u -> delete(call, u, Kind.MESSAGE)));
            routes.on("POST", owner + "/sendmail", call -> owner(call, u -> sendMail(call, u)));
            routes.on("GET", owner + "/events", call -> owner(call, u -> list(call, u, Kind.EVENT)));
            routes.on("GET", owner + "/events/{id}", call -> owner(call, u -> get(call, u, Kind.EVENT)));
            routes.on("POST", owner + "/events", call -> owner(call, u -> createEvent(call, u)));
            routes.on("DELETE", owner + "/events/{id}", call -> owner(call, u -> delete(call, u, Kind.EVENT)));
            routes.on("GET", owner + "/drive/root", call -> owner(call, u -> driveRoot(call, u)));
            routes.on("GET", owner + "/drive/root/children", call -> owner(call, u -> list(call, u, Kind.DRIVE_ITEM)));
            routes.on("GET", owner + "/drive/items/{id}", call -> owner(call, u -> get(call, u, Kind.DRIVE_ITEM)));
        }
    }

    /** The mailbox or drive owner: the signed-in user for {@code /me}, else the user the path names. */
    private GraphAnswer owner(GraphCall call, java.util.function.Function<User, GraphAnswer> action) {
        return rows.subject(call).map(action).orElseGet(() -> GraphAnswer.error(404, "ErrorInvalidUser",
                "The requested user '" + DirectoryRows.subjectName(call) + "' is invalid."));
    }

    private static ODataQuery.Shape shape(User owner, Kind kind) {
        Facts f = FACTS.get(kind);
        return new ODataQuery.Shape("users('" + owner.id() + "')/" + f.path(), f.type(), f.properties(),
                Set.copyOf(f.properties()), f.filterable(), DEFAULT_PAGE);
    }

    private GraphAnswer list(GraphCall call, User owner, Kind kind) {
        List<Map<String, Object>> rows = store.workload().list(call.tenant(), owner.id(), kind).stream()
                .map(WorkloadResources::row).toList();
        return ODataQuery.collection(call, shape(owner, kind), rows);
    }

    private GraphAnswer get(GraphCall call, User owner, Kind kind) {
        String id = DirectoryRows.lastSegment(call);
        // A file is read at drive/items/{id}, and Graph's context names that path, not the children listing.
        ODataQuery.Shape shape = kind == Kind.DRIVE_ITEM
                ? DirectoryRows.under(shape(owner, kind), "users('" + owner.id() + "')/drive/items") : shape(owner, kind);
        return store.workload().find(call.tenant(), owner.id(), kind, id)
                .map(item -> ODataQuery.single(call, shape, row(item)))
                .orElseGet(() -> notFound(kind));
    }

    /**
     * An item as Graph answers it: its stored object, with {@code createdDateTime} and {@code lastModifiedDateTime}
     * taken from the item's own time when the tenant file gave none (Graph always returns both; the metadata does not
     * allow null for a drive item's).
     */
    private static Map<String, Object> row(WorkloadItem item) {
        Map<String, Object> body = item.body();
        if (body.get("createdDateTime") != null && body.get("lastModifiedDateTime") != null) {
            return body;
        }
        Map<String, Object> out = new LinkedHashMap<>(body);
        String created = out.get("createdDateTime") instanceof String s ? s : item.createdDateTime().toString();
        out.put("createdDateTime", created);
        if (out.get("lastModifiedDateTime") == null) {
            out.put("lastModifiedDateTime", created);
        }
        return out;
    }

    private GraphAnswer delete(GraphCall call, User owner, Kind kind) {
        return store.workload().delete(call.tenant(), owner.id(), kind, DirectoryRows.lastSegment(call))
                ? GraphAnswer.empty(204, Map.of()) : notFound(kind);
    }

    private GraphAnswer updateMessage(GraphCall call, User owner) {
        Optional<WorkloadItem> item = store.workload().find(call.tenant(), owner.id(), Kind.MESSAGE, DirectoryRows.lastSegment(call));
        if (item.isEmpty()) {
            return notFound(Kind.MESSAGE);
        }
        Optional<Map<String, Object>> changes = object(call);
        if (changes.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the message properties to change.");
        }
        Map<String, Object> body = new LinkedHashMap<>(item.get().body());
        for (Map.Entry<String, Object> e : changes.get().entrySet()) {
            if (e.getKey().startsWith("@odata.")) {
                continue;
            }
            if (!MESSAGE_PATCHABLE.contains(e.getKey())) {
                return GraphAnswer.error(400, "ErrorInvalidProperty", "The property '" + e.getKey()
                        + "' cannot be changed on a message (Consentry changes " + String.join(", ", MESSAGE_PATCHABLE) + ").");
            }
            // The value's JSON type was checked against the metadata before (BodyShape, Exchange's RequestBodyRead).
            body.put(e.getKey(), e.getValue());
        }
        body.put("lastModifiedDateTime", call.now().toString());
        WorkloadItem changed = new WorkloadItem(owner.id(), Kind.MESSAGE, item.get().id(), item.get().createdDateTime(), body);
        store.workload().saveAll(call.tenant(), List.of(changed));
        return ODataQuery.single(call, shape(owner, Kind.MESSAGE), changed.body());
    }

    private GraphAnswer sendMail(GraphCall call, User sender) {
        // Action parameters are case-insensitive: the Graph SDKs send "Message" and "SaveToSentItems".
        Optional<Map<String, Object>> request = object(call).map(WorkloadResources::lowerCaseKeys);
        if (request.isEmpty() || !(request.get().get("message") instanceof Map<?, ?> rawMessage)) {
            return GraphAnswer.error(400, "ErrorInvalidRequest", "The request body must be {\"message\": {...}, "
                    + "\"saveToSentItems\": true|false}.");
        }
        Map<String, Object> message = new LinkedHashMap<>();
        rawMessage.forEach((k, v) -> message.put(String.valueOf(k), v));
        List<String> addresses = new ArrayList<>();
        for (String field : List.of("toRecipients", "ccRecipients", "bccRecipients")) {
            Object list = message.get(field);
            if (list == null) {
                continue;
            }
            if (!(list instanceof List<?> recipients)) {
                return invalidRecipients();
            }
            for (Object r : recipients) {
                Object address = r instanceof Map<?, ?> m && m.get("emailAddress") instanceof Map<?, ?> e ? e.get("address") : null;
                if (!(address instanceof String a) || !a.contains("@")) {
                    return invalidRecipients();
                }
                addresses.add(a);
            }
        }
        if (addresses.isEmpty()) {
            return invalidRecipients();
        }
        String now = call.now().toString();
        Map<String, Object> from = Map.of("emailAddress", Map.of("name", String.valueOf(sender.displayName()),
                "address", sender.mail() != null ? sender.mail() : sender.userPrincipalName()));
        Object content = message.get("body") instanceof Map<?, ?> b ? b.get("content") : null;
        String preview = content == null ? "" : String.valueOf(content).replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        String conversation = UUID.randomUUID().toString();
        List<WorkloadItem> copies = new ArrayList<>();
        Set<String> delivered = new LinkedHashSet<>();
        for (String address : addresses) {
            Optional<User> to = store.users().list(call.tenant()).stream()
                    .filter(u -> address.equalsIgnoreCase(u.mail()) || address.equalsIgnoreCase(u.userPrincipalName())).findFirst();
            if (to.isPresent() && delivered.add(to.get().id().toString())) {
                copies.add(copy(to.get(), message, from, now, preview, conversation, "inbox", false, call));
            }
        }
        if (!Boolean.FALSE.equals(request.get().get("savetosentitems"))) {
            copies.add(copy(sender, message, from, now, preview, conversation, "sentitems", true, call));
        }
        store.workload().saveAll(call.tenant(), copies);
        return GraphAnswer.empty(202, Map.of());
    }

    private static WorkloadItem copy(User owner, Map<String, Object> message, Map<String, Object> from, String now,
                                     String preview, String conversation, String folder, boolean read, GraphCall call) {
        Map<String, Object> body = new LinkedHashMap<>(message);
        body.put("createdDateTime", now);
        body.put("lastModifiedDateTime", now);
        body.put("receivedDateTime", now);
        body.put("sentDateTime", now);
        body.put("hasAttachments", false);
        body.put("bodyPreview", preview.length() > 255 ? preview.substring(0, 255) : preview);
        body.putIfAbsent("importance", "normal");
        body.put("parentFolderId", folder);
        body.put("conversationId", conversation);
        body.put("isRead", read);
        body.put("isDraft", false);
        body.put("sender", from);
        body.put("from", from);
        return new WorkloadItem(owner.id(), Kind.MESSAGE, UUID.randomUUID().toString(), call.now(), body);
    }

    private GraphAnswer createEvent(GraphCall call, User owner) {
        Optional<Map<String, Object>> event = object(call);
        if (event.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object describing the event.");
        }
        for (String time : List.of("start", "end")) {
            if (!(event.get().get(time) instanceof Map<?, ?> m) || !(m.get("dateTime") instanceof String)
                    || !(m.get("timeZone") instanceof String)) {
                return GraphAnswer.error(400, "ErrorInvalidRequest", "The event needs '" + time
                        + "' as {\"dateTime\": \"2026-12-01T09:00:00\", \"timeZone\": \"UTC\"}.");
            }
        }
        Map<String, Object> body = new LinkedHashMap<>(event.get());
        body.keySet().removeIf(k -> k.startsWith("@odata."));
        String now = call.now().toString();
        body.put("createdDateTime", now);
        body.put("lastModifiedDateTime", now);
        body.putIfAbsent("isOrganizer", true);
        body.putIfAbsent("organizer", Map.of("emailAddress", Map.of("name", String.valueOf(owner.displayName()),
                "address", owner.mail() != null ? owner.mail() : owner.userPrincipalName())));
        WorkloadItem item = new WorkloadItem(owner.id(), Kind.EVENT, UUID.randomUUID().toString(), call.now(), body);
        store.workload().saveAll(call.tenant(), List.of(item));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", call.context("users('" + owner.id() + "')/events/$entity"));
        out.putAll(item.body());
        return GraphAnswer.json(201, out);
    }

    private GraphAnswer driveRoot(GraphCall call, User owner) {
        int children = store.workload().list(call.tenant(), owner.id(), Kind.DRIVE_ITEM).size();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", call.context("users('" + owner.id() + "')/drive/root/$entity"));
        out.put("id", "root-" + owner.id());
        out.put("name", "root");
        out.put("folder", Map.of("childCount", children));
        out.put("root", Map.of());
        return GraphAnswer.json(200, out);
    }

    private static Map<String, Object> lowerCaseKeys(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    private static GraphAnswer notFound(Kind kind) {
        return kind == Kind.DRIVE_ITEM ? GraphAnswer.error(404, "itemNotFound", "The resource could not be found.")
                : GraphAnswer.error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }

    private static GraphAnswer invalidRecipients() {
        return GraphAnswer.error(400, "ErrorInvalidRecipients", "At least one recipient is not valid., Recipient is "
                + "missing an email address or it is not a valid SMTP address.");
    }

    private static Optional<Map<String, Object>> object(GraphCall call) {
        return call.bodyObject().map(o -> JSON.convertValue(o, new TypeReference<Map<String, Object>>() {}));
    }
}
