package dev.consentry.graph.resource;

import static dev.consentry.graph.resource.DirectoryRows.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.core.directory.KeyCredential;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RedirectUriRules;
import dev.consentry.core.directory.RedirectUris;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.permission.GraphPath;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.graph.authz.ApplicationAdministrators;
import dev.consentry.graph.authz.PermissionChecks;
import dev.consentry.store.ApplicationStore;
import dev.consentry.store.Store;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph's app-management writes for {@code application} and {@code servicePrincipal}: create, update and delete
 * each, read either by its {@code appId} ({@code /applications(appId='...')}), an application's client secrets
 * ({@code addPassword}, {@code removePassword}) and the certificates of both ({@code keyCredentials} on create and
 * update of an application, {@code addKey} and {@code removeKey} with a proof of possession). Reads by object id and
 * lists are {@link DirectoryResources}'.
 *
 * <p>Guaranteed: a refused call changes nothing; a client secret is answered once, by {@code addPassword}, and
 * stored only hashed with its three-character hint; an application's {@code appId} and identifier URIs, and a service
 * principal's {@code appId}, are unique in the tenant; the home service principal follows its application's name, app
 * roles, delegated permissions and identifier URIs; an app holding {@code Application.ReadWrite.OwnedBy} and a
 * signed-in user without an application administrator role own what they create; deleting an application deletes its
 * service principal in the same tenant
 * (Entra's "Deleting and recovering applications FAQs": deleting the application object deletes the home tenant's
 * service principal too), with the app role assignments and delegated grants that principal held.
 *
 * <pre>{@code
 * curl -X POST https://localhost:8443/v1.0/applications -H "Authorization: Bearer $TOKEN" \
 *      -H "Content-Type: application/json" -d '{"displayName":"Contoso daemon"}'
 * curl -X POST https://localhost:8443/v1.0/applications/$ID/addPassword -H "Authorization: Bearer $TOKEN" \
 *      -H "Content-Type: application/json" -d '{"passwordCredential":{"displayName":"ci"}}'
 * curl -X POST https://localhost:8443/v1.0/servicePrincipals -H "Authorization: Bearer $TOKEN" \
 *      -H "Content-Type: application/json" -d '{"appId":"'$APP_ID'"}'
 * curl -X POST https://localhost:8443/v1.0/applications/$ID/removeKey -H "Authorization: Bearer $TOKEN" \
 *      -H "Content-Type: application/json" -d '{"keyId":"'$KEY_ID'","proof":"'$PROOF'"}'
 * }</pre>
 */
final class ApplicationResources {
    private static final Logger LOG = LoggerFactory.getLogger("consentry.graph");
    /** {@code signInAudience} values Graph's v1.0 {@code application} accepts. */
    private static final Set<String> AUDIENCES = Set.of("AzureADMyOrg", "AzureADMultipleOrgs",
            "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount");
    /** Properties POST and PATCH of an application read; anything else is refused rather than silently dropped. */
    private static final Set<String> APPLICATION_PROPERTIES = Set.of("displayName", "signInAudience", "identifierUris",
            "requiredResourceAccess", "web", "spa", "publicClient", "appRoles", "api", "isFallbackPublicClient",
            "keyCredentials");
    /**
     * How long a secret lives when the caller names no end: two years from its start (Graph's application: addPassword,
     * https://learn.microsoft.com/graph/api/application-addpassword, "The default value is startDateTime + 2 years").
     */
    private static final int DEFAULT_SECRET_YEARS = 2;
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-";
    private static final int SECRET_LENGTH = 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final SecretHasher hasher;

    ApplicationResources(Store store, SecretHasher hasher) {
        this.store = store;
        this.hasher = hasher;
    }

    void declare(GraphRoutes routes) {
        routes.on("POST", "/applications", this::createApplication);
        routes.on("GET", "/applications(appid={value})",
                call -> withApplication(call, a -> ODataQuery.single(call, APPLICATIONS, application(a))));
        for (String app : List.of("/applications/{id}", "/applications(appid={value})")) {
            routes.on("PATCH", app, call -> withApplication(call, a -> updateApplication(call, a)));
            routes.on("DELETE", app, call -> withApplication(call, a -> deleteApplication(call, a)));
            routes.on("POST", app + "/addpassword", call -> withApplication(call, a -> addPassword(call, a)));
            routes.on("POST", app + "/removepassword", call -> withApplication(call, a -> removePassword(call, a)));
            routes.on("POST", app + "/addkey", call -> withApplication(call, a -> addKey(call, holder(call, a))));
            routes.on("POST", app + "/removekey", call -> withApplication(call, a -> removeKey(call, holder(call, a))));
        }
        routes.on("POST", "/serviceprincipals", this::createServicePrincipal);
        routes.on("GET", "/serviceprincipals(appid={value})",
                call -> withServicePrincipal(call, sp -> ODataQuery.single(call, SERVICE_PRINCIPALS, servicePrincipal(sp))));
        for (String sp : List.of("/serviceprincipals/{id}", "/serviceprincipals(appid={value})")) {
            routes.on("POST", sp + "/addkey", call -> withServicePrincipal(call, s -> addKey(call, holder(call, s))));
            routes.on("POST", sp + "/removekey", call -> withServicePrincipal(call, s -> removeKey(call, holder(call, s))));
            routes.on("PATCH", sp, call -> withServicePrincipal(call, s -> updateServicePrincipal(call, s)));
            routes.on("DELETE", sp, call -> withServicePrincipal(call, s -> {
                deleteServicePrincipal(call.tenant(), s);
                return GraphAnswer.empty(204, Map.of());
            }));
        }
    }

    /** {@code action} on the application the path names by object id or by {@code appId}, or 404 naming it. */
    private GraphAnswer withApplication(GraphCall call, Function<Application, GraphAnswer> action) {
        return withApplication(store, call, action);
    }

    private GraphAnswer withServicePrincipal(GraphCall call, Function<ServicePrincipal, GraphAnswer> action) {
        return withServicePrincipal(store, call, action);
    }

    /** {@code action} on the application the path names ({@link GraphPath#namedApp}), or 404 naming it. */
    static GraphAnswer withApplication(Store store, GraphCall call, Function<Application, GraphAnswer> action) {
        Optional<GraphPath.NamedApp> named = GraphPath.parse(call.path()).namedApp().filter(n -> !n.servicePrincipal());
        String key = named.map(GraphPath.NamedApp::key).orElse("");
        Optional<Application> app = named.flatMap(n -> n.byAppId()
                ? AppId.tryParse(n.key()).flatMap(id -> store.applications().findByAppId(call.tenant(), id))
                : ObjectId.tryParse(n.key()).flatMap(id -> store.applications().find(call.tenant(), id)));
        return app.map(action).orElseGet(() -> GraphAnswer.notFound(key));
    }

    /** {@code action} on the service principal the path names ({@link GraphPath#namedApp}), or 404 naming it. */
    static GraphAnswer withServicePrincipal(Store store, GraphCall call, Function<ServicePrincipal, GraphAnswer> action) {
        Optional<GraphPath.NamedApp> named = GraphPath.parse(call.path()).namedApp().filter(GraphPath.NamedApp::servicePrincipal);
        String key = named.map(GraphPath.NamedApp::key).orElse("");
        Optional<ServicePrincipal> sp = named.flatMap(n -> n.byAppId()
                ? AppId.tryParse(n.key()).flatMap(id -> store.servicePrincipals().findByAppId(call.tenant(), id))
                : ObjectId.tryParse(n.key()).flatMap(id -> store.servicePrincipals().find(call.tenant(), id)));
        return sp.map(action).orElseGet(() -> GraphAnswer.notFound(key));
    }

    /**
     * {@code POST /applications} (https://learn.microsoft.com/graph/api/application-post-applications): only
     * {@code displayName} is required; Entra makes the object id and the {@code appId}. Answers 201 with the
     * application and its {@code Location}.
     */
    private GraphAnswer createApplication(GraphCall call) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object describing the application.");
        }
        if (!body.get().path("displayName").isTextual() || body.get().get("displayName").asText().isBlank()) {
            return invalidValue("displayName", "Application");
        }
        Application blank = new Application(ObjectId.random(), AppId.random(), null, null, null, null, null, null, null, null,
                null, null, null, null, creators(call), Map.of("createdDateTime", call.now().toString()));
        try {
            Application app = applyApplication(body.get(), blank);
            requireUniqueIdentifierUris(call, app);
            store.applications().save(call.tenant(), app);
            Audits.record(store, call, "Add application", "Add", app.id().toString(), app.displayName(), "Application");
            return GraphAnswer.created(call, "applications", app.id(), application(app));
        } catch (Refusal r) {
            return r.answer;
        }
    }

    /**
     * Who becomes the owner of what {@code call} creates: an app holding {@code Application.ReadWrite.OwnedBy}, which
     * "create[s] other applications, and fully manage[s] those applications"
     * (https://learn.microsoft.com/graph/permissions-reference#applicationreadwriteownedby), through its service
     * principal; and a signed-in user without an application administrator role ({@link ApplicationAdministrators}).
     * Nobody else (an app with Application.ReadWrite.All, an administrator).
     */
    private List<ObjectId> creators(GraphCall call) {
        if (call.caller().isPresent()) {
            List<String> roles = store.roleAssignments().listByPrincipal(call.tenant(), call.caller().get()).stream()
                    .filter(r -> "/".equals(r.directoryScopeId())).map(r -> r.roleDefinitionId()).toList();
            return ApplicationAdministrators.anyOf(roles) ? List.of() : List.of(call.caller().get());
        }
        return PermissionChecks.OWNED_BY.equals(call.permission()) ? callerPrincipal(call).stream().toList() : List.of();
    }

    /** The service principal of the token's client in the call's tenant. */
    private Optional<ObjectId> callerPrincipal(GraphCall call) {
        return call.clientId().flatMap(AppId::tryParse).flatMap(id -> store.servicePrincipals().findByAppId(call.tenant(), id))
                .map(ServicePrincipal::id);
    }

    /** {@code PATCH /applications/{id}}: the same properties as create; 204 on success. */
    private GraphAnswer updateApplication(GraphCall call, Application a) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the properties to change.");
        }
        try {
            Application changed = applyApplication(body.get(), a);
            requireUniqueIdentifierUris(call, changed);
            store.applications().save(call.tenant(), changed);
            Audits.record(store, call, "Update application", "Update", changed.id().toString(), changed.displayName(),
                    "Application", Audits.changed("RequiredResourceAccess", a.requiredResourceAccess(),
                            changed.requiredResourceAccess()));
            mirrorOnServicePrincipal(call, changed);
            return GraphAnswer.empty(204, Map.of());
        } catch (Refusal r) {
            return r.answer;
        }
    }

    /**
     * Refuses an identifier URI another application of the tenant already has (compared as Entra compares them, any
     * case), with Graph's 400 for a duplicate key value: a token request names its resource by that URI.
     */
    private void requireUniqueIdentifierUris(GraphCall call, Application app) {
        Set<String> mine = new java.util.HashSet<>();
        app.identifierUris().forEach(u -> mine.add(u.toLowerCase(Locale.ROOT)));
        for (Application other : store.applications().list(call.tenant())) {
            if (!other.id().equals(app.id())
                    && other.identifierUris().stream().anyMatch(u -> mine.contains(u.toLowerCase(Locale.ROOT)))) {
                throw new Refusal(GraphAnswer.error(400, "Request_BadRequest",
                        "Another object with the same value for property identifierUris already exists."));
            }
        }
    }

    /**
     * The home service principal shows its application's name, app roles, delegated permissions and identifier URIs,
     * as Entra keeps them in step; a change to the registration is thus a change of what the resource defines.
     */
    private void mirrorOnServicePrincipal(GraphCall call, Application app) {
        store.servicePrincipals().findByAppId(call.tenant(), app.appId()).ifPresent(sp -> {
            List<String> names = new ArrayList<>();
            names.add(app.appId().toString());
            names.addAll(app.identifierUris());
            store.servicePrincipals().save(call.tenant(), new ServicePrincipal(sp.id(), sp.appId(), app.displayName(),
                    sp.accountEnabled(), sp.servicePrincipalType(), sp.appOwnerOrganizationId(), sp.appRoleAssignmentRequired(),
                    names, app.appRoles(), app.api().oauth2PermissionScopes(), sp.keyCredentials(), sp.owners(),
                    sp.additionalProperties()));
        });
    }

    private GraphAnswer deleteApplication(GraphCall call, Application a) {
        store.servicePrincipals().findByAppId(call.tenant(), a.appId()).ifPresent(sp -> deleteServicePrincipal(call.tenant(), sp));
        store.applications().delete(call.tenant(), a.id());
        Audits.record(store, call, "Delete application", "Delete", a.id().toString(), a.displayName(), "Application");
        return GraphAnswer.empty(204, Map.of());
    }

    /** {@code base} with every property of {@code b} applied; a property of the wrong type or unknown is refused. */
    private static Application applyApplication(ObjectNode b, Application base) {
        for (var names = b.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.startsWith("@odata.") && !APPLICATION_PROPERTIES.contains(name)) { // the SDKs send @odata.type
                throw new Refusal(GraphAnswer.error(400, "BadRequest", "Property '" + name
                        + "' does not exist on type 'microsoft.graph.application' or cannot be changed."));
            }
        }
        String displayName = base.displayName();
        if (b.has("displayName")) {
            if (!b.get("displayName").isTextual() || b.get("displayName").asText().isBlank()) {
                throw new Refusal(invalidValue("displayName", "Application"));
            }
            displayName = b.get("displayName").asText();
        }
        String audience = base.signInAudience();
        if (b.has("signInAudience")) {
            if (!b.get("signInAudience").isTextual() || !AUDIENCES.contains(b.get("signInAudience").asText())) {
                throw new Refusal(invalidValue("signInAudience", "Application"));
            }
            audience = b.get("signInAudience").asText();
        }
        List<String> identifierUris = b.has("identifierUris") ? strings(b.get("identifierUris"), "identifierUris")
                : base.identifierUris();
        List<RequiredResourceAccess> access = b.has("requiredResourceAccess")
                ? requiredResourceAccess(b.get("requiredResourceAccess")) : base.requiredResourceAccess();
        RedirectUris web = b.has("web") ? platform(b.get("web"), "web", base.web()) : base.web();
        RedirectUris spa = b.has("spa") ? platform(b.get("spa"), "spa", base.spa()) : base.spa();
        RedirectUris publicClient = b.has("publicClient") ? platform(b.get("publicClient"), "publicClient",
                base.publicClient()) : base.publicClient();
        List<AppRole> appRoles = b.has("appRoles") ? list(b.get("appRoles"), "appRoles", AppRole.class) : base.appRoles();
        ApiApplication api = b.has("api") ? api(b.get("api"), base.api()) : base.api();
        Boolean fallback = base.isFallbackPublicClient();
        if (b.has("isFallbackPublicClient")) {
            JsonNode v = b.get("isFallbackPublicClient");
            if (!v.isBoolean() && !v.isNull()) {
                throw new Refusal(invalidValue("isFallbackPublicClient", "Application"));
            }
            fallback = v.isNull() ? null : v.asBoolean();
        }
        List<KeyCredential> certificates = b.has("keyCredentials") ? keyCredentials(b.get("keyCredentials"), base)
                : base.keyCredentials();
        return new Application(base.id(), base.appId(), displayName, audience, identifierUris, api, appRoles,
                base.passwordCredentials(), certificates, access, web, spa, publicClient, fallback, base.owners(),
                base.additionalProperties());
    }

    /**
     * {@code keyCredentials} of a create or an update, which replaces the application's certificates with the list
     * ("Add a certificate to an app using Microsoft Graph", https://learn.microsoft.com/graph/applications-how-to-add-certificate:
     * {@code type} {@code AsymmetricX509Cert}, {@code usage} {@code Verify}, {@code key} the base64 DER certificate,
     * {@code customKeyIdentifier} its thumbprint). The way for an application without a valid certificate to get one,
     * as {@code addKey} needs an existing one. An entry without {@code key} keeps the application's certificate of that
     * {@code keyId}, as a read shows each one without its key; any other entry without a certificate is refused.
     */
    private static List<KeyCredential> keyCredentials(JsonNode v, Application base) {
        if (!v.isArray()) {
            throw new Refusal(invalidValue("keyCredentials", "Application"));
        }
        List<KeyCredential> out = new ArrayList<>();
        Set<UUID> ids = new java.util.HashSet<>();
        for (JsonNode item : v) {
            if (!item.isObject()) {
                throw new Refusal(invalidValue("keyCredentials", "Application"));
            }
            Optional<UUID> keyId = item.hasNonNull("keyId") ? uuid(item.get("keyId").asText("")) : Optional.of(UUID.randomUUID());
            if (keyId.isEmpty() || !ids.add(keyId.get())) {
                throw new Refusal(invalidValue("keyCredentials", "Application"));
            }
            if (!item.hasNonNull("key")) {
                out.add(base.keyCredentials().stream().filter(k -> k.keyId().equals(keyId.get())).findFirst()
                        .orElseThrow(() -> new Refusal(invalidValue("keyCredentials", "Application"))));
                continue;
            }
            KeyCredential read;
            try {
                ObjectNode copy = item.deepCopy();
                copy.put("keyId", keyId.get().toString());
                copy.remove(copy.properties().stream().map(Map.Entry::getKey).filter(n -> n.startsWith("@odata.")).toList());
                read = DirectoryJson.mapper().treeToValue(copy, KeyCredential.class);
                read = read.describedByCertificate();
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                throw new Refusal(invalidValue("keyCredentials", "Application"));
            }
            if (!read.type().equals("AsymmetricX509Cert") || !read.verifies()) {
                throw new Refusal(invalidValue("keyCredentials", "Application")); // a Sign key comes with addKey only
            }
            out.add(read);
        }
        return out;
    }

    private static List<String> strings(JsonNode v, String property) {
        if (!v.isArray()) {
            throw new Refusal(invalidValue(property, "Application"));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new Refusal(invalidValue(property, "Application"));
            }
            out.add(item.asText());
        }
        return out;
    }

    private static List<RequiredResourceAccess> requiredResourceAccess(JsonNode v) {
        if (!v.isArray()) {
            throw new Refusal(invalidValue("requiredResourceAccess", "Application"));
        }
        List<RequiredResourceAccess> out = new ArrayList<>();
        for (JsonNode r : v) {
            if (!r.path("resourceAppId").isTextual() || uuid(r.get("resourceAppId").asText()).isEmpty()
                    || !r.path("resourceAccess").isArray()) {
                throw new Refusal(invalidValue("requiredResourceAccess", "Application"));
            }
            List<RequiredResourceAccess.ResourceAccess> entries = new ArrayList<>();
            for (JsonNode x : r.get("resourceAccess")) {
                Optional<UUID> id = uuid(x.path("id").asText(""));
                String type = x.path("type").asText("");
                if (id.isEmpty() || !(type.equals("Scope") || type.equals("Role"))) {
                    throw new Refusal(invalidValue("requiredResourceAccess", "Application"));
                }
                entries.add(new RequiredResourceAccess.ResourceAccess(id.get(), type));
            }
            out.add(new RequiredResourceAccess(r.get("resourceAppId").asText().toLowerCase(Locale.ROOT), entries));
        }
        return out;
    }

    /** A platform section: its {@code redirectUris} replace the old ones; a missing list keeps them. */
    private static RedirectUris platform(JsonNode v, String property, RedirectUris base) {
        if (v.isNull()) {
            return RedirectUris.NONE;
        }
        if (!v.isObject()) {
            throw new Refusal(invalidValue(property, "Application"));
        }
        List<String> uris = v.has("redirectUris") ? strings(v.get("redirectUris"), property) : base.redirectUris();
        RedirectUriRules.Platform platform = Arrays.stream(RedirectUriRules.Platform.values())
                .filter(p -> p.property().equals(property)).findFirst().orElseThrow();
        if (uris.stream().anyMatch(u -> RedirectUriRules.problem(platform, u).isPresent())) {
            // Graph's answer to a redirect URI the application model refuses (seen for web, 2025-02-20:
            // microsoftgraph/msgraph-sdk-powershell#3149): the platform's property, not the URI.
            throw new Refusal(invalidValue(property, "Application"));
        }
        String logout = base.logoutUrl();
        if (v.has("logoutUrl")) {
            if (!v.get("logoutUrl").isTextual() && !v.get("logoutUrl").isNull()) {
                throw new Refusal(invalidValue(property, "Application"));
            }
            logout = v.get("logoutUrl").isNull() ? null : v.get("logoutUrl").asText();
        }
        return new RedirectUris(uris, logout, others(v, base.additionalProperties(), Set.of("redirectUris", "logoutUrl")));
    }

    /**
     * {@code kept} with the properties of {@code v} Consentry does not read ({@code implicitGrantSettings},
     * {@code preAuthorizedApplications}, ...) set over it, so that what a caller sends is kept as the tenant file keeps it.
     */
    private static Map<String, Object> others(JsonNode v, Map<String, Object> kept, Set<String> read) {
        Map<String, Object> out = new LinkedHashMap<>(kept);
        for (var fields = v.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (!read.contains(field.getKey()) && !field.getKey().startsWith("@odata.")) {
                out.put(field.getKey(), DirectoryJson.mapper().convertValue(field.getValue(), Object.class));
            }
        }
        return out;
    }

    private static ApiApplication api(JsonNode v, ApiApplication base) {
        if (!v.isObject()) {
            throw new Refusal(invalidValue("api", "Application"));
        }
        Integer version = base.requestedAccessTokenVersion();
        if (v.has("requestedAccessTokenVersion")) {
            JsonNode n = v.get("requestedAccessTokenVersion");
            if (!(n.isNull() || n.isInt() && (n.asInt() == 1 || n.asInt() == 2))) {
                throw new Refusal(invalidValue("api", "Application"));
            }
            version = n.isNull() ? null : n.asInt();
        }
        List<PermissionScope> scopes = v.has("oauth2PermissionScopes")
                ? list(v.get("oauth2PermissionScopes"), "api", PermissionScope.class) : base.oauth2PermissionScopes();
        return new ApiApplication(version, scopes, others(v, base.additionalProperties(),
                Set.of("requestedAccessTokenVersion", "oauth2PermissionScopes")));
    }

    /** A list of directory values ({@code appRole}, {@code permissionScope}), each needing an {@code id} and a {@code value}. */
    private static <T> List<T> list(JsonNode v, String property, Class<T> type) {
        if (!v.isArray()) {
            throw new Refusal(invalidValue(property, "Application"));
        }
        List<T> out = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (JsonNode item : v) {
            if (!item.isObject() || uuid(item.path("id").asText("")).isEmpty() || !item.path("value").isTextual()
                    || !ids.add(item.get("id").asText().toLowerCase(Locale.ROOT))) {
                throw new Refusal(invalidValue(property, "Application"));
            }
            try {
                out.add(DirectoryJson.mapper().treeToValue(item, type));
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                throw new Refusal(invalidValue(property, "Application"));
            }
        }
        return out;
    }

    /**
     * {@code POST /applications/{id}/addPassword} (https://learn.microsoft.com/graph/api/application-addpassword): an
     * optional {@code passwordCredential} with {@code displayName}, {@code startDateTime} (default now) and
     * {@code endDateTime} (default two years after the start). Answers 200 with the new {@code passwordCredential},
     * whose {@code secretText} is the only time the secret is shown.
     */
    private GraphAnswer addPassword(GraphCall call, Application a) {
        ObjectNode b;
        if (call.body().length == 0) {
            b = DirectoryJson.mapper().createObjectNode();
        } else {
            Optional<ObjectNode> body = call.bodyObject();
            if (body.isEmpty()) {
                return GraphAnswer.badBody("The request body must be a JSON object, e.g. {\"passwordCredential\": "
                        + "{\"displayName\": \"...\"}}.");
            }
            b = body.get();
        }
        JsonNode requested = b.path("passwordCredential");
        if (!requested.isMissingNode() && !requested.isNull() && !requested.isObject()) {
            return invalidValue("passwordCredential", "PasswordCredential");
        }
        String displayName = null;
        if (requested.has("displayName") && !requested.get("displayName").isNull()) {
            if (!requested.get("displayName").isTextual()) {
                return invalidValue("displayName", "PasswordCredential");
            }
            displayName = requested.get("displayName").asText();
        }
        Optional<Instant> start = instant(requested, "startDateTime");
        Optional<Instant> end = instant(requested, "endDateTime");
        if (start == null || end == null) {
            return invalidValue(start == null ? "startDateTime" : "endDateTime", "PasswordCredential");
        }
        Instant from = start.orElse(call.now());
        Instant until = end.orElseGet(() -> from.atOffset(ZoneOffset.UTC).plusYears(DEFAULT_SECRET_YEARS).toInstant());
        if (!until.isAfter(from)) {
            return GraphAnswer.error(400, "Request_BadRequest", "The endDateTime of the password credential must be later "
                    + "than its startDateTime.");
        }
        String secret = newSecret();
        PasswordCredential credential = new PasswordCredential(UUID.randomUUID(), displayName, SecretHasher.hintOf(secret),
                null, hasher.hash(secret), from, until, null);
        List<PasswordCredential> secrets = new ArrayList<>(a.passwordCredentials());
        secrets.add(credential);
        store.applications().save(call.tenant(), a.withCredentials(secrets, a.keyCredentials()));
        Audits.record(store, call, "Update application – Certificates and secrets management", "Update", a.id().toString(),
                a.displayName(), "Application", Audits.changed("KeyDescription", null, "keyId " + credential.keyId()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", call.context("microsoft.graph.passwordCredential"));
        out.putAll(passwordCredential(credential));
        out.put("secretText", secret);
        return GraphAnswer.json(200, out);
    }

    /** {@code POST /applications/{id}/removePassword} with {@code {"keyId": "..."}}; 204 once it is gone. */
    private GraphAnswer removePassword(GraphCall call, Application a) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object, e.g. {\"keyId\": \"...\"}.");
        }
        Optional<UUID> keyId = uuid(body.get().path("keyId").asText(""));
        if (keyId.isEmpty()) {
            return invalidValue("keyId", "PasswordCredential");
        }
        List<PasswordCredential> secrets = new ArrayList<>(a.passwordCredentials());
        if (!secrets.removeIf(c -> c.keyId().equals(keyId.get()))) {
            return GraphAnswer.error(400, "Request_BadRequest", "No password credential with keyId '" + keyId.get()
                    + "' exists on the application.");
        }
        store.applications().save(call.tenant(), a.withCredentials(secrets, a.keyCredentials()));
        Audits.record(store, call, "Update application – Certificates and secrets management", "Update", a.id().toString(),
                a.displayName(), "Application", Audits.changed("KeyDescription", "keyId " + keyId.get(), null));
        return GraphAnswer.empty(204, Map.of());
    }

    /**
     * An application or a service principal as {@code addKey} and {@code removeKey} see it: its object id (the proof's
     * {@code iss}), its certificates, how to store new ones, and its audit log entries.
     *
     * @param type Graph's type name in the audit log: {@code Application} or {@code ServicePrincipal}
     */
    private record KeyHolder(ObjectId id, String displayName, String type, List<KeyCredential> keys,
                             Consumer<List<KeyCredential>> save, String addActivity, String removeActivity) {}

    private KeyHolder holder(GraphCall call, Application a) {
        // Entra logs a certificate added to or removed from an application as it logs a secret.
        return new KeyHolder(a.id(), a.displayName(), "Application", a.keyCredentials(),
                keys -> store.applications().save(call.tenant(), a.withCredentials(a.passwordCredentials(), keys)),
                "Update application – Certificates and secrets management",
                "Update application – Certificates and secrets management");
    }

    private KeyHolder holder(GraphCall call, ServicePrincipal sp) {
        // Entra's activity names for a service principal's credentials (audit log activity reference,
        // https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities).
        return new KeyHolder(sp.id(), sp.displayName(), "ServicePrincipal", sp.keyCredentials(),
                keys -> store.servicePrincipals().save(call.tenant(), sp.withKeyCredentials(keys)),
                "Add service principal credentials", "Remove service principal credentials");
    }

    /**
     * {@code POST /applications/{id}/addKey} and {@code /servicePrincipals/{id}/addKey}
     * (https://learn.microsoft.com/graph/api/application-addkey, .../serviceprincipal-addkey): {@code keyCredential}
     * with {@code type}, {@code usage} and {@code key} (base64 DER certificate) required, {@code type}
     * {@code AsymmetricX509Cert} with {@code usage} {@code Verify}, or {@code X509CertAndPassword} with {@code Sign}
     * and the key's password in {@code passwordCredential.secretText}; and {@code proof}, a JWT signed with one of the
     * object's existing certificates ({@link ProofOfPossession}). Answers 200 with the new {@code keyCredential},
     * without its {@code key}.
     *
     * <p>Refusals: a body of the wrong shape, 400; no proof, 403 {@code Authorization_RequestDenied}, as Graph answers
     * {@code Add-MgApplicationKey} without {@code -Proof} (microsoftgraph/msgraph-sdk-powershell issue 779); a proof
     * that does not hold, for any reason (wrong {@code aud}, {@code iss} or signer, expired, or an object with no valid
     * certificate, which must use PATCH {@code keyCredentials} instead), 401 {@code Authentication_MissingOrMalformed}
     * "Access Token missing or malformed.", as Graph answers it (microsoft-graph-docs-contrib issues 2862 and 1076, the
     * latter a proof with the wrong {@code aud}; the proof page names the code for a padded proof). The exact reason
     * is logged, not answered. Of a Sign key Consentry keeps the certificate, never the private key or its password.
     *
     * <pre>{@code
     * curl -X POST https://localhost:8443/v1.0/applications/$ID/addKey -H "Authorization: Bearer $TOKEN" \
     *      -H "Content-Type: application/json" -d '{"keyCredential": {"type": "AsymmetricX509Cert", "usage": "Verify",
     *      "key": "MIIC..."}, "passwordCredential": null, "proof": "eyJ..."}'
     * }</pre>
     */
    private GraphAnswer addKey(GraphCall call, KeyHolder holder) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with keyCredential, passwordCredential and "
                    + "proof.");
        }
        JsonNode requested = body.get().path("keyCredential");
        if (!requested.isObject()) {
            return invalidValue("keyCredential", "KeyCredential");
        }
        String type = requested.path("type").asText("");
        String usage = requested.path("usage").asText("");
        boolean signing;
        if (type.equalsIgnoreCase("AsymmetricX509Cert") && usage.equalsIgnoreCase(KeyCredential.VERIFY)) {
            signing = false;
        } else if (type.equalsIgnoreCase("X509CertAndPassword") && usage.equalsIgnoreCase("Sign")) {
            signing = true;
        } else {
            return invalidValue(type.equalsIgnoreCase("AsymmetricX509Cert") || type.equalsIgnoreCase("X509CertAndPassword")
                    ? "usage" : "type", "KeyCredential");
        }
        JsonNode password = body.get().path("passwordCredential");
        if (signing && !password.path("secretText").isTextual()) {
            return invalidValue("passwordCredential", "PasswordCredential");
        }
        if (!signing && !password.isMissingNode() && !password.isNull()) {
            return invalidValue("passwordCredential", "PasswordCredential"); // "Set it to null otherwise"
        }
        if (!requested.path("key").isTextual()) {
            return invalidValue("key", "KeyCredential");
        }
        Optional<X509Certificate> certificate = certificate(requested.get("key").asText(),
                signing ? password.get("secretText").asText().toCharArray() : null);
        if (certificate.isEmpty()) {
            return invalidValue("key", "KeyCredential");
        }
        String displayName = null;
        if (requested.has("displayName") && !requested.get("displayName").isNull()) {
            if (!requested.get("displayName").isTextual()) {
                return invalidValue("displayName", "KeyCredential");
            }
            displayName = requested.get("displayName").asText();
        }
        Optional<Instant> start = instant(requested, "startDateTime");
        Optional<Instant> end = instant(requested, "endDateTime");
        if (start == null || end == null) {
            return invalidValue(start == null ? "startDateTime" : "endDateTime", "KeyCredential");
        }
        Optional<GraphAnswer> unproven = unproven(call, holder, body.get().path("proof"));
        if (unproven.isPresent()) {
            return unproven.get();
        }
        KeyCredential added;
        try {
            added = new KeyCredential(UUID.randomUUID(), displayName, signing ? "X509CertAndPassword" : "AsymmetricX509Cert",
                    signing ? "Sign" : KeyCredential.VERIFY, Base64.getEncoder().encodeToString(certificate.get().getEncoded()),
                    null, start.orElse(null), end.orElse(null), null).describedByCertificate();
        } catch (java.security.cert.CertificateEncodingException e) {
            return invalidValue("key", "KeyCredential");
        }
        if (!added.endDateTime().isAfter(added.startDateTime())) {
            return GraphAnswer.error(400, "Request_BadRequest", "The endDateTime of the key credential must be later than "
                    + "its startDateTime.");
        }
        List<KeyCredential> keys = new ArrayList<>(holder.keys());
        keys.add(added);
        holder.save().accept(keys);
        Audits.record(store, call, holder.addActivity(), "Update", holder.id().toString(), holder.displayName(), holder.type(),
                Audits.changed("KeyDescription", null, "keyId " + added.keyId() + ", thumbprint " + added.customKeyIdentifier()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", call.context("microsoft.graph.keyCredential"));
        out.putAll(keyCredential(added));
        return GraphAnswer.json(200, out);
    }

    /**
     * {@code POST /applications/{id}/removeKey} and {@code /servicePrincipals/{id}/removeKey}
     * (https://learn.microsoft.com/graph/api/application-removekey): {@code keyId} and {@code proof}, refused as
     * {@link #addKey} refuses them; 204 once the certificate is gone. A {@code keyId} the object does not have is 400,
     * as {@code removePassword} answers one.
     */
    private GraphAnswer removeKey(GraphCall call, KeyHolder holder) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object, e.g. {\"keyId\": \"...\", \"proof\": \"...\"}.");
        }
        Optional<UUID> keyId = uuid(body.get().path("keyId").asText(""));
        if (keyId.isEmpty()) {
            return invalidValue("keyId", "KeyCredential");
        }
        Optional<GraphAnswer> unproven = unproven(call, holder, body.get().path("proof"));
        if (unproven.isPresent()) {
            return unproven.get();
        }
        List<KeyCredential> keys = new ArrayList<>(holder.keys());
        if (!keys.removeIf(k -> k.keyId().equals(keyId.get()))) {
            return GraphAnswer.error(400, "Request_BadRequest", "No key credential with keyId '" + keyId.get()
                    + "' exists on the " + (holder.type().equals("Application") ? "application" : "service principal") + ".");
        }
        holder.save().accept(keys);
        Audits.record(store, call, holder.removeActivity(), "Update", holder.id().toString(), holder.displayName(),
                holder.type(), Audits.changed("KeyDescription", "keyId " + keyId.get(), null));
        return GraphAnswer.empty(204, Map.of());
    }

    /** Graph's refusal of a missing or failed proof of possession; empty when {@code proof} holds for {@code holder}. */
    private static Optional<GraphAnswer> unproven(GraphCall call, KeyHolder holder, JsonNode proof) {
        if (!proof.isTextual() || proof.asText().isBlank()) {
            LOG.info("{} {}: refused, no proof of possession in the body", call.method(), call.path());
            return Optional.of(GraphAnswer.error(403, "Authorization_RequestDenied",
                    "Insufficient privileges to complete the operation."));
        }
        if (ProofOfPossession.check(proof.asText(), holder.id(), holder.keys(), call.now())
                instanceof ProofOfPossession.Outcome.Refused refused) {
            LOG.info("{} {}: refused, the proof of possession does not hold: {}", call.method(), call.path(), refused.why());
            return Optional.of(GraphAnswer.error(401, "Authentication_MissingOrMalformed", "Access Token missing or malformed."));
        }
        return Optional.empty();
    }

    /**
     * The certificate of an {@code addKey} key: base64 DER, or, for a Sign key ({@code password} not null), a base64
     * PKCS#12 file that opens with {@code password}. Empty when it is neither.
     */
    private static Optional<X509Certificate> certificate(String key, char[] password) {
        try {
            return Optional.of(KeyCredential.certificateOf(key));
        } catch (IllegalArgumentException notDer) {
            if (password == null) {
                return Optional.empty();
            }
        }
        try {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(new java.io.ByteArrayInputStream(Base64.getMimeDecoder().decode(key)), password);
            for (var aliases = store.aliases(); aliases.hasMoreElements(); ) {
                if (store.getCertificate(aliases.nextElement()) instanceof X509Certificate x) {
                    return Optional.of(x);
                }
            }
            return Optional.empty();
        } catch (java.io.IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** An optional date-time property: empty when absent or null, null (the Java value) when it is not one. */
    private static Optional<Instant> instant(JsonNode object, String name) {
        JsonNode v = object.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return Optional.empty();
        }
        try {
            return v.isTextual() ? Optional.of(java.time.OffsetDateTime.parse(v.asText()).toInstant()) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String newSecret() {
        StringBuilder s = new StringBuilder(SECRET_LENGTH);
        for (int i = 0; i < SECRET_LENGTH; i++) {
            s.append(SECRET_ALPHABET.charAt(RANDOM.nextInt(SECRET_ALPHABET.length())));
        }
        return s.toString();
    }

    /**
     * {@code POST /servicePrincipals} (https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals)
     * from {@code {"appId": ...}}: the application must be registered in this tenant, or be a multi-tenant one of
     * another; the principal copies its name, app roles, delegated permissions and identifier URIs, and names the
     * owning tenant in {@code appOwnerOrganizationId}. An app holding {@code Application.ReadWrite.OwnedBy} creates the
     * principal only of an application of this tenant it owns (else 403 {@code Authorization_RequestDenied}), and owns
     * the principal it creates. 201 with the service principal.
     */
    private GraphAnswer createServicePrincipal(GraphCall call) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object, e.g. {\"appId\": \"...\"}.");
        }
        ObjectNode b = body.get();
        if (!b.path("appId").isTextual()) {
            return invalidValue("appId", "ServicePrincipal");
        }
        String text = b.get("appId").asText();
        Optional<AppId> appId = AppId.tryParse(text);
        Optional<ApplicationStore.HomedApplication> app = appId.flatMap(id -> store.applications().findByAppId(call.tenant(), id)
                .map(a -> new ApplicationStore.HomedApplication(call.tenant(), a))
                .or(() -> store.applications().findByAppIdInAnyTenant(id)
                        .filter(h -> !"AzureADMyOrg".equals(h.application().signInAudience()))));
        if (app.isEmpty()) {
            // Graph's own words for an appId that names no application it may instantiate here.
            return GraphAnswer.error(400, "Request_BadRequest", "The appId '" + text
                    + "' of the service principal does not reference a valid application object.");
        }
        Application a = app.get().application();
        if (PermissionChecks.OWNED_BY.equals(call.permission())
                && (!app.get().tenant().equals(call.tenant()) || callerPrincipal(call).filter(a.owners()::contains).isEmpty())) {
            // Application.ReadWrite.OwnedBy creates the service principal only of an application the caller owns.
            LOG.info("POST {}: refused, {} holds Application.ReadWrite.OwnedBy and does not own the application {}",
                    call.path(), call.clientId().orElse("?"), a.appId());
            return GraphAnswer.error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        }
        if (store.servicePrincipals().findByAppId(call.tenant(), a.appId()).isPresent()) {
            return GraphAnswer.error(409, "Request_MultipleObjectsWithSameKeyValue", "The service principal cannot be "
                    + "created, updated, or restored because the service principal name " + a.appId() + " is already in use.");
        }
        for (var names = b.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.startsWith("@odata.") && !Set.of("appId", "accountEnabled", "appRoleAssignmentRequired").contains(name)) {
                return GraphAnswer.error(400, "BadRequest", "Property '" + name
                        + "' does not exist on type 'microsoft.graph.servicePrincipal' or cannot be set here.");
            }
        }
        for (String flag : List.of("accountEnabled", "appRoleAssignmentRequired")) {
            if (b.has(flag) && !b.get(flag).isBoolean()) {
                return invalidValue(flag, "ServicePrincipal");
            }
        }
        ServicePrincipal sp = ServicePrincipal.of(ObjectId.random(), a, app.get().tenant(),
                b.path("accountEnabled").asBoolean(true), b.path("appRoleAssignmentRequired").asBoolean(false), null)
                .withOwners(PermissionChecks.OWNED_BY.equals(call.permission()) ? callerPrincipal(call).stream().toList()
                        : List.of()); // no createdDateTime: Graph's v1.0 servicePrincipal defines none
        store.servicePrincipals().save(call.tenant(), sp);
        Audits.record(store, call, "Add service principal", "Add", sp.id().toString(), sp.displayName(), "ServicePrincipal");
        return GraphAnswer.created(call, "servicePrincipals", sp.id(), servicePrincipal(sp));
    }

    /** {@code PATCH /servicePrincipals/{id}}: {@code accountEnabled}, {@code appRoleAssignmentRequired}; 204. */
    private GraphAnswer updateServicePrincipal(GraphCall call, ServicePrincipal sp) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the properties to change.");
        }
        Boolean enabled = sp.accountEnabled();
        Boolean required = sp.appRoleAssignmentRequired();
        for (var names = body.get().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode v = body.get().get(name);
            switch (name) {
                case "accountEnabled", "appRoleAssignmentRequired" -> {
                    if (!v.isBoolean()) {
                        return invalidValue(name, "ServicePrincipal");
                    }
                    if (name.equals("accountEnabled")) {
                        enabled = v.asBoolean();
                    } else {
                        required = v.asBoolean();
                    }
                }
                default -> {
                    if (!name.startsWith("@odata.")) {
                        return GraphAnswer.error(400, "BadRequest", "Property '" + name
                                + "' does not exist on type 'microsoft.graph.servicePrincipal' or cannot be changed.");
                    }
                }
            }
        }
        store.servicePrincipals().save(call.tenant(), new ServicePrincipal(sp.id(), sp.appId(), sp.displayName(), enabled,
                sp.servicePrincipalType(), sp.appOwnerOrganizationId(), required, sp.servicePrincipalNames(), sp.appRoles(),
                sp.oauth2PermissionScopes(), sp.keyCredentials(), sp.owners(), sp.additionalProperties()));
        return GraphAnswer.empty(204, Map.of());
    }

    /** Deletes the principal with what refers to it: assignments it holds or grants, grants it is the client or resource of. */
    private void deleteServicePrincipal(TenantId tenant, ServicePrincipal sp) {
        store.appRoleAssignments().list(tenant).stream()
                .filter(a -> a.principalId().equals(sp.id()) || a.resourceId().equals(sp.id()))
                .forEach(a -> store.appRoleAssignments().delete(tenant, a.id()));
        store.permissionGrants().list(tenant).stream()
                .filter(g -> g.clientId().equals(sp.id()) || g.resourceId().equals(sp.id()))
                .forEach(g -> store.permissionGrants().delete(tenant, g.id()));
        store.servicePrincipals().delete(tenant, sp.id());
    }

    static GraphAnswer invalidValue(String property, String resource) {
        return GraphAnswer.error(400, "Request_BadRequest", "Invalid value specified for property '" + property
                + "' of resource '" + resource + "'.");
    }

    /** A refusal found deep in a body; caught once per route, before anything is stored. */
    private static final class Refusal extends RuntimeException {
        private final transient GraphAnswer answer;

        Refusal(GraphAnswer answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }
}
