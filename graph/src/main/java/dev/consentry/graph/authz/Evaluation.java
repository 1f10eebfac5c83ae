package dev.consentry.graph.authz;

import dev.consentry.core.id.TenantId;
import dev.consentry.identity.token.TokenView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the pipeline knows about one Graph call so far, handed from stage to stage: the request and its instant,
 * then the token once the token stage read it, then the route and the permission that allows the call once the
 * permission stage found them. Immutable; a stage that learns something returns a copy.
 *
 * @param tenant the token's tenant once its signature verified (even if a later token check refused it); else null
 * @param token the token as the token stage accepted it; null before that stage passed
 * @param permission the permission that allows the call; null before the permission stage passed
 * @param templates the Graph path templates the call matched; empty before the permission stage
 * @param leastPrivileged the least privileged permissions per scheme name, for the diagnosis; empty until known
 */
public record Evaluation(GraphRequest request, Instant now, TenantId tenant, TokenView token, String permission,
                         List<String> templates, Map<String, List<String>> leastPrivileged) {
    public Evaluation {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(now, "now");
        templates = List.copyOf(templates);
        leastPrivileged = Map.copyOf(leastPrivileged);
    }

    /** The start of the pipeline: nothing is known beyond the request. */
    public static Evaluation of(GraphRequest request, Instant now) {
        return new Evaluation(request, now, null, null, null, List.of(), Map.of());
    }

    /** The token's tenant, when known. */
    public Optional<TenantId> tenantIfKnown() {
        return Optional.ofNullable(tenant);
    }

    Evaluation withTenant(TenantId t) {
        return new Evaluation(request, now, t, token, permission, templates, leastPrivileged);
    }

    Evaluation withToken(TokenView t) {
        return new Evaluation(request, now, t.tenantId(), t, permission, templates, leastPrivileged);
    }

    Evaluation withPermission(String p, List<String> matched, Map<String, List<String>> least) {
        return new Evaluation(request, now, tenant, token, p, matched, least);
    }

    Evaluation withLeastPrivileged(Map<String, List<String>> least) {
        return new Evaluation(request, now, tenant, token, permission, templates, least);
    }
}
