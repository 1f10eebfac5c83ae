package dev.consentry.graph.authz;

import dev.consentry.core.directory.ErrorProfile;
import dev.consentry.core.id.TenantId;
import java.util.Optional;

import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides every call to Microsoft Graph in one ordered pipeline (product brief, section 2): the token stage
 * ({@link TokenChecks}: S1, S2, S7), then the route and permission stage ({@link PermissionChecks}: S3 to
 * S5), then the signed-in user's own rights ({@link UserChecks}: S6, the directory roles that
 * authentication methods, user changes, user creation, licences and role membership need) and
 * the licence of the data's owner ({@link LicenceChecks}: S6, mail, calendar and files).
 * Every step taken is in the {@link Decision}.
 *
 * <p>Not built yet: the user's rights on routes beyond those (group ownership, application ownership, admin units)
 * and conditional access (S8); a call that passes the stages above is allowed.
 */
public final class AuthorizationEngine {
    private final TokenChecks tokens;
    private final PermissionChecks permissions;
    private final UserChecks users;
    private final LicenceChecks licences;
    private final Store store;

    public AuthorizationEngine(TokenValidator validator, GraphPermissionCatalogue catalogue, Store store) {
        this.tokens = new TokenChecks(validator, catalogue);
        this.permissions = new PermissionChecks(catalogue, store);
        this.users = new UserChecks(store);
        this.licences = new LicenceChecks(store);
        this.store = store;
    }

    public Decision decide(GraphRequest request, Instant now) {
        TokenStage token = tokens.check(request, now);
        List<Step> steps = new ArrayList<>(token.steps());
        return switch (token) {
            case TokenStage.Refused r -> new Decision.Deny(r.failure(), Map.of(), steps, profileOf(r.tenant()));
            case TokenStage.Passed p -> switch (permissions.check(p.token(), request)) {
                case PermissionStage.Refused r -> {
                    steps.addAll(r.steps());
                    yield new Decision.Deny(r.failure(), r.leastPrivileged(), steps, profileOf(Optional.of(p.token().tenantId())));
                }
                case PermissionStage.Passed ok -> {
                    steps.addAll(ok.steps());
                    Map<String, List<String>> least = Map.of(PermissionChecks.schemeOf(p.token()).dataName(), ok.leastPrivileged());
                    CheckOutcome user = users.check(p.token(), request, ok.templates());
                    user.step().ifPresent(steps::add);
                    if (user.failure().isPresent()) {
                        yield new Decision.Deny(user.failure().get(), least, steps, profileOf(Optional.of(p.token().tenantId())));
                    }
                    CheckOutcome licence = licences.check(p.token(), request, ok.templates());
                    licence.step().ifPresent(steps::add);
                    yield licence.failure().<Decision>map(f -> new Decision.Deny(f, least, steps,
                                    profileOf(Optional.of(p.token().tenantId()))))
                            .orElseGet(() -> new Decision.Allow(ok.permission(), ok.templates(), least, steps, p.token()));
                }
            };
        };
    }

    /** The tenant's error profile (read only for a refusal), or the default when no tenant is known. */
    private ErrorProfile profileOf(Optional<TenantId> tenant) {
        return tenant.flatMap(t -> store.tenants().find(t)).map(t -> t.settings().errorProfile())
                .orElse(ErrorProfile.TROUBLESHOOTING_GUIDE);
    }
}
