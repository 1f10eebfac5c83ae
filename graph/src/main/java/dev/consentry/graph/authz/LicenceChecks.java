package dev.consentry.graph.authz;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Step;
import dev.consentry.core.id.ObjectId;
import dev.consentry.identity.token.TokenView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The licence stage (product brief, section 2, S6): mail, calendar and files need the data's owner (the
 * signed-in user for {@code /me}, the named user for {@code /users/{id}}) to hold an assigned licence whose
 * SKU, among the tenant's subscribed SKUs, has a successfully provisioned service plan of that workload
 * ({@code EXCHANGE_S_*}, {@code SHAREPOINT*}) that the assignment does not disable. Directory APIs need none;
 * site and drive paths that name no user pass (their owner is not a user).
 */
final class LicenceChecks implements Stage {
    private final DirectoryFacts facts;

    LicenceChecks(DirectoryFacts facts) {
        this.facts = facts;
    }

    @Override
    public StageResult apply(Evaluation evaluation) {
        TokenView token = evaluation.token();
        GraphRequest request = evaluation.request();
        Workload workload = Workload.of(request.graphPath());
        if (workload.servicePlanPrefix() == null) {
            return new StageResult.Continue(evaluation, List.of());
        }
        Optional<DirectoryFacts.View> view = facts.tenant(token.tenantId());
        if (view.isEmpty()) {
            return new StageResult.Continue(evaluation, List.of(Step.unknown(Check.LICENCE, "the owner of this "
                    + workload.name().toLowerCase(Locale.ROOT) + " data needs a licence with a " + workload.servicePlanPrefix()
                    + "* plan; check their assigned licences in the tenant")));
        }
        DirectoryFacts.View directory = view.get();
        Optional<User> owner = owner(token, request, directory);
        if (owner.isEmpty()) {
            return new StageResult.Continue(evaluation, List.of(Step.passed(Check.LICENCE, "no user in the tenant owns this "
                    + workload.name().toLowerCase(Locale.ROOT) + " data")));
        }
        List<String> seen = new ArrayList<>();
        for (AssignedLicense l : owner.get().assignedLicenses()) {
            Optional<SubscribedSku> sku = directory.subscribedSku(l.skuId());
            seen.add(sku.map(SubscribedSku::skuPartNumber).orElse(l.skuId().toString()));
            if (sku.isPresent()) {
                for (SubscribedSku.ServicePlan plan : sku.get().servicePlans()) {
                    if (plan.servicePlanName() != null && plan.servicePlanName().startsWith(workload.servicePlanPrefix())
                            && !"Disabled".equalsIgnoreCase(plan.provisioningStatus())
                            && !l.disabledPlans().contains(plan.servicePlanId())) {
                        return new StageResult.Continue(evaluation, List.of(Step.passed(Check.LICENCE,
                                owner.get().userPrincipalName() + " has " + plan.servicePlanName() + " through "
                                + sku.get().skuPartNumber())));
                    }
                }
            }
        }
        String licences = seen.isEmpty() ? "no licence at all" : "licences: " + String.join(", ", seen);
        String route = String.join(" or ", evaluation.templates());
        String user = owner.get().userPrincipalName();
        Step failed = Step.failed(Check.LICENCE, user + " has " + licences + ", none with a " + workload.servicePlanPrefix()
                + "* plan");
        // Each workload answers in its own words: Exchange has no mailbox for the user; SharePoint, in a tenant that
        // bought none of it, names the tenant; a tenant with SharePoint refuses the unlicensed user's files.
        Failure failure;
        if (workload == Workload.EXCHANGE) {
            failure = Failure.of(Cause.MAILBOX_NOT_LICENSED, "route", route, "user", user, "plan",
                    workload.servicePlanPrefix(), "licences", licences);
        } else if (directory.subscribedSkus().stream().noneMatch(sku -> hasPlan(sku, workload))) {
            List<String> skus = directory.subscribedSkus().stream().map(SubscribedSku::skuPartNumber).toList();
            failure = Failure.of(Cause.TENANT_NOT_LICENSED_SPO, "route", route, "tenant", token.tenantId().toString(),
                    "plan", workload.servicePlanPrefix(), "skus", skus.isEmpty() ? "no SKU at all" : String.join(", ", skus),
                    "user", user);
            failed = Step.failed(Check.LICENCE, "tenant " + token.tenantId() + " has no SKU with a "
                    + workload.servicePlanPrefix() + "* plan");
        } else {
            failure = Failure.of(Cause.USER_NOT_LICENSED, "route", route, "workload", "SharePoint Online and OneDrive",
                    "user", user, "plan", workload.servicePlanPrefix(), "licences", licences);
        }
        return new StageResult.Stop(failure, evaluation, List.of(failed));
    }

    private static boolean hasPlan(SubscribedSku sku, Workload workload) {
        return sku.servicePlans().stream().anyMatch(p -> p.servicePlanName() != null
                && p.servicePlanName().startsWith(workload.servicePlanPrefix()));
    }

    /** The signed-in user for {@code /me/...}, else the user a {@code /users/{id or name}/...} path names. */
    private static Optional<User> owner(TokenView token, GraphRequest request, DirectoryFacts.View directory) {
        if (request.graphPath().isMe()) {
            return token.appOnly() ? Optional.empty() : token.objectId().flatMap(ObjectId::tryParse).flatMap(directory::user);
        }
        return request.graphPath().namedUser().flatMap(directory::userByIdOrName);
    }
}
