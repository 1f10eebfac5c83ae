package dev.consentry.identity.consent;

import dev.consentry.core.directory.AppConsentRequest;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The admin consent workflow's requests (Microsoft Learn, "Review admin consent requests"): a user who may not consent
 * to an app, in a tenant whose {@code adminConsentRequestPolicy} is enabled, asks the administrators for it with a
 * reason. Entra keeps one {@code appConsentRequest} per app, whose {@code pendingScopes} gather what was asked and
 * whose {@code userConsentRequests} hold each user's request; a user asking again while their request is in progress
 * adds nothing new.
 */
public final class ConsentRequests {
    /** The longest reason kept; a longer one is refused by the page. */
    public static final int MAX_REASON = 1000;
    private final Store store;

    public ConsentRequests(Store store) {
        this.store = store;
    }

    /**
     * An administrator granted {@code permissions} of {@code app} for the organization: they leave the app's
     * {@code pendingScopes}, and once none is left every request still in progress is {@code Completed} at {@code now}
     * (as a request an administrator approved). Nothing is written when the app has no request or nothing changes.
     */
    public void granted(TenantId tenant, AppId app, Collection<String> permissions, Instant now) {
        Optional<AppConsentRequest> existing = store.appConsentRequests().findByAppId(tenant, app);
        if (existing.isEmpty()) {
            return;
        }
        AppConsentRequest r = existing.get();
        List<AppConsentRequest.Scope> pending = r.pendingScopes().stream()
                .filter(s -> permissions.stream().noneMatch(p -> p.equalsIgnoreCase(s.displayName()))).toList();
        List<AppConsentRequest.UserConsentRequest> users = pending.isEmpty() ? r.userConsentRequests().stream()
                .map(u -> !"InProgress".equals(u.status()) ? u : new AppConsentRequest.UserConsentRequest(u.id(), "Completed",
                        u.reason(), u.createdDateTime(), now, u.createdBy(), u.approvalId(), u.additionalProperties()))
                .toList() : r.userConsentRequests();
        if (pending.size() == r.pendingScopes().size() && users.equals(r.userConsentRequests())) {
            return;
        }
        store.appConsentRequests().save(tenant, new AppConsentRequest(r.id(), r.appId(), r.appDisplayName(), pending, users,
                r.additionalProperties()));
    }

    /** What {@link #submit} did: the stored request, and whether this user's request is new. */
    public record Submitted(AppConsentRequest request, boolean added) {}

    /**
     * Records {@code user}'s request for {@code permissions} of {@code app} in {@code tenant}, with {@code reason}
     * (at most {@link #MAX_REASON} characters, trimmed), at {@code now}.
     */
    public Submitted submit(TenantId tenant, Application app, User user, List<String> permissions, String reason, Instant now) {
        Optional<AppConsentRequest> existing = store.appConsentRequests().findByAppId(tenant, app.appId());
        List<AppConsentRequest.Scope> pending = new ArrayList<>(existing.map(AppConsentRequest::pendingScopes).orElse(List.of()));
        for (String p : permissions) {
            if (pending.stream().noneMatch(s -> s.displayName().equalsIgnoreCase(p))) {
                pending.add(new AppConsentRequest.Scope(p));
            }
        }
        List<AppConsentRequest.UserConsentRequest> users = new ArrayList<>(existing.map(AppConsentRequest::userConsentRequests)
                .orElse(List.of()));
        boolean inProgress = users.stream().anyMatch(u -> "InProgress".equals(u.status()) && u.createdBy() != null
                && u.createdBy().user() != null && user.id().toString().equalsIgnoreCase(u.createdBy().user().id()));
        if (!inProgress) {
            String name = user.displayName() == null ? user.userPrincipalName() : user.displayName();
            users.add(new AppConsentRequest.UserConsentRequest(UUID.randomUUID().toString(), "InProgress",
                    reason == null ? null : reason.strip(), now, null, new AppConsentRequest.IdentitySet(
                            new AppConsentRequest.Identity(user.id().toString(), name)), null, null));
        }
        AppConsentRequest saved = new AppConsentRequest(existing.map(AppConsentRequest::id).orElse(UUID.randomUUID().toString()),
                app.appId().toString().toLowerCase(Locale.ROOT), app.displayName(), pending, users,
                existing.map(AppConsentRequest::additionalProperties).orElse(null));
        store.appConsentRequests().save(tenant, saved);
        return new Submitted(saved, !inProgress);
    }
}
