package dev.consentry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code serve} prints before its ready line: where it listens, how to trust its CA, how to
 * point MSAL at it, the tenants, and the demo tenant's credentials when there is one.
 */
record Banner(String baseUrl, Path caFile, String store, List<TenantLine> tenants, List<DemoCredentials> demo,
              long startMillis) {

    /** One tenant: id, display name and default domain. */
    record TenantLine(String id, String displayName, String domain) {}

    /** One credential of the demo tenant, printed so that people can use it at once. */
    record DemoCredentials(String kind, String name, String id, String secret) {}

    String text() {
        String ca = caFile.toString();
        String trustStore = caFile.resolveSibling("truststore.p12").toString();
        StringBuilder b = new StringBuilder();
        b.append("Consentry: offline Microsoft Entra ID and Microsoft Graph\n");
        b.append("  Base URL   ").append(baseUrl).append('\n');
        b.append("  Store      ").append(store).append('\n');
        b.append("  Trust      the local CA in ").append(ca).append('\n');
        b.append("             curl --cacert ").append(ca).append(' ').append(baseUrl).append("/common/v2.0/.well-known/openid-configuration\n");
        b.append("             Java: -Djavax.net.ssl.trustStore=").append(trustStore)
                .append(" -Djavax.net.ssl.trustStorePassword=changeit\n");
        b.append("             Node: NODE_EXTRA_CA_CERTS=").append(ca).append("   Python: REQUESTS_CA_BUNDLE=").append(ca).append('\n');
        b.append("  Authority  ").append(baseUrl).append("/<tenant id or domain>/   (MSAL4J: build with .instanceDiscovery(false))\n");
        if (!tenants.isEmpty()) {
            b.append("  Tenants\n");
            for (TenantLine t : tenants) {
                b.append("    ").append(t.id()).append("  ").append(t.domain()).append("  ")
                        .append(t.displayName() == null ? "" : t.displayName()).append('\n');
            }
        }
        if (!demo.isEmpty()) {
            b.append("  Demo tenant credentials (made for this data dir; keep them to yourself)\n");
            for (DemoCredentials d : demo) {
                b.append("    ").append(String.format("%-7s %-22s %-40s %s", d.kind(), d.name(), d.id(), d.secret())).append('\n');
            }
        }
        b.append("  Started in ").append(startMillis).append(" ms\n");
        return b.toString();
    }

    String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("baseUrl", baseUrl);
        m.put("caFile", caFile.toString());
        m.put("store", store);
        m.put("tenants", tenants);
        m.put("demoCredentials", demo);
        m.put("startMillis", startMillis);
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
