package dev.consentry.store;

import dev.consentry.core.directory.AppConsentRequest;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AuthenticationContextClassReference;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Device;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.NamedLocation;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The kinds of tenant-scoped directory objects a store keeps, each with how to find its list in a
 * {@link TenantDirectory}, how to put a new list back, its id and its lookup key (app id, UPN). Both
 * store implementations are written once against these descriptors.
 *
 * @param name the stable name used in the JDBC schema's {@code kind} column
 */
public record DirectoryKind<T>(String name, Class<T> type, Function<TenantDirectory, List<T>> list,
                      BiFunction<TenantDirectory, List<T>, TenantDirectory> with, Function<T, String> id,
                      Function<T, String> lookupKey) {

    public static final DirectoryKind<User> USER = new DirectoryKind<>("user", User.class, TenantDirectory::users,
            (d, l) -> copy(d, 0, l), u -> u.id().toString(), u -> u.userPrincipalName().toLowerCase(Locale.ROOT));
    public static final DirectoryKind<Group> GROUP = new DirectoryKind<>("group", Group.class, TenantDirectory::groups,
            (d, l) -> copy(d, 1, l), g -> g.id().toString(), g -> null);
    public static final DirectoryKind<Application> APPLICATION = new DirectoryKind<>("application", Application.class,
            TenantDirectory::applications, (d, l) -> copy(d, 2, l), a -> a.id().toString(), a -> a.appId().toString());
    public static final DirectoryKind<ServicePrincipal> SERVICE_PRINCIPAL = new DirectoryKind<>("servicePrincipal", ServicePrincipal.class,
            TenantDirectory::servicePrincipals, (d, l) -> copy(d, 3, l), s -> s.id().toString(), s -> s.appId().toString());
    public static final DirectoryKind<AppRoleAssignment> APP_ROLE_ASSIGNMENT = new DirectoryKind<>("appRoleAssignment",
            AppRoleAssignment.class, TenantDirectory::appRoleAssignments, (d, l) -> copy(d, 4, l), AppRoleAssignment::id,
            a -> a.principalId().toString());
    public static final DirectoryKind<OAuth2PermissionGrant> PERMISSION_GRANT = new DirectoryKind<>("oauth2PermissionGrant",
            OAuth2PermissionGrant.class, TenantDirectory::oauth2PermissionGrants, (d, l) -> copy(d, 5, l),
            OAuth2PermissionGrant::id, g -> g.clientId().toString());
    public static final DirectoryKind<RoleAssignment> ROLE_ASSIGNMENT = new DirectoryKind<>("roleAssignment", RoleAssignment.class,
            TenantDirectory::roleAssignments, (d, l) -> copy(d, 6, l), RoleAssignment::id, r -> r.principalId().toString());
    public static final DirectoryKind<SubscribedSku> SUBSCRIBED_SKU = new DirectoryKind<>("subscribedSku", SubscribedSku.class,
            TenantDirectory::subscribedSkus, (d, l) -> copy(d, 7, l), s -> s.skuId().toString(), s -> null);
    public static final DirectoryKind<ConditionalAccessPolicy> POLICY = new DirectoryKind<>("conditionalAccessPolicy",
            ConditionalAccessPolicy.class, TenantDirectory::conditionalAccessPolicies, (d, l) -> copy(d, 8, l),
            ConditionalAccessPolicy::id, p -> null);
    /** Requests for an administrator's consent, one per app: found by the app's client id. */
    public static final DirectoryKind<AppConsentRequest> APP_CONSENT_REQUEST = new DirectoryKind<>("appConsentRequest",
            AppConsentRequest.class, TenantDirectory::appConsentRequests, (d, l) -> copy(d, 9, l), AppConsentRequest::id,
            r -> r.appId().toLowerCase(Locale.ROOT));

    /** Users' authenticator apps: found by the user's id. */
    public static final DirectoryKind<SoftwareOathMethod> SOFTWARE_OATH_METHOD = new DirectoryKind<>("softwareOathMethod",
            SoftwareOathMethod.class, TenantDirectory::softwareOathMethods, (d, l) -> copy(d, 10, l), SoftwareOathMethod::id,
            m -> m.userId().toString());

    /** Conditional access's named locations. */
    public static final DirectoryKind<NamedLocation> NAMED_LOCATION = new DirectoryKind<>("namedLocation", NamedLocation.class,
            TenantDirectory::namedLocations, (d, l) -> copy(d, 11, l), NamedLocation::id, n -> null);
    /** Devices: found by the device id tokens and device cookies carry. */
    public static final DirectoryKind<Device> DEVICE = new DirectoryKind<>("device", Device.class, TenantDirectory::devices,
            (d, l) -> copy(d, 12, l), x -> x.id().toString(), x -> x.deviceId().toLowerCase(Locale.ROOT));
    /** The tenant's authentication contexts (c1 to c99). */
    public static final DirectoryKind<AuthenticationContextClassReference> AUTHENTICATION_CONTEXT = new DirectoryKind<>(
            "authenticationContextClassReference", AuthenticationContextClassReference.class,
            TenantDirectory::authenticationContextClassReferences, (d, l) -> copy(d, 13, l),
            AuthenticationContextClassReference::id, c -> null);

    /** Every kind, in the order a tenant is written (referenced objects first). */
    public static final List<DirectoryKind<?>> ALL = List.of(SUBSCRIBED_SKU, USER, GROUP, APPLICATION, SERVICE_PRINCIPAL,
            APP_ROLE_ASSIGNMENT, PERMISSION_GRANT, ROLE_ASSIGNMENT, POLICY, APP_CONSENT_REQUEST, SOFTWARE_OATH_METHOD, NAMED_LOCATION, DEVICE, AUTHENTICATION_CONTEXT);

    /** {@code d} with its list number {@code which} (in the order of the kinds above) replaced by {@code list}. */
    @SuppressWarnings("unchecked")
    private static TenantDirectory copy(TenantDirectory d, int which, List<?> list) {
        return new TenantDirectory(d.id(), d.displayName(), d.verifiedDomains(),
                which == 0 ? (List<User>) list : d.users(),
                which == 1 ? (List<Group>) list : d.groups(),
                which == 2 ? (List<Application>) list : d.applications(),
                which == 3 ? (List<ServicePrincipal>) list : d.servicePrincipals(),
                which == 4 ? (List<AppRoleAssignment>) list : d.appRoleAssignments(),
                which == 5 ? (List<OAuth2PermissionGrant>) list : d.oauth2PermissionGrants(),
                which == 6 ? (List<RoleAssignment>) list : d.roleAssignments(),
                which == 7 ? (List<SubscribedSku>) list : d.subscribedSkus(),
                which == 8 ? (List<ConditionalAccessPolicy>) list : d.conditionalAccessPolicies(),
                which == 9 ? (List<AppConsentRequest>) list : d.appConsentRequests(),
                which == 10 ? (List<SoftwareOathMethod>) list : d.softwareOathMethods(),
                which == 11 ? (List<NamedLocation>) list : d.namedLocations(),
                which == 12 ? (List<Device>) list : d.devices(),
                which == 13 ? (List<AuthenticationContextClassReference>) list : d.authenticationContextClassReferences(),
                d.authorizationPolicy(), d.adminConsentRequestPolicy(), d.settings(), d.additionalProperties());
    }
}
