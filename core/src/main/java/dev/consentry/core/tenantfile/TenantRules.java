package dev.consentry.core.tenantfile;

import dev.consentry.core.builtin.BuiltinResource;
import dev.consentry.core.builtin.BuiltinResources;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.KeyCredential;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.RedirectUriRules;
import dev.consentry.core.directory.RedirectUris;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.policy.ConditionalAccessRules;
import dev.consentry.core.secret.SecretHasher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rules a tenant file must follow beyond its JSON types, and the normalisation applied on read
 * (product brief, section 3). Every refusal names the JSON path.
 */
final class TenantRules {
    /** The role every application has implicitly ("default access"), assignable without being declared. */
    static final UUID DEFAULT_ACCESS_ROLE = new UUID(0, 0);

    private TenantRules() {}

    static List<TenantDirectory> validateAndNormalise(String source, List<TenantDirectory> tenants, SecretHasher hasher) {
        Set<TenantId> ids = new HashSet<>();
        Map<String, String> domains = new HashMap<>();
        List<TenantDirectory> out = new ArrayList<>();
        for (int t = 0; t < tenants.size(); t++) {
            TenantDirectory d = tenants.get(t);
            String at = "$.tenants[" + t + "]";
            if (!ids.add(d.id())) {
                throw new TenantFileException(source, at + ".id", "the tenant id " + d.id() + " appears twice in the file");
            }
            if (d.id().equals(WellKnown.CONSUMERS_TENANT_ID)) {
                checkConsumers(source, at, d);
            }
            for (int i = 0; i < d.verifiedDomains().size(); i++) {
                String name = d.verifiedDomains().get(i).name().toLowerCase(Locale.ROOT);
                String previous = domains.putIfAbsent(name, at);
                if (previous != null) {
                    throw new TenantFileException(source, at + ".verifiedDomains[" + i + "]",
                            "the domain " + name + " is already a domain of " + previous);
                }
            }
            out.add(normalise(source, at, d, hasher));
        }
        return List.copyOf(out);
    }

    /**
     * The consumers tenant ({@code 9188040d-6c67-4c5b-b112-36a304b66dad}) holds personal Microsoft accounts: a
     * file may give it users, the service principals of apps that accept personal accounts, and their grants,
     * but no app registrations (an app is registered in a work tenant) and no domains of its own.
     */
    /**
     * What is wrong with {@code op} as a Graph operation ({@code METHOD /template}, a template of Microsoft's permission
     * reference); empty when it is one.
     */
    private static java.util.Optional<String> graphOperation(String op) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(GET|POST|PUT|PATCH|DELETE) (/\\S+)",
                java.util.regex.Pattern.CASE_INSENSITIVE).matcher(op == null ? "" : op.trim());
        if (!m.matches()) {
            return java.util.Optional.of("an operation is an HTTP method and a Graph path template, such as 'POST "
                    + "/users/{id}/authentication/methods/{id}/resetPassword', not '" + op + "'");
        }
        String template = m.group(2);
        boolean known = dev.consentry.core.permission.GraphPermissionCatalogue.builtin().pathRules().stream()
                .anyMatch(r -> r.template().equalsIgnoreCase(template));
        return known ? java.util.Optional.empty() : java.util.Optional.of("'" + template
                + "' is not a path template of Microsoft Graph's permission reference (write ids as {id})");
    }

    private static void checkConsumers(String source, String at, TenantDirectory d) {
        if (!d.applications().isEmpty()) {
            throw new TenantFileException(source, at + ".applications", "the consumers tenant of personal Microsoft "
                    + "accounts registers no applications; register the app in a work tenant with signInAudience "
                    + "AzureADandPersonalMicrosoftAccount and list only its service principal here");
        }
        if (!d.verifiedDomains().isEmpty()) {
            throw new TenantFileException(source, at + ".verifiedDomains", "the consumers tenant has no verified domains; "
                    + "personal accounts are found by their full user name");
        }
    }

    static TenantDirectory normalise(String source, String at, TenantDirectory d, SecretHasher hasher) {
        uniqueIds(source, at, d);
        unique(source, at + ".subscribedSkus", ".skuId", "skuId", d.subscribedSkus().stream().map(s -> s.skuId().toString()).toList());
        // Sign-in finds a user by name and a token request an app by app id: two of either would answer for one another.
        unique(source, at + ".users", ".userPrincipalName", "userPrincipalName",
                d.users().stream().map(User::userPrincipalName).toList());
        unique(source, at + ".applications", ".appId", "appId", d.applications().stream().map(a -> a.appId().toString()).toList());
        unique(source, at + ".servicePrincipals", ".appId", "appId",
                d.servicePrincipals().stream().map(s -> s.appId().toString()).toList());

        // Users: licences refer to the tenant's SKUs; passwords are hashed.
        Set<UUID> skus = new HashSet<>();
        for (SubscribedSku s : d.subscribedSkus()) {
            skus.add(s.skuId());
        }
        List<User> users = new ArrayList<>();
        for (int i = 0; i < d.users().size(); i++) {
            User u = d.users().get(i);
            for (int l = 0; l < u.assignedLicenses().size(); l++) {
                AssignedLicense lic = u.assignedLicenses().get(l);
                if (!skus.contains(lic.skuId())) {
                    throw new TenantFileException(source, at + ".users[" + i + "].assignedLicenses[" + l + "].skuId",
                            "the SKU " + lic.skuId() + " is not among the tenant's subscribedSkus");
                }
            }
            try {
                dev.consentry.core.workload.WorkloadItem.seedsOf(u); // mail, calendar and files of the user, if any
            } catch (IllegalArgumentException e) {
                String detail = e.getMessage();
                int colon = detail.indexOf(": ");
                throw new TenantFileException(source, at + ".users[" + i + "]." + detail.substring(0, colon),
                        detail.substring(colon + 2));
            }
            if (u.passwordProfile() != null && u.passwordProfile().password() != null) {
                u = new User(u.id(), u.userPrincipalName(), u.displayName(), u.mail(), u.userType(), u.accountEnabled(),
                        u.passwordProfile().withoutClearText(hasher.hash(u.passwordProfile().password())),
                        u.lastPasswordChangeDateTime(), u.assignedLicenses(), u.additionalProperties());
            }
            users.add(u);
        }

        // How much of the sign-in and audit logs the tenant keeps: bounded, so one tenant cannot fill the store.
        Integer days = d.settings().logRetentionDays();
        if (days != null && (days < 1 || days > TenantSettings.LogRetention.MAX_DAYS)) {
            throw new TenantFileException(source, at + ".settings.logRetentionDays", "the logs keep 1 to "
                    + TenantSettings.LogRetention.MAX_DAYS + " days, not " + days);
        }
        Integer entries = d.settings().logRetentionEntries();
        if (entries != null && (entries < 1 || entries > TenantSettings.LogRetention.MAX_ENTRIES)) {
            throw new TenantFileException(source, at + ".settings.logRetentionEntries", "each log keeps 1 to "
                    + TenantSettings.LogRetention.MAX_ENTRIES + " entries, not " + entries);
        }

        // Smart lockout, bounded as Entra bounds its settings.
        Integer threshold = d.settings().lockoutThreshold();
        if (threshold != null && (threshold < 1 || threshold > TenantSettings.SmartLockout.MAX_THRESHOLD)) {
            throw new TenantFileException(source, at + ".settings.lockoutThreshold", "smart lockout locks after 1 to "
                    + TenantSettings.SmartLockout.MAX_THRESHOLD + " wrong passwords, not " + threshold);
        }
        Integer seconds = d.settings().lockoutDurationInSeconds();
        if (seconds != null && (seconds < TenantSettings.SmartLockout.MIN_SECONDS || seconds > TenantSettings.SmartLockout.MAX_SECONDS)) {
            throw new TenantFileException(source, at + ".settings.lockoutDurationInSeconds", "a lockout lasts "
                    + TenantSettings.SmartLockout.MIN_SECONDS + " to " + TenantSettings.SmartLockout.MAX_SECONDS + " seconds, not "
                    + seconds);
        }

        // Authentication contexts on Graph operations (Consentry's setting): a context id, and operations Graph has.
        List<TenantSettings.AuthenticationContext> contexts = d.settings().authenticationContexts();
        for (int i = 0; i < contexts.size(); i++) {
            String path = at + ".settings.authenticationContexts[" + i + "]";
            if (!contexts.get(i).id().matches("c([1-9]|[1-9][0-9])")) {
                throw new TenantFileException(source, path + ".id", "an authentication context id is c1 to c99, not '"
                        + contexts.get(i).id() + "'");
            }
            for (int j = 0; j < contexts.get(i).operations().size(); j++) {
                String op = contexts.get(i).operations().get(j);
                var known = graphOperation(op);
                if (known.isPresent()) {
                    throw new TenantFileException(source, path + ".operations[" + j + "]", known.get());
                }
            }
        }

        // Conditional access policies: Entra's rules, and the users and groups they name exist here.
        Set<String> policyUsers = new HashSet<>();
        d.users().forEach(u -> policyUsers.add(u.id().toString().toLowerCase(java.util.Locale.ROOT)));
        Set<String> policyGroups = new HashSet<>();
        d.groups().forEach(g -> policyGroups.add(g.id().toString().toLowerCase(java.util.Locale.ROOT)));
        Set<String> locations = new HashSet<>();
        for (int i = 0; i < d.namedLocations().size(); i++) {
            var location = d.namedLocations().get(i);
            String path = at + ".namedLocations[" + i + "]";
            if (!locations.add(location.id().toLowerCase(java.util.Locale.ROOT))) {
                throw new TenantFileException(source, path + ".id", "another named location has the id " + location.id());
            }
            if (location.byAddress() && location.ipRanges().isEmpty()) {
                throw new TenantFileException(source, path + ".ipRanges", "an IP named location needs at least one range");
            }
            for (int r = 0; r < location.ipRanges().size(); r++) {
                var problem = location.ipRanges().get(r).problem();
                if (problem.isPresent()) {
                    throw new TenantFileException(source, path + ".ipRanges[" + r + "].cidrAddress", problem.get());
                }
            }
        }
        for (int i = 0; i < d.devices().size(); i++) {
            var device = d.devices().get(i);
            String path = at + ".devices[" + i + "]";
            if (!dev.consentry.core.id.Guid.isGuid(device.deviceId())) {
                throw new TenantFileException(source, path + ".deviceId", "expected a GUID, got '" + device.deviceId() + "'");
            }
            if (device.registeredOwnerId() != null && !policyUsers.contains(device.registeredOwnerId().toString())) {
                throw new TenantFileException(source, path + ".registeredOwnerId", "no user of this tenant has the id "
                        + device.registeredOwnerId());
            }
        }
        for (int i = 0; i < d.authenticationContextClassReferences().size(); i++) {
            String id = d.authenticationContextClassReferences().get(i).id();
            if (!id.matches("c([1-9]|[1-9][0-9])")) {
                throw new TenantFileException(source, at + ".authenticationContextClassReferences[" + i + "].id",
                        "an authentication context id is c1 to c99, not '" + id + "'");
            }
        }
        for (int i = 0; i < d.conditionalAccessPolicies().size(); i++) {
            var problem = ConditionalAccessRules.problem(d.conditionalAccessPolicies().get(i),
                    id -> policyUsers.contains(id.toLowerCase(java.util.Locale.ROOT)),
                    id -> policyGroups.contains(id.toLowerCase(java.util.Locale.ROOT)),
                    id -> locations.contains(id.toLowerCase(java.util.Locale.ROOT)));
            if (problem.isPresent()) {
                throw new TenantFileException(source, at + ".conditionalAccessPolicies[" + i + "]." + problem.get().path(),
                        problem.get().message());
            }
        }

        // Authenticator apps: each belongs to a user here, with a secret the server can compute codes from.
        for (int i = 0; i < d.softwareOathMethods().size(); i++) {
            var method = d.softwareOathMethods().get(i);
            String path = at + ".softwareOathMethods[" + i + "]";
            if (!policyUsers.contains(method.userId().toString())) {
                throw new TenantFileException(source, path + ".userId", "no user of this tenant has the id " + method.userId());
            }
            var problem = dev.consentry.core.secret.Totp.problem(method.secretKey());
            if (problem.isPresent()) {
                throw new TenantFileException(source, path + ".secretKey", "not an authenticator secret: " + problem.get());
            }
        }

        // Applications: secrets hashed, certificates checked and described.
        List<Application> apps = new ArrayList<>();
        for (int i = 0; i < d.applications().size(); i++) {
            apps.add(normaliseApplication(source, at + ".applications[" + i + "]", d.applications().get(i), hasher));
        }

        List<ServicePrincipal> sps = servicePrincipals(d.id(), apps, d.servicePrincipals());
        TenantResources resources = TenantResources.of(sps);
        for (int i = 0; i < apps.size(); i++) {
            checkRequests(source, at + ".applications[" + i + "]", apps.get(i), resources);
        }
        Map<String, ServicePrincipal> spById = new HashMap<>();
        Map<String, ServicePrincipal> spByAppId = new HashMap<>();
        for (ServicePrincipal s : sps) {
            spById.put(s.id().toString(), s);
            spByAppId.putIfAbsent(s.appId().toString(), s);
        }
        Set<String> principals = new HashSet<>(spById.keySet());
        Set<String> userIds = new HashSet<>();
        users.forEach(u -> userIds.add(u.id().toString()));
        principals.addAll(userIds);
        d.groups().forEach(g -> principals.add(g.id().toString()));

        // Groups: members exist.
        for (int i = 0; i < d.groups().size(); i++) {
            Group g = d.groups().get(i);
            for (int m = 0; m < g.members().size(); m++) {
                if (!principals.contains(g.members().get(m).toString())) {
                    throw new TenantFileException(source, at + ".groups[" + i + "].members[" + m + "]",
                            "no user, group or service principal of the tenant has the id " + g.members().get(m));
                }
            }
        }

        // Owners of applications and service principals: users or service principals of the tenant (Graph's Add owner,
        // https://learn.microsoft.com/graph/api/application-post-owners: "individual users, the associated service
        // principal, or another service principal"); a service principal may be named by its app id, as in assignments.
        Set<String> owners = new HashSet<>(spById.keySet());
        owners.addAll(userIds);
        for (int i = 0; i < apps.size(); i++) {
            Application a = apps.get(i);
            apps.set(i, a.withOwners(owners(source, at + ".applications[" + i + "].owners", a.owners(), owners, spByAppId)));
        }
        for (int i = 0; i < d.servicePrincipals().size(); i++) {
            ServicePrincipal s = sps.get(i); // the listed ones come first, in file order
            String p = at + ".servicePrincipals[" + i + "]";
            sps.set(i, s.withOwners(owners(source, p + ".owners", s.owners(), owners, spByAppId))
                    .withKeyCredentials(certificates(source, p, s.keyCredentials())));
        }

        // App role assignments: a resource may be named by app id; the role must exist on it.
        List<AppRoleAssignment> assignments = new ArrayList<>();
        for (int i = 0; i < d.appRoleAssignments().size(); i++) {
            AppRoleAssignment a = d.appRoleAssignments().get(i);
            String p = at + ".appRoleAssignments[" + i + "]";
            ServicePrincipal resource = servicePrincipal(source, p + ".resourceId", a.resourceId(), spById, spByAppId);
            ObjectId principal = principalId(source, p + ".principalId", a.principalId(), principals, spByAppId);
            if (!a.appRoleId().equals(DEFAULT_ACCESS_ROLE)) {
                AppRole role = roleOf(resource, a.appRoleId()).orElseThrow(() -> new TenantFileException(source,
                        p + ".appRoleId", resources.find(resource.id().toString()).orElseThrow()
                        .noSuchId(TenantResources.Kind.ROLE, a.appRoleId())));
                ServicePrincipal client = spById.get(principal.toString());
                // An app role whose allowedMemberTypes lacks "Application" is for users and groups (Graph's appRole
                // resource, allowedMemberTypes). Entra will not assign it to a service principal: Graph answers 400
                // "Permission being assigned was not found on application", the message it also gives for a user
                // assigned to an app with no role for users (seen in a public integration's error handling, GitHub
                // file, find_string id 70081374131). The token would never carry it either, so the file is refused.
                if (client != null && !role.forApplications()) {
                    throw new TenantFileException(source, p + ".appRoleId", "the app role " + role.value() + " ("
                            + role.id() + ") of " + resource.displayName() + " is for users and groups only "
                            + "(allowedMemberTypes " + role.allowedMemberTypes() + "), so the service principal "
                            + client.displayName() + " (" + client.appId() + ") cannot be assigned it; add "
                            + "\"Application\" to the role's allowedMemberTypes or assign an application role");
                }
            }
            assignments.add(new AppRoleAssignment(a.id(), principal, a.principalType(), resource.id(), a.appRoleId(),
                    a.createdDateTime(), a.additionalProperties()));
        }

        // Delegated grants: client and resource are service principals (or their app ids), principal a user.
        List<OAuth2PermissionGrant> grants = new ArrayList<>();
        for (int i = 0; i < d.oauth2PermissionGrants().size(); i++) {
            OAuth2PermissionGrant g = d.oauth2PermissionGrants().get(i);
            String p = at + ".oauth2PermissionGrants[" + i + "]";
            ServicePrincipal client = servicePrincipal(source, p + ".clientId", g.clientId(), spById, spByAppId);
            ServicePrincipal resource = servicePrincipal(source, p + ".resourceId", g.resourceId(), spById, spByAppId);
            if (!g.consentType().equals(OAuth2PermissionGrant.ALL_PRINCIPALS) && !g.consentType().equals(OAuth2PermissionGrant.PRINCIPAL)) {
                throw new TenantFileException(source, p + ".consentType", "expected \"AllPrincipals\" or \"Principal\"");
            }
            if (g.consentType().equals(OAuth2PermissionGrant.PRINCIPAL) && (g.principalId() == null || !userIds.contains(g.principalId().toString()))) {
                throw new TenantFileException(source, p + ".principalId", "a \"Principal\" grant needs the id of a user of the tenant");
            }
            TenantResources.Resource defining = resources.find(resource.id().toString()).orElseThrow();
            for (String scope : g.scopes()) {
                // A scope the resource does not define is consented to nothing: a token request for it fails later.
                if (defining.byName(TenantResources.Kind.SCOPE, scope).isEmpty()) {
                    throw new TenantFileException(source, p + ".scope", defining.noSuchName(TenantResources.Kind.SCOPE, scope));
                }
            }
            grants.add(new OAuth2PermissionGrant(g.id(), client.id(), g.consentType(), g.principalId(), resource.id(), g.scope(),
                    g.createdDateTime(), g.additionalProperties()));
        }

        // Directory roles: held by users, groups or service principals.
        for (int i = 0; i < d.roleAssignments().size(); i++) {
            RoleAssignment r = d.roleAssignments().get(i);
            if (!principals.contains(r.principalId().toString())) {
                throw new TenantFileException(source, at + ".roleAssignments[" + i + "].principalId",
                        "no user, group or service principal of the tenant has the id " + r.principalId());
            }
        }

        return new TenantDirectory(d.id(), d.displayName(), d.verifiedDomains(),
                users, d.groups(), apps, sps, assignments, grants, d.roleAssignments(), d.subscribedSkus(),
                d.conditionalAccessPolicies(), d.appConsentRequests(), d.softwareOathMethods(), d.namedLocations(), d.devices(), d.authenticationContextClassReferences(), d.authorizationPolicy(), d.adminConsentRequestPolicy(), d.settings(), d.additionalProperties());
    }

    private static Application normaliseApplication(String source, String at, Application a, SecretHasher hasher) {
        redirectUris(source, at, RedirectUriRules.Platform.WEB, a.web());
        redirectUris(source, at, RedirectUriRules.Platform.SPA, a.spa());
        redirectUris(source, at, RedirectUriRules.Platform.PUBLIC_CLIENT, a.publicClient());
        List<PasswordCredential> secrets = new ArrayList<>();
        for (int i = 0; i < a.passwordCredentials().size(); i++) {
            PasswordCredential c = a.passwordCredentials().get(i);
            if (c.secretText() != null && !c.secretText().isEmpty()) {
                secrets.add(new PasswordCredential(c.keyId(), c.displayName(), SecretHasher.hintOf(c.secretText()), null,
                        hasher.hash(c.secretText()), c.startDateTime(), c.endDateTime(), c.additionalProperties()));
            } else if (c.secretHash() != null && SecretHasher.isEncodedHash(c.secretHash())) {
                secrets.add(c);
            } else {
                throw new TenantFileException(source, at + ".passwordCredentials[" + i + "]",
                        "a password credential needs \"secretText\" (the secret) or the \"secretHash\" an export wrote");
            }
        }
        return a.withCredentials(secrets, certificates(source, at, a.keyCredentials()));
    }

    /** Refuses a redirect URI Entra would not register on that platform ({@link RedirectUriRules}), naming its path. */
    private static void redirectUris(String source, String at, RedirectUriRules.Platform platform, RedirectUris uris) {
        if (uris == null) {
            return;
        }
        for (int i = 0; i < uris.redirectUris().size(); i++) {
            String path = at + "." + platform.property() + ".redirectUris[" + i + "]";
            RedirectUriRules.problem(platform, uris.redirectUris().get(i)).ifPresent(problem -> {
                throw new TenantFileException(source, path, problem);
            });
        }
    }

    /** Certificates checked and described by what they say ({@link KeyCredential#describedByCertificate}). */
    private static List<KeyCredential> certificates(String source, String at, List<KeyCredential> keys) {
        List<KeyCredential> certificates = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            try {
                certificates.add(keys.get(i).describedByCertificate());
            } catch (IllegalArgumentException e) {
                throw new TenantFileException(source, at + ".keyCredentials[" + i + "].key", e.getMessage());
            }
        }
        return certificates;
    }

    private static ServicePrincipal servicePrincipal(String source, String path, ObjectId id, Map<String, ServicePrincipal> byId,
                                                     Map<String, ServicePrincipal> byAppId) {
        ServicePrincipal sp = byId.get(id.toString());
        if (sp == null) {
            sp = byAppId.get(id.toString());
        }
        if (sp == null) {
            throw new TenantFileException(source, path, "no service principal of the tenant has the object id or app id " + id);
        }
        return sp;
    }

    /** The owners named by object id (or, for a service principal, app id), as object ids, each of the tenant. */
    private static List<ObjectId> owners(String source, String path, List<ObjectId> named, Set<String> candidates,
                                         Map<String, ServicePrincipal> spByAppId) {
        List<ObjectId> out = new ArrayList<>();
        for (int o = 0; o < named.size(); o++) {
            ObjectId id = named.get(o);
            if (candidates.contains(id.toString())) {
                out.add(id);
            } else if (spByAppId.containsKey(id.toString())) {
                out.add(spByAppId.get(id.toString()).id());
            } else {
                throw new TenantFileException(source, path + "[" + o + "]",
                        "no user or service principal of the tenant has the id " + id + "; an owner is a user or a service principal");
            }
        }
        return out;
    }

    private static ObjectId principalId(String source, String path, ObjectId id, Set<String> principals,
                                        Map<String, ServicePrincipal> spByAppId) {
        if (principals.contains(id.toString())) {
            return id;
        }
        ServicePrincipal byApp = spByAppId.get(id.toString());
        if (byApp != null) {
            return byApp.id();
        }
        throw new TenantFileException(source, path, "no user, group or service principal of the tenant has the id " + id);
    }

    /** The app role with that id that the resource defines, its own or (for a built-in resource) the catalogue's. */
    private static java.util.Optional<AppRole> roleOf(ServicePrincipal resource, UUID role) {
        for (AppRole r : resource.appRoles()) {
            if (r.id().equals(role)) {
                return java.util.Optional.of(r);
            }
        }
        return BuiltinResources.find(resource.appId())
                .flatMap(b -> b.appRoles().stream().filter(r -> r.id().equals(role)).findFirst());
    }

    /**
     * The tenant's service principals: those listed, one for each application that has none (its app id, identifier
     * URIs, app roles and scopes, as the portal creates it), and one for each built-in resource that is not listed.
     * An added one's id is {@link #stableId}, so it is the same on every load.
     */
    static List<ServicePrincipal> servicePrincipals(TenantId tenant, List<Application> apps, List<ServicePrincipal> listed) {
        List<ServicePrincipal> sps = new ArrayList<>(listed);
        Set<AppId> withSp = new HashSet<>();
        sps.forEach(s -> withSp.add(s.appId()));
        for (Application a : apps) {
            if (withSp.add(a.appId())) {
                sps.add(ServicePrincipal.of(stableId(tenant, a.appId()), a, tenant, true, false, null));
            }
        }
        for (BuiltinResource b : BuiltinResources.all()) {
            if (withSp.add(b.appId())) {
                sps.add(new ServicePrincipal(stableId(tenant, b.appId()), b.appId(), b.displayName(), true, "Application",
                        null, false, b.servicePrincipalNames(), null, null, null));
            }
        }
        return sps;
    }

    /**
     * An application's {@code requiredResourceAccess}: each entry's {@code type} is "Scope" or "Role", and where the
     * resource is one of the tenant's (or built in), its id is a permission of that type there. An API of another
     * tenant cannot be checked: its permissions are not in this file.
     */
    private static void checkRequests(String source, String at, Application app, TenantResources resources) {
        for (int r = 0; r < app.requiredResourceAccess().size(); r++) {
            RequiredResourceAccess request = app.requiredResourceAccess().get(r);
            java.util.Optional<TenantResources.Resource> resource = resources.find(request.resourceAppId());
            for (int k = 0; k < request.resourceAccess().size(); k++) {
                RequiredResourceAccess.ResourceAccess access = request.resourceAccess().get(k);
                String p = at + ".requiredResourceAccess[" + r + "].resourceAccess[" + k + "]";
                TenantResources.Kind kind = TenantResources.Kind.ofType(access.type()).orElseThrow(() -> new TenantFileException(
                        source, p + ".type", "expected \"Scope\" (a delegated permission) or \"Role\" (an app role), found \""
                        + access.type() + "\""));
                if (resource.isPresent() && resource.get().byId(kind, access.id()).isEmpty()) {
                    String elsewhere = resources.definingId(access.id()).stream()
                            .filter(e -> e.getKey() != resource.get())
                            .findFirst()
                            .map(e -> "; it is the id of " + e.getKey().label() + "'s " + e.getValue().name()
                                    + ": is resourceAppId right?")
                            .orElse("");
                    throw new TenantFileException(source, p + ".id", resource.get().noSuchId(kind, access.id()) + elsewhere);
                }
            }
        }
    }

    /**
     * One id, one object: users, groups, applications, service principals, app role assignments, grants and directory
     * role assignments of a tenant share one space of ids (Graph's {@code directoryObjects/{id}} finds any of the first
     * four by it), compared in any case. The second holder is refused, naming the first.
     */
    private static void uniqueIds(String source, String at, TenantDirectory d) {
        Map<String, String> holders = new HashMap<>();
        java.util.function.BiConsumer<String, List<String>> kind = (array, ids) -> {
            for (int i = 0; i < ids.size(); i++) {
                String path = at + "." + array + "[" + i + "]";
                String first = holders.putIfAbsent(ids.get(i).toLowerCase(Locale.ROOT), path);
                if (first != null) {
                    throw new TenantFileException(source, path + ".id", "the id " + ids.get(i) + " is already the id of "
                            + first + "; every object of a tenant needs an id of its own");
                }
            }
        };
        kind.accept("users", d.users().stream().map(u -> u.id().toString()).toList());
        kind.accept("groups", d.groups().stream().map(g -> g.id().toString()).toList());
        kind.accept("applications", d.applications().stream().map(a -> a.id().toString()).toList());
        kind.accept("servicePrincipals", d.servicePrincipals().stream().map(s -> s.id().toString()).toList());
        kind.accept("appRoleAssignments", d.appRoleAssignments().stream().map(AppRoleAssignment::id).toList());
        kind.accept("oauth2PermissionGrants", d.oauth2PermissionGrants().stream().map(OAuth2PermissionGrant::id).toList());
        kind.accept("roleAssignments", d.roleAssignments().stream().map(RoleAssignment::id).toList());
    }

    /** No two entries of {@code at} have the same {@code property} (any case); the second is refused, naming the first. */
    private static void unique(String source, String at, String suffix, String property, List<String> values) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            Integer first = seen.putIfAbsent(values.get(i).toLowerCase(Locale.ROOT), i);
            if (first != null) {
                throw new TenantFileException(source, at + "[" + i + "]" + suffix, "the " + property + " " + values.get(i)
                        + " is already the " + property + " of " + at + "[" + first + "]");
            }
        }
    }

    /** A stable object id for an object Consentry adds to a tenant: name-based UUID of tenant and app id. */
    static ObjectId stableId(TenantId tenant, AppId appId) {
        return ServicePrincipal.stableId(tenant, appId);
    }
}
