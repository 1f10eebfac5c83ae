package dev.consentry.identity.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.FailureException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scope rules of the client credentials grant (wire spec, section 5). */
class ClientCredentialsScopeTest {

    @ParameterizedTest
    @CsvSource({
            "'https://graph.microsoft.com/.default', https://graph.microsoft.com",
            "'https://graph.microsoft.com/.default openid profile offline_access', https://graph.microsoft.com",
            "'OPENID https://graph.microsoft.com//.default', https://graph.microsoft.com/",
            "'api://orders/.default  api://ORDERS/.default', api://orders",
            "'00000003-0000-0000-c000-000000000000/.default', 00000003-0000-0000-c000-000000000000"})
    void acceptsOneDefaultScope(String scope, String resource) {
        assertThat(ClientCredentialsGrant.defaultScopeResource(scope)).isEqualTo(resource);
    }

    @ParameterizedTest
    @CsvSource({
            "User.Read, SCOPE_INVALID_FOR_FLOW, https://graph.microsoft.com/.default",
            "'https://graph.microsoft.com/User.Read', SCOPE_INVALID_FOR_FLOW, https://graph.microsoft.com/.default",
            "'api://orders/read', SCOPE_INVALID_FOR_FLOW, api://orders/.default",
            "'openid profile', SCOPE_INVALID_FOR_FLOW, https://graph.microsoft.com/.default",
            "'https://graph.microsoft.com/.default api://orders/.default', SCOPE_INVALID, ",
            "'/.default', SCOPE_INVALID, "})
    void refusesAnythingElse(String scope, Cause cause, String suggestion) {
        FailureException e = catchThrowableOfType(FailureException.class, () -> ClientCredentialsGrant.defaultScopeResource(scope));
        assertThat(e.failure().cause()).isEqualTo(cause);
        if (suggestion != null) {
            assertThat(e.failure().facts()).containsEntry("suggestion", suggestion);
        }
    }
}
