package dev.consentry.store;

/**
 * The part of a {@link Store} that both implementations share: the directory aggregates (tenants, users, groups,
 * applications, service principals, grants, assignments, SKUs, policies) are all served by one
 * {@link KindBackedStore} part, which each implementation builds once and names with {@link #directory()}.
 */
public abstract class DirectoryBackedStore implements Store {

    /** The directory part, built once by the implementation. */
    protected abstract KindBackedStore directory();

    @Override
    public TenantStore tenants() {
        return directory().tenants();
    }

    @Override
    public UserStore users() {
        return directory().users();
    }

    @Override
    public GroupStore groups() {
        return directory().groups();
    }

    @Override
    public ApplicationStore applications() {
        return directory().applications();
    }

    @Override
    public ServicePrincipalStore servicePrincipals() {
        return directory().servicePrincipals();
    }

    @Override
    public AppRoleAssignmentStore appRoleAssignments() {
        return directory().appRoleAssignments();
    }

    @Override
    public PermissionGrantStore permissionGrants() {
        return directory().permissionGrants();
    }

    @Override
    public RoleAssignmentStore roleAssignments() {
        return directory().roleAssignments();
    }

    @Override
    public SubscribedSkuStore subscribedSkus() {
        return directory().subscribedSkus();
    }

    @Override
    public ConditionalAccessPolicyStore conditionalAccessPolicies() {
        return directory().conditionalAccessPolicies();
    }
}
