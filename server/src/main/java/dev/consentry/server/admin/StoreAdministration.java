package dev.consentry.server.admin;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.explain.DidYouMean;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.permission.GraphPermission;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.Scheme;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.core.tenantfile.TenantFileException;
import dev.consentry.identity.consent.ConsentGrants;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.store.Store;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@link Administration} on a store. The running server uses it with its own store and keys (so the store's change
 * feed refreshes its caches); a command uses it on a store it opened itself when no server runs on the data dir.
 */
public final class StoreAdministration implements Administration {
    private final Store store;
    private final Supplier<SigningKeys> keys;
    private final GraphPermissionCatalogue catalogue;
    private final Clock clock;
    private final boolean closeStore;
    private final ConsentGrants grants;
    private final java.util.function.Function<String, List<Diagnosis>> recordedCalls;

    /**
     * @param keys the signing keys to rotate: the running server's, or loaded from the store on first use
     * @param closeStore whether {@link #close()} closes the store (a command's own store, not the server's)
     */
    public StoreAdministration(Store store, Supplier<SigningKeys> keys, GraphPermissionCatalogue catalogue, Clock clock,
                               boolean closeStore) {
        this(store, keys, catalogue, clock, closeStore, null);
    }

    /**
     * @param recordedCalls the Graph calls an app made, by client id, as a running server keeps them (allowed ones
     *     included); null to read the store's refusals alone
     */
    public StoreAdministration(Store store, Supplier<SigningKeys> keys, GraphPermissionCatalogue catalogue, Clock clock,
                               boolean closeStore, java.util.function.Function<String, List<Diagnosis>> recordedCalls) {
        this.recordedCalls = recordedCalls;
        this.store = store;
        this.grants = new ConsentGrants(store);
        this.keys = keys;
        this.catalogue = catalogue;
        this.clock = clock;
        this.closeStore = closeStore;
    }

    /** For a command that opened {@code store} itself: the built-in catalogue, keys loaded when needed, closed with it. */
    public static StoreAdministration ownStore(Store store, Clock clock) {
        return new StoreAdministration(store, () -> SigningKeys.load(store.signingKeys(), clock),
                GraphPermissionCatalogue.builtin(), clock, true);
    }

    /** On a store its caller keeps (and closes): the built-in catalogue, keys loaded when needed. */
    public static StoreAdministration onStore(Store store, Clock clock) {
        return new StoreAdministration(store, () -> SigningKeys.load(store.signingKeys(), clock),
                GraphPermissionCatalogue.builtin(), clock, false);
    }

    @Override
    public String where() {
        return store.description();
    }

    @Override
    public int importTenants(byte[] tenantFile, String source) {
        List<TenantDirectory> tenants;
        try {
            tenants = TenantFile.read(new ByteArrayInputStream(tenantFile), source, SecretHasher.standard());
        } catch (TenantFileException e) {
            throw new AdminRefusal(400, "the tenant file was refused, nothing was imported: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The one rule across stored tenants, checked for all before any is written, so a refused file changes nothing.
        java.util.Set<TenantId> replaced = new java.util.HashSet<>();
        tenants.forEach(t -> replaced.add(t.id()));
        for (TenantDirectory t : tenants) {
            for (var domain : t.verifiedDomains()) {
                store.tenants().findByDomain(domain.name()).filter(owner -> !replaced.contains(owner.id())).ifPresent(owner -> {
                    throw new AdminRefusal(400, "the tenant file was refused, nothing was imported: the domain " + domain.name()
                            + " of tenant " + t.id() + " already belongs to tenant " + owner.id());
                });
            }
        }
        try {
            store.tenants().replaceAll(tenants);
        } catch (IllegalArgumentException e) { // a rule the store keeps that the check above does not know
            throw new AdminRefusal(400, "the tenant file was refused: " + e.getMessage());
        }
        return tenants.size();
    }

    @Override
    public byte[] exportTenants(List<String> names) {
        List<TenantDirectory> tenants = new ArrayList<>();
        if (names.isEmpty()) {
            store.tenants().list().stream()
                    .filter(t -> !t.id().equals(WellKnown.CONSUMERS_TENANT_ID))
                    .forEach(t -> store.tenants().export(t.id()).ifPresent(tenants::add));
        } else {
            for (String name : names) {
                tenants.add(store.tenants().export(tenant(name).id()).orElseThrow(() -> noTenant(name)));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TenantFile.write(tenants, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public String rotateKey() {
        return keys.get().rotate();
    }

    @Override
    public java.util.Optional<String> diagnosis(String id) {
        if (id == null || id.isBlank() || id.length() > dev.consentry.store.TraceEntry.MAX_ID_LENGTH) {
            return java.util.Optional.empty();
        }
        var traces = store.traces();
        return traces.findByRequestId(id).or(() -> traces.findByTraceId(id))
                .or(() -> traces.findByCorrelationId(id).stream().findFirst()).map(dev.consentry.store.TraceEntry::body);
    }

    @Override
    public PermissionUse permissionUse(String tenantName, String appName) {
        if (appName == null || appName.isBlank()) {
            throw new AdminRefusal(400, "name the app by its client id or display name");
        }
        TenantId tid = tenant(tenantName).id();
        Application app = application(tid, appName);
        Optional<ServicePrincipal> client = store.servicePrincipals().findByAppId(tid, app.appId());
        Optional<ServicePrincipal> graph = store.servicePrincipals().findByAppId(tid, WellKnown.GRAPH_APP_ID);
        Map<String, List<String>> requested = new LinkedHashMap<>();
        Set<String> requestedDelegated = new TreeSet<>();
        Set<String> requestedApplication = new TreeSet<>();
        for (RequiredResourceAccess r : app.requiredResourceAccess()) {
            if (!r.resourceAppId().equalsIgnoreCase(WellKnown.GRAPH_APP_ID.toString())) {
                continue;
            }
            for (RequiredResourceAccess.ResourceAccess a : r.resourceAccess()) {
                String name = catalogue.byId(a.id()).map(GraphPermission::name).orElse(a.id().toString());
                ("Role".equalsIgnoreCase(a.type()) ? requestedApplication : requestedDelegated).add(name);
            }
        }
        requested.put("delegated", List.copyOf(requestedDelegated));
        requested.put("application", List.copyOf(requestedApplication));
        Set<String> heldDelegated = new TreeSet<>();
        Set<String> heldApplication = new TreeSet<>();
        if (client.isPresent() && graph.isPresent()) {
            for (AppRoleAssignment a : store.appRoleAssignments().listByPrincipal(tid, client.get().id())) {
                if (graph.get().id().equals(a.resourceId())) {
                    heldApplication.add(catalogue.byId(a.appRoleId()).map(GraphPermission::name).orElse(a.appRoleId().toString()));
                }
            }
            for (var g : store.permissionGrants().listByClient(tid, client.get().id())) {
                if (graph.get().id().equals(g.resourceId()) && g.scope() != null) {
                    for (String word : g.scope().strip().split("\\s+")) {
                        if (!word.isEmpty()) {
                            heldDelegated.add(catalogue.permission(word).map(GraphPermission::name).orElse(word));
                        }
                    }
                }
            }
        }
        Map<String, List<String>> held = new LinkedHashMap<>();
        held.put("delegated", List.copyOf(heldDelegated));
        held.put("application", List.copyOf(heldApplication));
        List<Diagnosis> recorded = recordedCalls != null ? recordedCalls.apply(app.appId().toString())
                : store.traces().findByClientId(app.appId().toString(), dev.consentry.store.TraceStore.MAX_CORRELATED).stream()
                        .filter(e -> e.channel() == dev.consentry.store.TraceChannel.GRAPH)
                        .map(e -> Diagnosis.parse(e.body())).toList();
        record Kind(String method, String path, String scheme) {}
        Map<Kind, int[]> counts = new LinkedHashMap<>();
        for (Diagnosis d : recorded) {
            // An allowed call names its token's scheme alone; a permission refusal names it as a fact (and lists the
            // least privileged permissions of every scheme); an earlier refusal never read the token that far.
            String scheme = d.leastPrivileged().size() == 1 ? d.leastPrivileged().keySet().iterator().next()
                    : d.facts().get("scheme");
            int[] n = counts.computeIfAbsent(new Kind(d.method(), d.path(), scheme), k -> new int[2]);
            n[d.allowed() ? 0 : 1]++;
        }
        List<RecordedCall> calls = new ArrayList<>();
        counts.forEach((k, n) -> calls.add(new RecordedCall(k.method(), k.path(), k.scheme(), n[0], n[1])));
        calls.sort(java.util.Comparator.comparingInt((RecordedCall c) -> -(c.allowed() + c.refused()))
                .thenComparing(RecordedCall::path).thenComparing(RecordedCall::method));
        return new PermissionUse(tid.toString(), app.appId().toString(), app.displayName(), recordedCalls != null, calls,
                requested, held);
    }

    @Override
    public List<KeyInfo> keys() {
        return store.signingKeys().list().stream()
                .map(k -> new KeyInfo(k.kid(), k.status().toString(), k.createdAt())).toList();
    }

    @Override
    public GrantResult grant(GrantRequest request) {
        Tenant tenant = tenant(request.tenant());
        TenantId tid = tenant.id();
        Application app = application(tid, request.app());
        ServicePrincipal client = clientOf(tid, app);
        ServicePrincipal resource = resource(tid, request.resource());
        Permission p = permission(resource, request.permission(), request.type());

        boolean added = false;
        List<RequiredResourceAccess> required = new ArrayList<>(app.requiredResourceAccess());
        String resourceAppId = resource.appId().toString();
        int at = -1;
        for (int i = 0; i < required.size(); i++) {
            if (required.get(i).resourceAppId().equalsIgnoreCase(resourceAppId)) {
                at = i;
            }
        }
        RequiredResourceAccess.ResourceAccess entry = new RequiredResourceAccess.ResourceAccess(p.id(), p.wireType());
        if (at < 0) {
            required.add(new RequiredResourceAccess(resourceAppId, List.of(entry)));
            added = true;
        } else if (required.get(at).resourceAccess().stream().noneMatch(a -> a.id().equals(p.id())
                && a.type().equalsIgnoreCase(p.wireType()))) {
            RequiredResourceAccess old = required.get(at);
            List<RequiredResourceAccess.ResourceAccess> access = new ArrayList<>(old.resourceAccess());
            access.add(entry);
            required.set(at, new RequiredResourceAccess(old.resourceAppId(), access, old.additionalProperties()));
            added = true;
        }
        if (added) {
            audit(tid, "Update application", "Update", new DirectoryAudit.Target(app.id().toString(), app.displayName(),
                    "Application", List.of(new DirectoryAudit.ModifiedProperty("RequiredResourceAccess",
                            describe(app.requiredResourceAccess()), describe(required)))));
            store.applications().save(tid, new Application(app.id(), app.appId(), app.displayName(), app.signInAudience(),
                    app.identifierUris(), app.api(), app.appRoles(), app.passwordCredentials(), app.keyCredentials(), required,
                    app.web(), app.spa(), app.publicClient(), app.isFallbackPublicClient(), app.owners(),
                    app.additionalProperties()));
        }
        boolean granted = p.application() ? assignRole(tid, client, resource, p) : grantScope(tid, client, resource, p);
        return new GrantResult(tid.toString(), app.appId().toString(), app.displayName(), resourceAppId,
                resource.displayName(), p.name(), p.application() ? "application" : "delegated", p.id(), added, granted);
    }

    @Override
    public ConsentResult consent(ConsentRequest request) {
        Tenant tenant = tenant(request.tenant());
        TenantId tid = tenant.id();
        Application app = application(tid, request.app());
        ServicePrincipal client = clientOf(tid, app);
        // Everything is resolved first, so that a requested permission that cannot be granted changes nothing.
        record Requested(ServicePrincipal resource, Permission permission) {}
        List<Requested> requested = new ArrayList<>();
        for (RequiredResourceAccess r : app.requiredResourceAccess()) {
            ServicePrincipal resource = AppId.tryParse(r.resourceAppId())
                    .flatMap(id -> store.servicePrincipals().findByAppId(tid, id))
                    .orElseThrow(() -> new AdminRefusal(404, app.displayName() + " requests permissions of "
                            + r.resourceAppId() + ", which has no service principal in tenant " + tid + "; nothing was "
                            + (request.revoke() ? "revoked" : "granted")));
            for (RequiredResourceAccess.ResourceAccess a : r.resourceAccess()) {
                boolean role = "Role".equalsIgnoreCase(a.type());
                if (role ? request.application() : request.delegated()) {
                    requested.add(new Requested(resource, permission(resource, a.id().toString(), role ? "application" : "delegated")));
                }
            }
        }
        List<ConsentLine> lines = new ArrayList<>();
        for (Requested r : requested) {
            Permission p = r.permission();
            boolean changed = request.revoke()
                    ? (p.application() ? unassignRole(tid, client, r.resource(), p) : revokeScope(tid, client, r.resource(), p))
                    : (p.application() ? assignRole(tid, client, r.resource(), p) : grantScope(tid, client, r.resource(), p));
            lines.add(new ConsentLine(r.resource().displayName(), p.name(), p.application() ? "application" : "delegated",
                    p.id(), changed));
        }
        return new ConsentResult(tid.toString(), app.appId().toString(), app.displayName(), request.revoke(), lines);
    }

    private boolean unassignRole(TenantId tid, ServicePrincipal client, ServicePrincipal resource, Permission p) {
        return grants.unassignRole(tid, client, resource, p.id(), p.name(), DirectoryAudit.Initiator.commandLine(),
                clock.instant());
    }

    private boolean revokeScope(TenantId tid, ServicePrincipal client, ServicePrincipal resource, Permission p) {
        return grants.revokeForOrganization(tid, client, resource, p.name(), DirectoryAudit.Initiator.commandLine(),
                clock.instant());
    }

    private boolean assignRole(TenantId tid, ServicePrincipal client, ServicePrincipal resource, Permission p) {
        return grants.assignRole(tid, client, resource, p.id(), p.name(), DirectoryAudit.Initiator.commandLine(),
                clock.instant());
    }

    private boolean grantScope(TenantId tid, ServicePrincipal client, ServicePrincipal resource, Permission p) {
        return grants.forOrganization(tid, client, resource, List.of(p.name()), DirectoryAudit.Initiator.commandLine(),
                clock.instant());
    }

    /**
     * Records a change in the tenant's audit log, made through Consentry's command line (the admin API serves only it).
     * Activity names are Entra's (see {@link DirectoryAudit}).
     */
    private void audit(TenantId tid, String activity, String operation, DirectoryAudit.Target target) {
        store.audit().record(tid, new DirectoryAudit(UUID.randomUUID().toString(), clock.instant(),
                DirectoryAudit.APPLICATION_MANAGEMENT, activity, operation, "success", DirectoryAudit.Initiator.commandLine(),
                List.of(target)));
    }

    private static String describe(List<RequiredResourceAccess> required) {
        return required.stream().map(r -> r.resourceAppId() + ": " + r.resourceAccess().stream()
                .map(a -> a.id() + " (" + a.type() + ")").collect(java.util.stream.Collectors.joining(", ")))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /** The tenant named by id or domain; with no name, the only tenant (besides consumers) if there is one. */
    private Tenant tenant(String name) {
        if (name == null || name.isBlank()) {
            List<Tenant> own = store.tenants().list().stream()
                    .filter(t -> !t.id().equals(WellKnown.CONSUMERS_TENANT_ID)).toList();
            if (own.size() == 1) {
                return own.get(0);
            }
            throw new AdminRefusal(400, own.size() + " tenants are stored; name one (--tenant)");
        }
        return store.tenants().findByIdOrDomain(name).orElseThrow(() -> noTenant(name));
    }

    private AdminRefusal noTenant(String name) {
        List<String> known = store.tenants().list().stream().filter(t -> !t.id().equals(WellKnown.CONSUMERS_TENANT_ID))
                .map(t -> t.defaultDomain().map(d -> d + " (" + t.id() + ")").orElse(t.id().toString())).toList();
        return new AdminRefusal(404, "no tenant " + name + " in " + store.description()
                + (known.isEmpty() ? "" : "; its tenants: " + String.join(", ", known)));
    }

    private Application application(TenantId tid, String name) {
        Optional<Application> byId = AppId.tryParse(name).flatMap(id -> store.applications().findByAppId(tid, id));
        if (byId.isPresent()) {
            return byId.get();
        }
        List<Application> apps = store.applications().list(tid);
        List<Application> named = apps.stream().filter(a -> name.equalsIgnoreCase(a.displayName())).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.size() > 1) {
            throw new AdminRefusal(400, named.size() + " applications are called " + name + "; name one by its client id");
        }
        String hint = DidYouMean.suffix(name, apps.stream().map(Application::displayName).toList());
        throw new AdminRefusal(404, "no application with client id or name " + name + " in tenant " + tid + hint);
    }

    private ServicePrincipal resource(TenantId tid, String name) {
        if (name == null || name.isBlank()) {
            return store.servicePrincipals().findByAppId(tid, WellKnown.GRAPH_APP_ID).orElseThrow(() -> new AdminRefusal(
                    404, "tenant " + tid + " has no Microsoft Graph service principal"));
        }
        Optional<ServicePrincipal> found = AppId.tryParse(name).flatMap(id -> store.servicePrincipals().findByAppId(tid, id))
                .or(() -> store.servicePrincipals().findByName(tid, name))
                .or(() -> store.servicePrincipals().list(tid).stream()
                        .filter(sp -> name.equalsIgnoreCase(sp.displayName())).findFirst());
        return found.orElseThrow(() -> new AdminRefusal(404, "no resource " + name + " in tenant " + tid
                + " (give its app id, identifier URI or display name)"));
    }

    /** The application's service principal in the tenant: the client that permissions are granted to. */
    private ServicePrincipal clientOf(TenantId tid, Application app) {
        return store.servicePrincipals().findByAppId(tid, app.appId()).orElseThrow(() -> new AdminRefusal(
                404, "the application " + app.displayName() + " has no service principal in tenant " + tid));
    }

    /** A permission a resource defines, of one type. */
    private record Permission(String name, UUID id, boolean application) {
        String wireType() {
            return application ? "Role" : "Scope";
        }
    }

    /** The resource's permission called (or with the id) {@code name}, of the asked type or its only one. */
    private Permission permission(ServicePrincipal resource, String name, String type) {
        Boolean wantApplication = type == null ? null : switch (type.toLowerCase(Locale.ROOT)) {
            case "application", "role" -> Boolean.TRUE;
            case "delegated", "scope" -> Boolean.FALSE;
            default -> throw new AdminRefusal(400, "the permission type is application or delegated, not " + type);
        };
        Map<Boolean, Permission> byType = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        if (resource.appId().equals(WellKnown.GRAPH_APP_ID)) {
            Optional<UUID> asId = parseUuid(name);
            for (GraphPermission g : catalogue.permissions()) {
                names.add(g.name());
                for (Scheme scheme : new Scheme[] {Scheme.APPLICATION, Scheme.DELEGATED_WORK}) {
                    g.in(scheme).filter(f -> asId.map(f.id()::equals).orElse(g.name().equalsIgnoreCase(name)))
                            .ifPresent(f -> byType.put(scheme == Scheme.APPLICATION, new Permission(g.name(), f.id(),
                                    scheme == Scheme.APPLICATION)));
                }
            }
        } else {
            for (AppRole r : resource.appRoles()) {
                names.add(r.value());
                if (r.forApplications() && matches(name, r.id(), r.value())) {
                    byType.put(true, new Permission(r.value(), r.id(), true));
                }
            }
            for (PermissionScope s : resource.oauth2PermissionScopes()) {
                names.add(s.value());
                if (matches(name, s.id(), s.value())) {
                    byType.put(false, new Permission(s.value(), s.id(), false));
                }
            }
        }
        if (byType.isEmpty()) {
            String hint = DidYouMean.suffix(name, names);
            throw new AdminRefusal(404, resource.displayName() + " defines no permission " + name + hint);
        }
        if (wantApplication == null) {
            if (byType.size() > 1) {
                throw new AdminRefusal(400, name + " is both an application and a delegated permission of "
                        + resource.displayName() + "; add --type application (an app's own token, client credentials) "
                        + "or --type delegated (a signed-in user's token)");
            }
            return byType.values().iterator().next();
        }
        Permission p = byType.get(wantApplication);
        if (p == null) {
            throw new AdminRefusal(400, name + " is not " + (wantApplication ? "an application" : "a delegated")
                    + " permission of " + resource.displayName() + "; it is " + (wantApplication ? "delegated" : "an application")
                    + " permission only");
        }
        return p;
    }

    private static boolean matches(String name, UUID id, String value) {
        return parseUuid(name).map(id::equals).orElse(name.equalsIgnoreCase(value));
    }

    private static Optional<UUID> parseUuid(String text) {
        try {
            return text.length() == 36 ? Optional.of(UUID.fromString(text)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (closeStore) {
            store.close();
        }
    }
}
