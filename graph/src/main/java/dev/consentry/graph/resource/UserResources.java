package dev.consentry.graph.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.PasswordProfile;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.identity.user.UserSessions;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Graph's {@code user} resource over the directory store: {@code GET /me}, {@code GET /users} (with
 * {@link ODataQuery}), {@code GET|PATCH|DELETE /users/{id or userPrincipalName}}, {@code POST /users} and the
 * password method's {@code resetPassword} (the methods themselves are {@link AuthenticationMethodResources}).
 *
 * <p>Guaranteed: a created or changed user is stored before the answer; passwords are stored hashed and never
 * answered; a user principal name must use a verified domain of the tenant and be unique in it; a password
 * reset revokes the user's refresh tokens and ends their sign-in sessions, as Entra does.
 */
final class UserResources {
    static final ODataQuery.Shape SHAPE = new ODataQuery.Shape("users", "microsoft.graph.user",
            List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
                    "preferredLanguage", "surname", "userPrincipalName", "id"),
            Set.of("id", "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
                    "preferredLanguage", "surname", "userPrincipalName", "accountEnabled", "userType", "mailNickname",
                    "department", "companyName", "city", "country", "usageLocation", "createdDateTime",
                    "lastPasswordChangeDateTime", "assignedLicenses"),
            Set.of("id", "displayName", "givenName", "jobTitle", "mail", "surname", "userPrincipalName", "accountEnabled",
                    "userType", "mailNickname", "department", "companyName", "city", "country", "usageLocation"),
            100);
    /** Properties PATCH and POST may set, besides the ones with their own rules. */
    private static final Set<String> PLAIN = Set.of("givenName", "surname", "jobTitle", "mobilePhone", "officeLocation",
            "preferredLanguage", "mailNickname", "department", "companyName", "city", "country", "usageLocation",
            "businessPhones");
    private static final int MIN_PASSWORD = 8;
    private final Store store;
    private final UserSessions sessions;
    private final DirectoryRows rows;
    private final SecretHasher hasher;

    UserResources(Store store, DirectoryRows rows, SecretHasher hasher) {
        this.store = store;
        this.sessions = new UserSessions(store);
        this.rows = rows;
        this.hasher = hasher;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", "/me", call -> rows.withUser(call, u -> entity(call, u)));
        routes.on("GET", "/users", this::list);
        routes.on("POST", "/users", this::create);
        routes.on("GET", "/users/{id}", call -> rows.withUser(call, u -> entity(call, u)));
        routes.on("PATCH", "/users/{id}", call -> rows.withUser(call, u -> update(call, u)));
        routes.on("DELETE", "/users/{id}", call -> rows.withUser(call, u -> {
            store.users().delete(call.tenant(), u.id());
            sessions.revoke(call.tenant(), u.id(), call.now(), UserSessions.Reason.USER_DELETED);
            return GraphAnswer.empty(204, Map.of());
        }));
        // Only /users/{id}: Microsoft's permission data has no /me form of resetPassword, so the engine never matches one.
        routes.on("POST", "/users/{id}/authentication/methods/{id}/resetpassword", call -> rows.withUser(call, u -> resetPassword(call, u)));
    }

    private GraphAnswer list(GraphCall call) {
        return ODataQuery.collection(call, SHAPE, store.users().list(call.tenant()).stream()
                .sorted(Comparator.comparing(u -> u.id().toString())).map(UserResources::row).toList());
    }

    private GraphAnswer entity(GraphCall call, User u) {
        return ODataQuery.single(call, SHAPE, row(u));
    }

    /** Every property of a user by its Graph name (never the password). */
    static Map<String, Object> row(User u) {
        Map<String, Object> p = u.additionalProperties();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", u.id().toString());
        row.put("businessPhones", p.getOrDefault("businessPhones", List.of()));
        row.put("displayName", u.displayName());
        for (String name : List.of("givenName", "jobTitle")) {
            row.put(name, p.get(name));
        }
        row.put("mail", u.mail());
        for (String name : List.of("mobilePhone", "officeLocation", "preferredLanguage", "surname", "mailNickname",
                "department", "companyName", "city", "country", "usageLocation", "createdDateTime")) {
            row.put(name, p.get(name));
        }
        row.put("userPrincipalName", u.userPrincipalName());
        row.put("accountEnabled", u.enabled());
        row.put("userType", u.userType() == null ? "Member" : u.userType());
        row.put("lastPasswordChangeDateTime", u.lastPasswordChangeDateTime() == null ? null : u.lastPasswordChangeDateTime().toString());
        row.put("assignedLicenses", u.assignedLicenses().stream().map(l -> Map.of("skuId", l.skuId().toString(),
                "disabledPlans", l.disabledPlans().stream().map(UUID::toString).toList())).toList());
        return row;
    }

    private GraphAnswer create(GraphCall call) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object describing the user.");
        }
        ObjectNode b = body.get();
        for (String required : List.of("accountEnabled", "displayName", "mailNickname", "userPrincipalName")) {
            if (!b.hasNonNull(required) || (required.equals("accountEnabled") ? !b.get(required).isBoolean()
                    : !b.get(required).isTextual() || b.get(required).asText().isBlank())) {
                return invalidValue(required);
            }
        }
        String password = b.path("passwordProfile").path("password").asText(null);
        if (password == null || password.length() < MIN_PASSWORD) {
            return invalidValue("passwordProfile");
        }
        String upn = b.get("userPrincipalName").asText();
        Optional<GraphAnswer> upnProblem = checkUserPrincipalName(call, upn, null);
        if (upnProblem.isPresent()) {
            return upnProblem.get();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        Optional<GraphAnswer> plainProblem = copyPlain(b, extra);
        if (plainProblem.isPresent()) {
            return plainProblem.get();
        }
        extra.put("createdDateTime", call.now().toString());
        boolean force = b.path("passwordProfile").path("forceChangePasswordNextSignIn").asBoolean(true);
        User user = new User(ObjectId.random(), upn, b.get("displayName").asText(),
                b.hasNonNull("mail") ? b.get("mail").asText() : null, "Member", b.get("accountEnabled").asBoolean(),
                new PasswordProfile(null, hasher.hash(password), force), call.now(), List.of(), extra);
        store.users().save(call.tenant(), user);
        return GraphAnswer.created(call, "users", user.id(), ODataQuery.defaults(SHAPE).project(row(user)));
    }

    private GraphAnswer update(GraphCall call, User u) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the properties to change.");
        }
        ObjectNode b = body.get();
        String upn = u.userPrincipalName();
        if (b.has("userPrincipalName")) {
            if (!b.get("userPrincipalName").isTextual()) {
                return invalidValue("userPrincipalName");
            }
            upn = b.get("userPrincipalName").asText();
            Optional<GraphAnswer> problem = checkUserPrincipalName(call, upn, u.id());
            if (problem.isPresent()) {
                return problem.get();
            }
        }
        String displayName = u.displayName();
        if (b.has("displayName")) {
            if (!b.get("displayName").isTextual() || b.get("displayName").asText().isBlank()) {
                return invalidValue("displayName");
            }
            displayName = b.get("displayName").asText();
        }
        Boolean enabled = u.accountEnabled();
        if (b.has("accountEnabled")) {
            if (!b.get("accountEnabled").isBoolean()) {
                return invalidValue("accountEnabled");
            }
            enabled = b.get("accountEnabled").asBoolean();
        }
        String mail = u.mail();
        if (b.has("mail")) {
            mail = b.get("mail").isNull() ? null : b.get("mail").asText();
        }
        PasswordProfile profile = u.passwordProfile();
        Instant changed = u.lastPasswordChangeDateTime();
        if (b.has("passwordProfile")) {
            String password = b.path("passwordProfile").path("password").asText(null);
            if (password == null || password.length() < MIN_PASSWORD) {
                return invalidValue("passwordProfile");
            }
            profile = new PasswordProfile(null, hasher.hash(password),
                    b.path("passwordProfile").path("forceChangePasswordNextSignIn").asBoolean(false));
            changed = call.now();
        }
        Map<String, Object> extra = new LinkedHashMap<>(u.additionalProperties());
        Optional<GraphAnswer> plainProblem = copyPlain(b, extra);
        if (plainProblem.isPresent()) {
            return plainProblem.get();
        }
        for (var names = b.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.startsWith("@odata.") && !PLAIN.contains(name) && !Set.of("userPrincipalName", "displayName",
                    "accountEnabled", "mail", "passwordProfile").contains(name)) { // the SDKs send @odata.type
                return GraphAnswer.error(400, "BadRequest", "Property '" + name + "' does not exist on type 'microsoft.graph.user'"
                        + " or cannot be changed.");
            }
        }
        store.users().save(call.tenant(), new User(u.id(), upn, displayName, mail, u.userType(), enabled, profile, changed,
                u.assignedLicenses(), extra));
        if (Boolean.FALSE.equals(enabled) && u.enabled()) {
            sessions.revoke(call.tenant(), u.id(), call.now(), UserSessions.Reason.ACCOUNT_DISABLED);
        }
        return GraphAnswer.empty(204, Map.of());
    }

    private GraphAnswer resetPassword(GraphCall call, User u) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object, e.g. {\"newPassword\": \"...\"}.");
        }
        JsonNode newPassword = body.get().path("newPassword");
        if (!newPassword.isTextual() || newPassword.asText().length() < MIN_PASSWORD) {
            return GraphAnswer.error(400, "invalidRequest", "newPassword is required and must be at least " + MIN_PASSWORD
                    + " characters long.");
        }
        store.users().save(call.tenant(), new User(u.id(), u.userPrincipalName(), u.displayName(), u.mail(), u.userType(),
                u.accountEnabled(), new PasswordProfile(null, hasher.hash(newPassword.asText()), false), call.now(),
                u.assignedLicenses(), u.additionalProperties()));
        sessions.revoke(call.tenant(), u.id(), call.now(), UserSessions.Reason.PASSWORD_RESET);
        return GraphAnswer.empty(202, Map.of("Location", call.origin() + "/" + call.version() + "/users/" + u.id()
                + "/authentication/operations/" + UUID.randomUUID()));
    }

    private Optional<GraphAnswer> checkUserPrincipalName(GraphCall call, String upn, ObjectId self) {
        int at = upn.lastIndexOf('@');
        boolean verified = at > 0 && store.tenants().find(call.tenant()).map(t -> t.hasDomain(upn.substring(at + 1))).orElse(false);
        if (!verified) {
            return Optional.of(GraphAnswer.error(400, "Request_BadRequest", "The domain portion of the userPrincipalName "
                    + "property is invalid. You must use one of the verified domain names in your organization."));
        }
        Optional<User> existing = store.users().findByUserPrincipalName(call.tenant(), upn);
        if (existing.isPresent() && !existing.get().id().equals(self)) {
            return Optional.of(GraphAnswer.error(400, "Request_BadRequest",
                    "Another object with the same value for property userPrincipalName already exists."));
        }
        return Optional.empty();
    }

    private static Optional<GraphAnswer> copyPlain(ObjectNode b, Map<String, Object> into) {
        for (String name : PLAIN) {
            if (!b.has(name)) {
                continue;
            }
            JsonNode v = b.get(name);
            if (name.equals("businessPhones")) {
                if (!v.isArray()) {
                    return Optional.of(invalidValue(name));
                }
                List<String> phones = new ArrayList<>();
                v.forEach(x -> phones.add(x.asText()));
                into.put(name, phones);
            } else if (v.isNull()) {
                into.remove(name);
            } else if (v.isTextual()) {
                into.put(name, v.asText());
            } else {
                return Optional.of(invalidValue(name));
            }
        }
        return Optional.empty();
    }

    private static GraphAnswer invalidValue(String property) {
        return ApplicationResources.invalidValue(property, "User");
    }
}
