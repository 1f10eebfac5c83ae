package dev.consentry.identity.client;

import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.TenantId;

/**
 * A client whose identity the token endpoint has established.
 *
 * @param application the app registration (in its home tenant)
 * @param homeTenant the tenant that owns the registration
 * @param servicePrincipal the client's service principal in the tenant the request is for
 * @param method how it authenticated; decides {@code appidacr}/{@code azpacr}
 */
public record AuthenticatedClient(Application application, TenantId homeTenant, ServicePrincipal servicePrincipal,
                                  Method method) {

    /** Client authentication methods and their {@code appidacr} value (wire spec, section 4.3). */
    public enum Method {
        NONE("0"), CLIENT_SECRET_POST("1"), CLIENT_SECRET_BASIC("1"), PRIVATE_KEY_JWT("2");

        private final String acr;

        Method(String acr) {
            this.acr = acr;
        }

        /** {@code "0"} public client, {@code "1"} secret, {@code "2"} certificate. */
        public String acr() {
            return acr;
        }
    }
}
