package dev.consentry.identity.grant;

import dev.consentry.identity.tenant.TenantPath;
import java.util.Map;

/**
 * One grant type's handling: authenticate the client, check the grant is allowed, validate scopes,
 * decide claims, sign. Raises {@code FailureException} on the first problem.
 */
interface Grant {
    Map<String, Object> issue(TokenCall call, TenantPath tenant);
}
