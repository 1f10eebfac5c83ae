package dev.consentry.core.tenantfile;

import dev.consentry.core.builtin.BuiltinResource;
import dev.consentry.core.builtin.BuiltinResources;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.KeyCredential;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.PasswordProfile;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.Guid;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.SecretHasher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules a tenant file follows beyond its JSON types, and the completion applied on read (product
 * brief, section 3; {@code docs/tenant-file.md}). Every refusal is a {@link TenantFileException} naming the
 * JSON path of the offending value; the first broken rule, in file order, is the one reported.
 *
 * <p>What comes out has every reference resolved to an object id, a service principal for every
 * application and built-in resource, certificates described, and generated ids where the file gave none.
 * Clear-text secrets are still in it: {@link Secrets} hashes them afterwards, once every rule has passed.
 */
final class TenantRules {
    /** The role every resource has implicitly ("default access"), assignable without being declared. */
    static final UUID DEFAULT_ACCESS_ROLE = new UUID(0, 0);
    /**
     * OpenID Connect scopes: the Microsoft Graph service principal lists them among its delegated permissions
     * in every tenant, but they are not Graph permissions, so the catalogue does not have them.
     */
    private static final Set<String> OPENID_SCOPES = Set.of("openid", "profile", "email", "offline_access");
    private static final Set<String> POLICY_STATES = Set.of("enabled", "disabled", "enabledForReportingButNotEnforced");
    private static final Pattern DOMAIN =
            Pattern.compile("(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final String HASH_FORM = "a hash written by a Consentry export (pbkdf2-sha256$...)";

    private final String source;
    /** Every application of the file by appId: a service principal in another tenant mirrors its home application. */
    private final Map<AppId, Application> homeApplications;

    private TenantRules(String source, Map<AppId, Application> homeApplications) {
        this.source = source;
        this.homeApplications = homeApplications;
    }

    /** The rules of a whole file: those across tenants, then each tenant's, in file order. */
    static List<TenantDirectory> checkFile(String source, List<TenantDirectory> tenants) {
        Map<TenantId, String> ids = new HashMap<>();
        Map<String, String> domains = new HashMap<>();
        Map<AppId, String> appIds = new HashMap<>();
        Map<AppId, Application> homes = new HashMap<>();
        for (int t = 0; t < tenants.size(); t++) {
            TenantDirectory d = tenants.get(t);
            String at = "$.tenants[" + t + "]";
            if (d.id().equals(WellKnown.CONSUMERS_TENANT_ID)) {
                throw new TenantFileException(source, at + ".id", d.id() + " is the consumers tenant of personal Microsoft "
                        + "accounts, which Consentry provides itself; give this tenant another id");
            }
            String previous = ids.putIfAbsent(d.id(), at);
            if (previous != null) {
                throw new TenantFileException(source, at + ".id", "the tenant id " + d.id() + " is already used by " + previous);
            }
            for (int i = 0; i < d.verifiedDomains().size(); i++) {
                String path = at + ".verifiedDomains[" + i + "]";
                String name = d.verifiedDomains().get(i).name().toLowerCase(Locale.ROOT);
                previous = domains.putIfAbsent(name, path);
                if (previous != null) {
                    throw new TenantFileException(source, path, "the domain " + name + " is already listed at " + previous
                            + "; a domain belongs to one tenant");
                }
            }
            for (int i = 0; i < d.applications().size(); i++) {
                Application a = d.applications().get(i);
                String path = at + ".applications[" + i + "].appId";
                previous = appIds.putIfAbsent(a.appId(), path);
                if (previous != null) {
                    throw new TenantFileException(source, path, "the appId " + a.appId() + " is already used by " + previous
                            + "; an application has one home tenant (list only its service principal in the others)");
                }
                homes.put(a.appId(), a);
            }
        }
        TenantRules rules = new TenantRules(source, homes);
        List<TenantDirectory> out = new ArrayList<>(tenants.size());
        for (int t = 0; t < tenants.size(); t++) {
            out.add(rules.new Check("$.tenants[" + t + "]", tenants.get(t)).run());
        }
        return List.copyOf(out);
    }

    /**
     * One tenant built in code rather than read from a file: the same per-tenant rules and completion. The
     * file-only rules (the consumers tenant id is reserved for Consentry) do not apply.
     */
    static TenantDirectory checkTenant(String source, String at, TenantDirectory d) {
        Map<AppId, Application> homes = new HashMap<>();
        d.applications().forEach(a -> homes.putIfAbsent(a.appId(), a));
        return new TenantRules(source, homes).new Check(at, d).run();
    }

    /** The kinds of directory object a reference may name. */
    private enum Kind {
        USER("User", "a user"),
        GROUP("Group", "a group"),
        APPLICATION(null, "an application (use its service principal's id, or its appId)"),
        SERVICE_PRINCIPAL("ServicePrincipal", "a service principal");

        final String principalType;
        final String words;

        Kind(String principalType, String words) {
            this.principalType = principalType;
            this.words = words;
        }
    }

    private record Principal(ObjectId id, Kind kind) {}

    /** The checks of one tenant, with what they learn on the way (ids, SKUs, service principals). */
    private final class Check {
        private final String at;
        private final TenantDirectory d;
        private final Map<ObjectId, Kind> kinds = new HashMap<>();
        private final Map<ObjectId, String> claimedBy = new HashMap<>();
        private final Map<UUID, SubscribedSku> skus = new HashMap<>();
        private final Map<AppId, Application> applications = new HashMap<>();
        private final Map<ObjectId, ServicePrincipal> spById = new HashMap<>();
        private final Map<AppId, ServicePrincipal> spByAppId = new HashMap<>();

        Check(String at, TenantDirectory d) {
            this.at = at;
            this.d = d;
        }

        TenantDirectory run() {
            domains();
            objectIds();
            subscribedSkus();
            users();
            List<Application> apps = applications();
            List<ServicePrincipal> sps = servicePrincipals(apps);
            groups();
            List<AppRoleAssignment> assignments = appRoleAssignments();
            List<OAuth2PermissionGrant> grants = oauth2PermissionGrants();
            List<RoleAssignment> roles = roleAssignments();
            conditionalAccessPolicies();
            return new TenantDirectory(d.id(), d.displayName(), d.verifiedDomains(), d.users(), d.groups(), apps, sps,
                    assignments, grants, roles, d.subscribedSkus(), d.conditionalAccessPolicies(), d.settings(),
                    d.additionalProperties());
        }

        private TenantFileException fail(String path, String problem) {
            return new TenantFileException(source, path, problem);
        }

        private void domains() {
            Map<String, String> seen = new HashMap<>();
            String defaultAt = null;
            for (int i = 0; i < d.verifiedDomains().size(); i++) {
                VerifiedDomain v = d.verifiedDomains().get(i);
                String path = at + ".verifiedDomains[" + i + "]";
                if (!DOMAIN.matcher(v.name()).matches()) {
                    throw fail(path, "expected a domain name such as contoso.com, found " + quoted(v.name()));
                }
                String previous = seen.putIfAbsent(v.name().toLowerCase(Locale.ROOT), path);
                if (previous != null) {
                    throw fail(path, "the domain " + v.name() + " is already listed at " + previous);
                }
                if (v.isDefaultDomain()) {
                    if (defaultAt != null) {
                        throw fail(path + ".isDefault", "only one domain may be the default, and " + defaultAt + " already is");
                    }
                    defaultAt = path;
                }
            }
        }

        /** Users, groups, applications and service principals share one id space, as in Entra ID. */
        private void objectIds() {
            for (int i = 0; i < d.users().size(); i++) {
                claim(at + ".users[" + i + "]", d.users().get(i).id(), Kind.USER);
            }
            for (int i = 0; i < d.groups().size(); i++) {
                claim(at + ".groups[" + i + "]", d.groups().get(i).id(), Kind.GROUP);
            }
            for (int i = 0; i < d.applications().size(); i++) {
                claim(at + ".applications[" + i + "]", d.applications().get(i).id(), Kind.APPLICATION);
            }
            for (int i = 0; i < d.servicePrincipals().size(); i++) {
                claim(at + ".servicePrincipals[" + i + "]", d.servicePrincipals().get(i).id(), Kind.SERVICE_PRINCIPAL);
            }
        }

        private void claim(String objectPath, ObjectId id, Kind kind) {
            String previous = claimedBy.putIfAbsent(id, objectPath);
            if (previous != null) {
                throw fail(objectPath + ".id", "the object id " + id + " is already used by " + previous);
            }
            kinds.put(id, kind);
        }

        private void subscribedSkus() {
            Map<UUID, String> seen = new HashMap<>();
            for (int i = 0; i < d.subscribedSkus().size(); i++) {
                SubscribedSku s = d.subscribedSkus().get(i);
                String path = at + ".subscribedSkus[" + i + "].skuId";
                String previous = seen.putIfAbsent(s.skuId(), path);
                if (previous != null) {
                    throw fail(path, "the SKU " + s.skuId() + " is already listed at " + previous);
                }
                skus.put(s.skuId(), s);
            }
        }

        private void users() {
            Set<String> domains = new HashSet<>();
            d.verifiedDomains().forEach(v -> domains.add(v.name().toLowerCase(Locale.ROOT)));
            Map<String, String> upns = new HashMap<>();
            for (int i = 0; i < d.users().size(); i++) {
                User u = d.users().get(i);
                String path = at + ".users[" + i + "]";
                String upn = u.userPrincipalName();
                int atSign = upn.indexOf('@');
                if (atSign <= 0 || atSign != upn.lastIndexOf('@') || atSign == upn.length() - 1) {
                    throw fail(path + ".userPrincipalName", "expected a user principal name such as adele@contoso.com, found "
                            + quoted(upn));
                }
                String domain = upn.substring(atSign + 1).toLowerCase(Locale.ROOT);
                // Entra ID refuses a UPN outside the tenant's verified domains; a tenant listing none is not checked.
                if (!domains.isEmpty() && !domains.contains(domain)) {
                    throw fail(path + ".userPrincipalName", "the domain " + domain + " is not a verified domain of the tenant");
                }
                String previous = upns.putIfAbsent(upn.toLowerCase(Locale.ROOT), path);
                if (previous != null) {
                    throw fail(path + ".userPrincipalName", "the user principal name " + upn + " is already used by " + previous);
                }
                licences(path, u);
                PasswordProfile pp = u.passwordProfile();
                if (pp != null && pp.password() != null && pp.password().isEmpty()) {
                    throw fail(path + ".passwordProfile.password", "expected a password, found an empty string");
                }
                if (pp != null && pp.password() == null && pp.passwordHash() != null && !SecretHasher.isEncodedHash(pp.passwordHash())) {
                    throw fail(path + ".passwordProfile.passwordHash", "expected " + HASH_FORM);
                }
            }
        }

        private void licences(String userPath, User u) {
            Map<UUID, String> seen = new HashMap<>();
            for (int l = 0; l < u.assignedLicenses().size(); l++) {
                AssignedLicense lic = u.assignedLicenses().get(l);
                String path = userPath + ".assignedLicenses[" + l + "]";
                SubscribedSku sku = skus.get(lic.skuId());
                if (sku == null) {
                    throw fail(path + ".skuId", "the SKU " + lic.skuId() + " is not among the tenant's subscribedSkus");
                }
                String previous = seen.putIfAbsent(lic.skuId(), path);
                if (previous != null) {
                    throw fail(path + ".skuId", "the SKU " + lic.skuId() + " is already assigned at " + previous);
                }
                for (int p = 0; p < lic.disabledPlans().size(); p++) {
                    UUID plan = lic.disabledPlans().get(p);
                    if (sku.servicePlans().stream().noneMatch(s -> s.servicePlanId().equals(plan))) {
                        throw fail(path + ".disabledPlans[" + p + "]", "the service plan " + plan + " is not a plan of the SKU "
                                + (sku.skuPartNumber() != null ? sku.skuPartNumber() : sku.skuId().toString()));
                    }
                }
            }
        }

        private List<Application> applications() {
            Map<String, String> uris = new HashMap<>();
            List<Application> out = new ArrayList<>(d.applications().size());
            for (int i = 0; i < d.applications().size(); i++) {
                Application a = d.applications().get(i);
                String path = at + ".applications[" + i + "]";
                if (applications.putIfAbsent(a.appId(), a) != null) {
                    throw fail(path + ".appId", "the appId " + a.appId() + " is already used by another application of the tenant");
                }
                for (int u = 0; u < a.identifierUris().size(); u++) {
                    String uri = a.identifierUris().get(u);
                    String uriPath = path + ".identifierUris[" + u + "]";
                    if (uri.isBlank()) {
                        throw fail(uriPath, "expected an identifier URI such as api://" + a.appId() + ", found an empty string");
                    }
                    String previous = uris.putIfAbsent(trimSlash(uri).toLowerCase(Locale.ROOT), uriPath);
                    if (previous != null) {
                        throw fail(uriPath, "the identifier URI " + uri + " is already used by " + previous);
                    }
                }
                permissions(path, a);
                Set<UUID> keyIds = new HashSet<>();
                for (int c = 0; c < a.passwordCredentials().size(); c++) {
                    secret(path + ".passwordCredentials[" + c + "]", a.passwordCredentials().get(c), keyIds);
                }
                List<KeyCredential> certificates = new ArrayList<>(a.keyCredentials().size());
                for (int k = 0; k < a.keyCredentials().size(); k++) {
                    certificates.add(certificate(path + ".keyCredentials[" + k + "]", a.keyCredentials().get(k), keyIds));
                }
                out.add(a.withCredentials(a.passwordCredentials(), certificates));
            }
            return out;
        }

        /** App roles and delegated scopes: ids and values unique within the application. */
        private void permissions(String appPath, Application a) {
            Map<UUID, String> ids = new HashMap<>();
            Map<String, String> values = new HashMap<>();
            for (int r = 0; r < a.appRoles().size(); r++) {
                AppRole role = a.appRoles().get(r);
                unique(ids, values, appPath + ".appRoles[" + r + "]", role.id(), role.value(), "app role");
            }
            ids.clear();
            values.clear();
            List<PermissionScope> scopes = a.api().oauth2PermissionScopes();
            for (int s = 0; s < scopes.size(); s++) {
                PermissionScope scope = scopes.get(s);
                unique(ids, values, appPath + ".api.oauth2PermissionScopes[" + s + "]", scope.id(), scope.value(), "scope");
            }
        }

        private void unique(Map<UUID, String> ids, Map<String, String> values, String path, UUID id, String value, String what) {
            String previous = ids.putIfAbsent(id, path);
            if (previous != null) {
                throw fail(path + ".id", "the " + what + " id " + id + " is already used by " + previous);
            }
            if (value != null) {
                previous = values.putIfAbsent(value.toLowerCase(Locale.ROOT), path);
                if (previous != null) {
                    throw fail(path + ".value", "the " + what + " value '" + value + "' is already used by " + previous);
                }
            }
        }

        private void secret(String path, PasswordCredential c, Set<UUID> keyIds) {
            if (!keyIds.add(c.keyId())) {
                throw fail(path + ".keyId", "the keyId " + c.keyId() + " is already used by another credential of the application");
            }
            dates(path, c.startDateTime(), c.endDateTime());
            if (c.secretText() != null && !c.secretText().isEmpty()) {
                return;
            }
            if (c.secretHash() == null) {
                throw fail(path, "a client secret needs \"secretText\" (the secret itself) or the \"secretHash\" an export "
                        + "wrote; Graph never returns secrets, so add \"secretText\" to one copied from Graph");
            }
            if (!SecretHasher.isEncodedHash(c.secretHash())) {
                throw fail(path + ".secretHash", "expected " + HASH_FORM);
            }
        }

        private KeyCredential certificate(String path, KeyCredential k, Set<UUID> keyIds) {
            if (!keyIds.add(k.keyId())) {
                throw fail(path + ".keyId", "the keyId " + k.keyId() + " is already used by another credential of the application");
            }
            if (!"AsymmetricX509Cert".equals(k.type())) {
                throw fail(path + ".type", "expected \"AsymmetricX509Cert\" (Consentry takes certificate credentials only), found "
                        + quoted(k.type()));
            }
            CertificateFacts cert = CertificateFacts.of(k.key()).orElseThrow(() -> fail(path + ".key",
                    "expected the base64 DER encoding of an X.509 certificate (a .cer file in base64, or a PEM body "
                            + "without its BEGIN and END lines)"));
            Instant start = k.startDateTime() != null ? k.startDateTime() : cert.notBefore();
            Instant end = k.endDateTime() != null ? k.endDateTime() : cert.notAfter();
            dates(path, start, end);
            return new KeyCredential(k.keyId(), k.displayName(), k.type(), k.usage(), cert.canonicalKey(),
                    k.customKeyIdentifier() != null ? k.customKeyIdentifier() : cert.thumbprint(), start, end,
                    k.additionalProperties());
        }

        private void dates(String path, Instant start, Instant end) {
            if (start != null && end != null && end.isBefore(start)) {
                throw fail(path + ".endDateTime", "the credential ends (" + end + ") before it starts (" + start + ")");
            }
        }

        /**
         * The listed service principals (completed from their application or built-in resource where they
         * leave something out), then one per application without one, then one per built-in resource.
         */
        private List<ServicePrincipal> servicePrincipals(List<Application> apps) {
            List<ServicePrincipal> out = new ArrayList<>();
            Map<AppId, String> seen = new HashMap<>();
            for (int i = 0; i < d.servicePrincipals().size(); i++) {
                ServicePrincipal s = d.servicePrincipals().get(i);
                String path = at + ".servicePrincipals[" + i + "]";
                String previous = seen.putIfAbsent(s.appId(), path);
                if (previous != null) {
                    throw fail(path + ".appId", "the tenant already has a service principal for the appId " + s.appId() + " at "
                            + previous);
                }
                out.add(complete(s));
            }
            for (Application a : apps) {
                if (seen.putIfAbsent(a.appId(), "") == null) {
                    List<String> names = new ArrayList<>();
                    names.add(a.appId().toString());
                    names.addAll(a.identifierUris());
                    out.add(added(new ServicePrincipal(StableIds.servicePrincipal(d.id(), a.appId()), a.appId(),
                            a.displayName(), null, null, d.id(), false, names, a.appRoles(), a.api().oauth2PermissionScopes(),
                            null)));
                }
            }
            for (BuiltinResource b : BuiltinResources.all()) {
                if (seen.putIfAbsent(b.appId(), "") == null) {
                    // Only what names it: its permissions come from the built-in catalogue when they are looked up.
                    out.add(added(new ServicePrincipal(StableIds.servicePrincipal(d.id(), b.appId()), b.appId(),
                            b.displayName(), null, null, null, null, b.servicePrincipalNames(), null, null, null)));
                }
            }
            for (ServicePrincipal s : out) {
                spById.put(s.id(), s);
                spByAppId.put(s.appId(), s);
            }
            return out;
        }

        private ServicePrincipal added(ServicePrincipal s) {
            if (claimedBy.containsKey(s.id())) {
                throw fail(claimedBy.get(s.id()) + ".id", "the object id " + s.id() + " is the one Consentry gives the service "
                        + "principal of " + s.appId() + " in this tenant; use another id");
            }
            claim(at + ".servicePrincipals", s.id(), Kind.SERVICE_PRINCIPAL);
            return s;
        }

        /**
         * A listed service principal that leaves out its names or permissions takes them from its application
         * (in this tenant or its home tenant in the file), as Entra ID keeps them in step; a built-in resource's
         * takes its names only.
         */
        private ServicePrincipal complete(ServicePrincipal s) {
            Application home = homeApplications.get(s.appId());
            Optional<BuiltinResource> builtin = BuiltinResources.find(s.appId());
            String displayName = s.displayName();
            List<String> names = s.servicePrincipalNames();
            List<AppRole> roles = s.appRoles();
            List<PermissionScope> scopes = s.oauth2PermissionScopes();
            if (home != null) {
                displayName = displayName != null ? displayName : home.displayName();
                if (names.isEmpty()) {
                    names = new ArrayList<>();
                    names.add(home.appId().toString());
                    names.addAll(home.identifierUris());
                }
                roles = roles.isEmpty() ? home.appRoles() : roles;
                scopes = scopes.isEmpty() ? home.api().oauth2PermissionScopes() : scopes;
            } else if (builtin.isPresent()) {
                displayName = displayName != null ? displayName : builtin.get().displayName();
                names = names.isEmpty() ? builtin.get().servicePrincipalNames() : names;
            }
            if (displayName == s.displayName() && names == s.servicePrincipalNames() && roles == s.appRoles()
                    && scopes == s.oauth2PermissionScopes()) {
                return s;
            }
            return new ServicePrincipal(s.id(), s.appId(), displayName, s.accountEnabled(), s.servicePrincipalType(),
                    s.appOwnerOrganizationId(), s.appRoleAssignmentRequired(), names, roles, scopes, s.additionalProperties());
        }

        private void groups() {
            for (int i = 0; i < d.groups().size(); i++) {
                Group g = d.groups().get(i);
                for (int m = 0; m < g.members().size(); m++) {
                    ObjectId member = g.members().get(m);
                    Kind kind = kinds.get(member);
                    if (kind == null || kind == Kind.APPLICATION) {
                        throw fail(at + ".groups[" + i + "].members[" + m + "]",
                                "no user, group or service principal of the tenant has the id " + member);
                    }
                }
            }
        }

        private List<AppRoleAssignment> appRoleAssignments() {
            List<AppRoleAssignment> out = new ArrayList<>();
            Map<String, String> ids = new HashMap<>();
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < d.appRoleAssignments().size(); i++) {
                AppRoleAssignment a = d.appRoleAssignments().get(i);
                String path = at + ".appRoleAssignments[" + i + "]";
                Principal principal = principal(path + ".principalId", a.principalId());
                ServicePrincipal resource = servicePrincipal(path + ".resourceId", a.resourceId());
                if (!a.appRoleId().equals(DEFAULT_ACCESS_ROLE)) {
                    AppRole role = appRole(resource, a.appRoleId()).orElseThrow(() -> fail(path + ".appRoleId",
                            "the resource " + name(resource) + " defines no app role with the id " + a.appRoleId()));
                    String memberType = principal.kind() == Kind.SERVICE_PRINCIPAL ? "Application" : "User";
                    if (!role.allowedMemberTypes().contains(memberType)) {
                        throw fail(path + ".appRoleId", "the app role " + role.value() + " of " + name(resource)
                                + " cannot be assigned to " + principal.kind().words + " (its allowedMemberTypes are "
                                + role.allowedMemberTypes() + ")");
                    }
                }
                String type = principal.kind().principalType;
                if (a.principalType() != null && !a.principalType().equalsIgnoreCase(type)) {
                    throw fail(path + ".principalType", "expected \"" + type + "\", since principalId names "
                            + principal.kind().words + "; found " + quoted(a.principalType()));
                }
                String id = a.id().isEmpty()
                        ? StableIds.appRoleAssignment(d.id(), principal.id(), resource.id(), a.appRoleId()) : a.id();
                once(seen, principal.id() + "|" + resource.id() + "|" + a.appRoleId(), path,
                        "the same principal already has this app role of this resource, at ");
                once(ids, id, path + ".id", "the id " + id + " is already used by ");
                out.add(new AppRoleAssignment(id, principal.id(), type, resource.id(), a.appRoleId(), a.createdDateTime(),
                        a.additionalProperties()));
            }
            return out;
        }

        private List<OAuth2PermissionGrant> oauth2PermissionGrants() {
            List<OAuth2PermissionGrant> out = new ArrayList<>();
            Map<String, String> ids = new HashMap<>();
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < d.oauth2PermissionGrants().size(); i++) {
                OAuth2PermissionGrant g = d.oauth2PermissionGrants().get(i);
                String path = at + ".oauth2PermissionGrants[" + i + "]";
                ServicePrincipal client = servicePrincipal(path + ".clientId", g.clientId());
                ServicePrincipal resource = servicePrincipal(path + ".resourceId", g.resourceId());
                switch (g.consentType()) {
                    case "AllPrincipals" -> {
                        if (g.principalId() != null) {
                            throw fail(path + ".principalId", "an \"AllPrincipals\" grant has no principalId (use consentType "
                                    + "\"Principal\" to consent for one user)");
                        }
                    }
                    case "Principal" -> {
                        if (g.principalId() == null) {
                            throw fail(path + ".principalId", "a \"Principal\" grant needs the id of the user it consents for");
                        }
                        if (kinds.get(g.principalId()) != Kind.USER) {
                            throw fail(path + ".principalId", "no user of the tenant has the id " + g.principalId());
                        }
                    }
                    default -> throw fail(path + ".consentType", "expected \"AllPrincipals\" or \"Principal\", found "
                            + quoted(g.consentType()));
                }
                Set<String> known = delegatedPermissions(resource);
                if (known != null) {
                    for (String scope : g.scopes()) {
                        if (!known.contains(scope.toLowerCase(Locale.ROOT))) {
                            throw fail(path + ".scope", "the resource " + name(resource) + " defines no delegated permission '"
                                    + scope + "'");
                        }
                    }
                }
                String id = g.id().isEmpty()
                        ? StableIds.oauth2PermissionGrant(d.id(), client.id(), resource.id(), g.consentType(), g.principalId())
                        : g.id();
                once(seen, client.id() + "|" + resource.id() + "|" + g.principalId(), path,
                        "a grant for the same client, resource and user is already listed at ");
                once(ids, id, path + ".id", "the id " + id + " is already used by ");
                out.add(new OAuth2PermissionGrant(id, client.id(), g.consentType(), g.principalId(), resource.id(), g.scope(),
                        g.createdDateTime(), g.additionalProperties()));
            }
            return out;
        }

        private List<RoleAssignment> roleAssignments() {
            List<RoleAssignment> out = new ArrayList<>();
            Map<String, String> ids = new HashMap<>();
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < d.roleAssignments().size(); i++) {
                RoleAssignment r = d.roleAssignments().get(i);
                String path = at + ".roleAssignments[" + i + "]";
                Principal principal = principal(path + ".principalId", r.principalId());
                if (!Guid.isGuid(r.roleDefinitionId())) {
                    throw fail(path + ".roleDefinitionId", "expected the id of a directory role template, such as "
                            + "62e90394-69f5-4237-9190-012177145e10 (Global Administrator), found " + quoted(r.roleDefinitionId()));
                }
                if (!r.directoryScopeId().startsWith("/")) {
                    throw fail(path + ".directoryScopeId", "expected \"/\" (the whole tenant) or a scope such as "
                            + "\"/administrativeUnits/{id}\", found " + quoted(r.directoryScopeId()));
                }
                String id = r.id().isEmpty()
                        ? StableIds.roleAssignment(d.id(), principal.id(), r.roleDefinitionId(), r.directoryScopeId()) : r.id();
                once(seen, principal.id() + "|" + r.roleDefinitionId().toLowerCase(Locale.ROOT) + "|" + r.directoryScopeId(),
                        path, "the same principal already has this role at this scope, at ");
                once(ids, id, path + ".id", "the id " + id + " is already used by ");
                out.add(new RoleAssignment(id, principal.id(), r.roleDefinitionId(), r.directoryScopeId(), r.additionalProperties()));
            }
            return out;
        }

        private void conditionalAccessPolicies() {
            Map<String, String> ids = new HashMap<>();
            for (int i = 0; i < d.conditionalAccessPolicies().size(); i++) {
                ConditionalAccessPolicy p = d.conditionalAccessPolicies().get(i);
                String path = at + ".conditionalAccessPolicies[" + i + "]";
                once(ids, p.id(), path + ".id", "the id " + p.id() + " is already used by ");
                if (p.state() != null && !POLICY_STATES.contains(p.state())) {
                    throw fail(path + ".state", "expected \"enabled\", \"disabled\" or \"enabledForReportingButNotEnforced\", "
                            + "found " + quoted(p.state()));
                }
            }
        }

        /** Records {@code key} at {@code path}; refuses it when already recorded (keys compare case-insensitively). */
        private void once(Map<String, String> seen, String key, String path, String problemBeforePath) {
            String previous = seen.putIfAbsent(key.toLowerCase(Locale.ROOT), path);
            if (previous != null) {
                throw fail(path, problemBeforePath + previous);
            }
        }

        /** A user, group or service principal, by object id; a service principal also by its appId. */
        private Principal principal(String path, ObjectId ref) {
            Kind kind = kinds.get(ref);
            if (kind != null && kind != Kind.APPLICATION) {
                return new Principal(ref, kind);
            }
            ServicePrincipal byAppId = spByAppId.get(new AppId(ref.value()));
            if (byAppId != null) {
                return new Principal(byAppId.id(), Kind.SERVICE_PRINCIPAL);
            }
            if (kind == Kind.APPLICATION) {
                throw fail(path, ref + " is the object id of " + Kind.APPLICATION.words);
            }
            throw fail(path, "no user, group or service principal of the tenant has the id or appId " + ref);
        }

        /** A service principal by object id or by appId. */
        private ServicePrincipal servicePrincipal(String path, ObjectId ref) {
            ServicePrincipal sp = spById.get(ref);
            if (sp == null) {
                sp = spByAppId.get(new AppId(ref.value()));
            }
            if (sp != null) {
                return sp;
            }
            Kind kind = kinds.get(ref);
            if (kind != null) {
                throw fail(path, ref + " is the object id of " + kind.words + ", not of a service principal");
            }
            throw fail(path, "no service principal of the tenant has the object id or appId " + ref);
        }

        /** The app role with that id: the resource's own, else its application's, else the built-in catalogue's. */
        private Optional<AppRole> appRole(ServicePrincipal resource, UUID id) {
            List<AppRole> candidates = new ArrayList<>(resource.appRoles());
            Application home = homeApplications.get(resource.appId());
            if (home != null) {
                candidates.addAll(home.appRoles());
            }
            BuiltinResources.find(resource.appId()).ifPresent(b -> candidates.addAll(b.appRoles()));
            return candidates.stream().filter(r -> r.id().equals(id)).findFirst();
        }

        /**
         * The delegated permission values a grant on {@code resource} may hold (lower case), or null when
         * Consentry cannot know them all: the built-in catalogue lists only part of the permissions of Azure AD
         * Graph, Exchange and SharePoint, and nothing is known of an application registered elsewhere.
         */
        private Set<String> delegatedPermissions(ServicePrincipal resource) {
            Set<String> known = new HashSet<>();
            resource.oauth2PermissionScopes().forEach(s -> known.add(s.value().toLowerCase(Locale.ROOT)));
            Application home = homeApplications.get(resource.appId());
            if (home != null) {
                home.api().oauth2PermissionScopes().forEach(s -> known.add(s.value().toLowerCase(Locale.ROOT)));
            }
            if (resource.appId().equals(WellKnown.GRAPH_APP_ID)) {
                BuiltinResources.graph().oauth2PermissionScopes().forEach(s -> known.add(s.value().toLowerCase(Locale.ROOT)));
                known.addAll(OPENID_SCOPES);
                return known;
            }
            if (BuiltinResources.find(resource.appId()).isPresent() || (home == null && known.isEmpty())) {
                return null;
            }
            return known;
        }
    }

    private static String name(ServicePrincipal sp) {
        return (sp.displayName() != null ? sp.displayName() : "service principal") + " (" + sp.appId() + ")";
    }

    private static String quoted(String s) {
        return s == null ? "nothing" : "the string \"" + s + "\"";
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
