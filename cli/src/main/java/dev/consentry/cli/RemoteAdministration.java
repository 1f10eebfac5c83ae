package dev.consentry.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.ServerFile;
import dev.consentry.server.tls.TlsMaterial;
import dev.consentry.server.tls.TrustingClients;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * {@link Administration} by asking the Consentry that serves a data dir, over HTTPS on loopback, with the admin
 * credential of its {@link ServerFile}; the server trusts nothing else, and this client trusts only the data dir's CA.
 * A refusal of the server becomes the same one line a command would print without a server.
 */
final class RemoteAdministration implements Administration {
    private static final ObjectMapper JSON = DirectoryJson.mapper();
    private final ServerFile server;
    private final HttpClient http;

    private RemoteAdministration(ServerFile server, HttpClient http) {
        this.server = server;
        this.http = http;
    }

    /** A client of the server described by {@code file}, trusting the CA in {@code dataDir}. */
    static RemoteAdministration connect(ServerFile file, Path dataDir) {
        Path ca = dataDir.resolve(TlsMaterial.CA_FILE);
        try {
            SSLContext tls = TrustingClients.sslContext(TrustingClients.readCa(ca));
            return new RemoteAdministration(file, HttpClient.newBuilder().sslContext(tls)
                    .connectTimeout(Duration.ofSeconds(2)).build());
        } catch (IOException | GeneralSecurityException e) {
            throw new Main.UserError("a Consentry (pid " + file.pid() + ") serves " + dataDir + ", but its CA in " + ca
                    + " cannot be read: " + e.getMessage());
        }
    }

    @Override
    public String where() {
        return "the Consentry at " + server.baseUrl() + " (" + server.store() + ")";
    }

    @Override
    public int importTenants(byte[] tenantFile, String source) {
        return send("POST", "/consentry/admin/tenants", tenantFile).path("imported").asInt();
    }

    @Override
    public byte[] exportTenants(List<String> tenants) {
        String query = tenants.stream().map(t -> "tenant=" + URLEncoder.encode(t, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return exchange("GET", "/consentry/admin/tenants" + (query.isEmpty() ? "" : "?" + query), null);
    }

    @Override
    public String rotateKey() {
        return send("POST", "/consentry/admin/keys/rotate", new byte[0]).path("primaryKeyId").asText();
    }

    @Override
    public List<KeyInfo> keys() {
        try {
            return JSON.readValue(exchange("GET", "/consentry/admin/keys", null), new TypeReference<List<KeyInfo>>() {});
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    @Override
    public GrantResult grant(GrantRequest request) {
        try {
            return JSON.treeToValue(send("POST", "/consentry/admin/grants", JSON.writeValueAsBytes(request)), GrantResult.class);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    @Override
    public ConsentResult consent(ConsentRequest request) {
        try {
            return JSON.treeToValue(send("POST", "/consentry/admin/consents", JSON.writeValueAsBytes(request)),
                    ConsentResult.class);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    @Override
    public PermissionUse permissionUse(String tenant, String app) {
        String query = "app=" + URLEncoder.encode(app == null ? "" : app, StandardCharsets.UTF_8)
                + (tenant == null ? "" : "&tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8));
        try {
            return JSON.readValue(exchange("GET", "/consentry/admin/permission-use?" + query, null), PermissionUse.class);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    @Override
    public java.util.Optional<String> diagnosis(String id) {
        HttpResponse<byte[]> response = call(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/consentry/diagnostics/"
                + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"))).timeout(Duration.ofSeconds(30))
                .GET().build());
        if (response.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new Main.UserError("the Consentry at " + server.baseUrl() + " refused to show the diagnosis ("
                    + response.statusCode() + ")");
        }
        return java.util.Optional.of(new String(response.body(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        http.close();
    }

    private JsonNode send(String method, String path, byte[] body) {
        try {
            return JSON.readTree(exchange(method, path, body));
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** The answer's body on 200; a refusal's own message as a {@link Main.UserError} otherwise. */
    private byte[] exchange(String method, String path, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + server.adminToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response = call(request.build());
        if (response.statusCode() == 200) {
            return response.body();
        }
        String message;
        try {
            message = JSON.readTree(response.body()).path("error").path("message").asText("");
        } catch (IOException e) {
            message = "";
        }
        throw new Main.UserError(message.isEmpty() ? "the Consentry at " + server.baseUrl() + " answered "
                + response.statusCode() + " to " + method + " " + path : message);
    }

    /** The server's answer to {@code request}; a {@link Main.UserError} when it does not answer. */
    private HttpResponse<byte[]> call(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Main.UserError("the Consentry serving this data dir (pid " + server.pid() + ") does not answer at "
                    + server.baseUrl() + " (" + e.getClass().getSimpleName() + "); stop it, or wait until it is ready");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Main.UserError("interrupted while asking the Consentry at " + server.baseUrl());
        }
    }

    private Main.UserError unreadable(IOException e) {
        return new Main.UserError("the Consentry at " + server.baseUrl() + " gave an answer this command cannot read ("
                + e.getMessage() + "); are the command and the server the same version?");
    }
}
