package dev.consentry.junit;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.PublicClientApplication;
import java.net.MalformedURLException;

/**
 * MSAL4J clients pointed at a {@link LocalConsentry}, configured as for any authority that is not Microsoft's:
 * the tenant's authority on Consentry, instance discovery off (MSAL would otherwise ask Microsoft's cloud whether
 * the host is an authority), and TLS trusting Consentry's CA. Needs MSAL4J on the test class path.
 */
public final class MsalClients {
    private MsalClients() {}

    /** A confidential client (a daemon, a web app) of the app {@code appName} of {@code tenant}, with its secret. */
    public static ConfidentialClientApplication confidential(LocalConsentry server, ConsentryTenant tenant, String appName,
                                                             String secret) {
        return confidential(server, tenant, appName, ClientCredentialFactory.createFromSecret(secret));
    }

    /** A confidential client authenticating with {@code credential} (a secret, a certificate, a signed assertion). */
    public static ConfidentialClientApplication confidential(LocalConsentry server, ConsentryTenant tenant, String appName,
                                                             IClientCredential credential) {
        try {
            return ConfidentialClientApplication.builder(tenant.clientId(appName), credential)
                    .authority(server.authority(tenant)).instanceDiscovery(false)
                    .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A public client (desktop, mobile, CLI) of the app {@code appName} of {@code tenant}. */
    public static PublicClientApplication publicClient(LocalConsentry server, ConsentryTenant tenant, String appName) {
        try {
            return PublicClientApplication.builder(tenant.clientId(appName)).authority(server.authority(tenant))
                    .instanceDiscovery(false).sslSocketFactory(server.sslContext().getSocketFactory()).build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
