package dev.consentry.identity.consent;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.resource.ResolvedResource;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin consent endpoint's decision and effect (Microsoft Learn, "Admin consent on the Microsoft identity
 * platform"): what an administrator is asked to grant an app for the whole organization, whether this administrator's
 * roles reach it ({@link ConsentPolicy#forOrganization}), and the grants themselves ({@link ConsentGrants}).
 *
 * <p>{@code {resource}/.default} asks for everything the app's registration lists in {@code requiredResourceAccess},
 * for every resource, delegated permissions and application permissions alike (the documentation: the v2.0 endpoint
 * with {@code .default} "will function like the v1.0 admin consent endpoint", which grants what the registration
 * requests); named permissions ask for those delegated permissions of one resource.
 */
public final class AdminConsent {
    private final Store store;
    private final ResourceResolver resources;
    private final ConsentPolicy policy;
    private final ConsentGrants grants;

    public AdminConsent(Store store) {
        this.store = store;
        this.resources = new ResourceResolver(store);
        this.policy = new ConsentPolicy(store);
        this.grants = new ConsentGrants(store);
    }

    /** What is asked of one resource: delegated permissions and application permissions (app roles). */
    public record Asked(ResolvedResource resource, List<PermissionScope> delegated, List<AppRole> roles) {
        public Asked {
            delegated = List.copyOf(delegated);
            roles = List.copyOf(roles);
        }
    }

    /**
     * An admin consent request understood: the client (its service principal in the tenant, not stored yet when this
     * consent is its first there) and what it asks of each resource, in the registration's order.
     */
    public record Plan(Tenant tenant, AuthenticatedClient client, List<Asked> asked) {
        public Plan {
            asked = List.copyOf(asked);
        }

        /** Every permission asked for, by name. */
        public List<String> names() {
            List<String> out = new ArrayList<>();
            for (Asked a : asked) {
                a.delegated().forEach(p -> out.add(p.value()));
                a.roles().forEach(r -> out.add(r.value()));
            }
            return out;
        }
    }

    /**
     * What an admin consent request for {@code app} (registered in {@code appHome}) with {@code scope} asks the
     * organization of {@code tenant} for. A resource the tenant does not know (AADSTS500011) and a permission it does
     * not define (AADSTS650053) throw {@code FailureException}.
     */
    public Plan plan(Tenant tenant, Application app, TenantId appHome, String scope) {
        ServicePrincipal sp = store.servicePrincipals().findByAppId(tenant.id(), app.appId())
                .orElseGet(() -> ServicePrincipal.of(ServicePrincipal.stableId(tenant.id(), app.appId()), app, appHome,
                        true, false, null));
        AuthenticatedClient client = new AuthenticatedClient(app, appHome, sp, AuthenticatedClient.Method.NONE);
        List<String> scopes = new ArrayList<>();
        for (String s : scope.trim().split("\\s+")) {
            if (!s.isEmpty() && !DelegatedScopes.OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
                scopes.add(s);
            }
        }
        boolean everything = scopes.isEmpty() || scopes.stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).endsWith("/.default"));
        return new Plan(tenant, client, everything ? registered(tenant, client) : named(tenant, client, scopes));
    }

    /** What the registration requests, resource by resource. */
    private List<Asked> registered(Tenant tenant, AuthenticatedClient client) {
        List<Asked> out = new ArrayList<>();
        for (RequiredResourceAccess rra : client.application().requiredResourceAccess()) {
            ResolvedResource resource = resources.resolve(tenant.id(), rra.resourceAppId());
            List<PermissionScope> delegated = new ArrayList<>();
            List<AppRole> roles = new ArrayList<>();
            for (RequiredResourceAccess.ResourceAccess a : rra.resourceAccess()) {
                if ("Role".equalsIgnoreCase(a.type())) {
                    resource.appRole(a.id()).filter(r -> !roles.contains(r)).ifPresent(roles::add);
                } else {
                    resource.scopes().stream().filter(p -> p.id().equals(a.id()) && p.enabled() && !delegated.contains(p))
                            .findFirst().ifPresent(delegated::add);
                }
            }
            out.add(new Asked(resource, delegated, roles));
        }
        return out;
    }

    /** Named delegated permissions, grouped by resource ({@code User.Read} is Microsoft Graph's). */
    private List<Asked> named(Tenant tenant, AuthenticatedClient client, List<String> scopes) {
        Map<String, List<String>> byResource = new LinkedHashMap<>();
        for (String s : scopes) {
            int slash = s.lastIndexOf('/');
            String resource = slash < 0 ? DelegatedScopes.GRAPH : s.substring(0, slash);
            byResource.computeIfAbsent(resource, k -> new ArrayList<>()).add(slash < 0 ? s : s.substring(slash + 1));
        }
        List<Asked> out = new ArrayList<>();
        for (var e : byResource.entrySet()) {
            ResolvedResource resource = resources.resolve(tenant.id(), e.getKey());
            List<PermissionScope> delegated = new ArrayList<>();
            for (String name : e.getValue()) {
                PermissionScope p = resource.scopes().stream().filter(x -> x.value().equalsIgnoreCase(name)).findFirst()
                        .orElseThrow(() -> Failure.of(Cause.SCOPE_NOT_ON_RESOURCE, "appName", DelegatedScopes.appName(client),
                                "scope", name, "resourceAppId", resource.appId().toString(), "resource",
                                resource.displayName()).toException());
                if (!delegated.contains(p)) {
                    delegated.add(p);
                }
            }
            out.add(new Asked(resource, delegated, List.of()));
        }
        return out;
    }

    /** Why {@code user} may not grant {@code plan} for the organization; empty when they may. */
    public Optional<Failure> refusal(Plan plan, User user) {
        String command = "consentry consent grant --tenant " + plan.tenant().id() + " --app "
                + plan.client().application().appId();
        for (Asked a : plan.asked()) {
            Optional<Failure> f = policy.forOrganization(plan.tenant(), user, plan.client(), a.resource(), a.delegated(),
                    a.roles(), command);
            if (f.isPresent()) {
                return f;
            }
        }
        if (plan.asked().isEmpty()) {
            return policy.forOrganization(plan.tenant(), user, plan.client(), resources.resolve(plan.tenant().id(),
                    DelegatedScopes.GRAPH), List.of(), List.of(), command);
        }
        return Optional.empty();
    }

    /**
     * Grants {@code plan} for the organization, as {@code admin}: the client's service principal when the tenant has
     * none, one AllPrincipals grant per resource for the delegated permissions, an app role assignment per
     * application permission; recorded as Entra records an administrator's consent.
     */
    public void grant(Plan plan, User admin, Instant now) {
        var tenant = plan.tenant().id();
        DirectoryAudit.Initiator by = new DirectoryAudit.Initiator("user", admin.id().toString(), admin.userPrincipalName());
        ServicePrincipal client = grants.ensureServicePrincipal(tenant, plan.client().servicePrincipal(), by, now);
        for (Asked a : plan.asked()) {
            if (!a.delegated().isEmpty()) {
                grants.forOrganization(tenant, client, a.resource().servicePrincipal(),
                        a.delegated().stream().map(PermissionScope::value).toList(), by, now);
            }
            for (AppRole r : a.roles()) {
                grants.assignRole(tenant, client, a.resource().servicePrincipal(), r.id(), r.value(), by, now);
            }
        }
        grants.adminConsentRecorded(tenant, by, client.id(), String.join(" ", plan.names()), now);
    }
}
