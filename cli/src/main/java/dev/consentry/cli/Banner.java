package dev.consentry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.builtin.WellKnown;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code serve} prints when it is ready: where it listens and how to trust its CA, the authority of each tenant,
 * Graph's base URL, where decisions are explained, the demo tenant's apps (kind, client id, what each may do) and users
 * (roles) with their credentials, and one command to paste that gets a token and calls Graph. As text for people, or
 * as one JSON document ({@code --output json}) for scripts.
 */
record Banner(String baseUrl, Path caFile, String store, List<TenantLine> tenants, List<DemoSummary.AppLine> apps,
              List<DemoSummary.UserLine> users, long startMillis) {

    /** One tenant: id, display name, default domain and the authority to give MSAL. */
    record TenantLine(String id, String displayName, String domain, String authority) {}

    /** One credential of the demo tenant, as {@code demo-credentials.json} keeps it. */
    record DemoCredentials(String kind, String name, String id, String secret) {}

    String graphUrl() {
        return baseUrl + "/v1.0";
    }

    String diagnosticsUrl() {
        return baseUrl + "/consentry/diagnostics/{request-id}";
    }

    /**
     * A command for a POSIX shell that gets an app-only token for the demo daemon and lists the users through Graph;
     * null when there is no demo daemon with a secret.
     */
    String tryIt() {
        DemoSummary.AppLine daemon = apps.stream().filter(a -> a.type().equals("daemon") && a.secret() != null)
                .findFirst().orElse(null);
        TenantLine tenant = tenants.stream().filter(t -> !t.id().equals(WellKnown.CONSUMERS_TENANT_ID.toString()))
                .findFirst().orElse(null);
        if (daemon == null || tenant == null) {
            return null;
        }
        String ca = caFile.toString();
        return "TOKEN=$(curl -s --cacert " + ca + " " + tenant.authority() + "/oauth2/v2.0/token"
                + " -d grant_type=client_credentials -d client_id=" + daemon.clientId()
                + " --data-urlencode 'client_secret=" + daemon.secret() + "'"
                + " -d scope=https://graph.microsoft.com/.default | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')"
                + " && curl -s --cacert " + ca + " -H \"Authorization: Bearer $TOKEN\" " + graphUrl() + "/users";
    }

    String text() {
        String ca = caFile.toString();
        String trustStore = caFile.resolveSibling("truststore.p12").toString();
        StringBuilder b = new StringBuilder();
        b.append("Consentry: offline Microsoft Entra ID and Microsoft Graph\n");
        b.append("  Base URL     ").append(baseUrl).append('\n');
        b.append("  Graph        ").append(graphUrl()).append("   (and /beta)\n");
        b.append("  Diagnostics  ").append(diagnosticsUrl()).append("   (the request-id of any answer)\n");
        b.append("  Store        ").append(store).append('\n');
        b.append("  Trust        the local CA in ").append(ca).append('\n');
        b.append("               curl --cacert ").append(ca).append("   Node: NODE_EXTRA_CA_CERTS=").append(ca).append('\n');
        b.append("               Python: REQUESTS_CA_BUNDLE=").append(ca).append(" (MSAL, requests)   SSL_CERT_FILE=")
                .append(ca).append(" (urllib)\n");
        b.append("               Java: -Djavax.net.ssl.trustStore=").append(trustStore)
                .append(" -Djavax.net.ssl.trustStorePassword=changeit\n");
        if (!tenants.isEmpty()) {
            b.append("  Tenants      (authority for MSAL; MSAL4J: .instanceDiscovery(false), MSAL Python: instance_discovery=False)\n");
            for (TenantLine t : tenants) {
                b.append("    ").append(t.authority()).append("   ").append(Terminal.printable(t.domain())).append("  ")
                        .append(t.displayName() == null ? "" : Terminal.printable(t.displayName())).append('\n');
            }
        }
        if (!apps.isEmpty()) {
            b.append("  Demo apps    (credentials made for this data dir; keep them to yourself)\n");
            for (DemoSummary.AppLine a : apps) {
                b.append(String.format("    %-16s %-36s %-16s %s%n", Terminal.printable(a.name()), a.clientId(), a.type(),
                        Terminal.printable(a.mayDo())));
                if (a.secret() != null) {
                    b.append("    ").append(" ".repeat(16)).append(" secret ").append(a.secret()).append('\n');
                }
            }
        }
        if (!users.isEmpty()) {
            b.append("  Demo users\n");
            for (DemoSummary.UserLine u : users) {
                b.append(String.format("    %-32s %-22s %s", Terminal.printable(u.userPrincipalName()), Terminal.printable(u.roles()),
                        u.password() == null ? "" : "password " + u.password()).stripTrailing()).append('\n');
            }
        }
        String tryIt = tryIt();
        if (tryIt != null) {
            b.append("  Try it       a token for Contoso Daemon, then Graph's user list (paste into a shell):\n");
            b.append("    ").append(tryIt).append('\n');
        }
        b.append("  Started in ").append(startMillis).append(" ms\n");
        b.append("Consentry is ready at ").append(baseUrl).append('\n');
        return b.toString();
    }

    /** One JSON document: every fact of {@link #text()}, and {@code "ready": true}. */
    String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", true);
        m.put("baseUrl", baseUrl);
        m.put("graphUrl", graphUrl());
        m.put("diagnosticsUrl", diagnosticsUrl());
        m.put("caFile", caFile.toString());
        m.put("store", store);
        m.put("tenants", tenants);
        m.put("demoApps", apps);
        m.put("demoUsers", users);
        m.put("tryIt", tryIt());
        m.put("startMillis", startMillis);
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
