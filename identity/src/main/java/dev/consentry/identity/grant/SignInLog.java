package dev.consentry.identity.grant;

import dev.consentry.core.audit.SignIn;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.access.PolicyOutcome;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes the sign-in log entry of a token call that reached a user: one per token issued to a user or refused for one
 * once the user was known (a name that matches nobody, or a refusal before the grant found the user, is not a sign-in
 * of anyone). An app-only call notes no user and is never logged here, as Entra keeps those apart.
 */
public final class SignInLog {
    /** The grants where the user takes part now: a password, a browser's code, a device code. */
    private static final Set<String> INTERACTIVE = Set.of("password", "authorization_code", "device_code",
            "urn:ietf:params:oauth:grant-type:device_code");
    private final Store store;

    public SignInLog(Store store) {
        this.store = store;
    }

    /**
     * A refusal shown on a sign-in page to a user the page had identified (a wrong password, a wrong or reused second
     * factor, a locked account, a conditional access refusal), logged as Entra logs a failed interactive browser
     * sign-in: the AADSTS number as {@code errorCode}, the public message as {@code failureReason}.
     *
     * @param address the browser's address, or null when unknown
     * @param correlationId the request's correlation id
     */
    public void refusedOnPage(TenantId tenant, User user, Application client, java.net.InetAddress address,
                              String correlationId, Failure failure, Instant now) {
        boolean conditionalAccess = failure.cause() == Cause.CONDITIONAL_ACCESS_BLOCKED
                || failure.cause() == Cause.DEVICE_NOT_COMPLIANT;
        store.signIns().record(tenant, new SignIn(UUID.randomUUID().toString(), now, user.id().toString(),
                user.userPrincipalName(), user.displayName(), client.appId().toString(), client.displayName(),
                address == null ? null : address.getHostAddress(), "Browser", correlationId,
                conditionalAccess ? "failure" : "notApplied", true, null, null, failure.cause().code(),
                failure.publicMessage(), List.of()));
    }

    void record(TokenCall call, TokenOutcome outcome, String correlationId) {
        SignInNote note = call.signIn();
        if (note.user() == null) {
            return;
        }
        String grantType = call.params().get("grant_type").orElse("");
        String appId = note.appId() != null ? note.appId() : call.params().get("client_id").orElse(null);
        String appName = note.appDisplayName() != null ? note.appDisplayName()
                : java.util.Optional.ofNullable(appId).flatMap(AppId::tryParse).flatMap(id -> store.servicePrincipals().findByAppId(note.tenant(), id))
                        .map(sp -> sp.displayName()).orElse(null);
        List<PolicyOutcome> policies = note.policies() == null ? List.of() : note.policies();
        int errorCode = outcome instanceof TokenOutcome.Refused r ? r.failure().cause().code() : 0;
        String failureReason = outcome instanceof TokenOutcome.Refused r ? r.failure().publicMessage() : null;
        store.signIns().record(note.tenant(), new SignIn(UUID.randomUUID().toString(), call.now(),
                note.user().id().toString(), note.user().userPrincipalName(), note.user().displayName(), appId, appName,
                call.clientAddress() == null ? null : call.clientAddress().getHostAddress(),
                "authorization_code".equals(grantType) ? "Browser" : "Mobile Apps and Desktop clients", correlationId,
                status(policies), INTERACTIVE.contains(grantType), note.resourceId(), note.resourceDisplayName(), errorCode,
                failureReason, policies.stream().map(p -> new SignIn.AppliedPolicy(p.id(), p.displayName(),
                        p.enforcedGrantControls(), p.result())).toList()));
    }

    /** Graph's {@code conditionalAccessStatus}: a failure if any enforced policy failed, success if one applied. */
    private static String status(List<PolicyOutcome> policies) {
        if (policies.stream().anyMatch(PolicyOutcome::refuses)) {
            return "failure";
        }
        return policies.stream().anyMatch(p -> "success".equals(p.result())) ? "success" : "notApplied";
    }
}
