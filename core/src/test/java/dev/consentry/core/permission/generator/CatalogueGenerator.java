package dev.consentry.core.permission.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.permission.CatalogueFiles;
import dev.consentry.core.permission.PermissionsFile;
import dev.consentry.core.permission.Scheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Derives the built-in catalogue resources from Microsoft's published permission data (facts only:
 * names, ids, schemes, consent flags, privilege levels, path templates, markers, role ids and names).
 *
 * <p>After refreshing the shared data, regenerate with {@code mvn -pl core test -Dtest=CatalogueGeneratorTest
 * -Dconsentry.regenerate=true} ({@code docs/catalogue.md}); {@code CatalogueGeneratorTest} otherwise fails
 * whenever the committed resources differ from what this generator derives.
 */
public final class CatalogueGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

    private CatalogueGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: CatalogueGenerator <graph-permissions data dir> <output dir>");
            System.exit(2);
        }
        generate(Path.of(args[0]), Path.of(args[1]));
    }

    /**
     * Writes {@code graph-permissions.tsv}, {@code graph-paths.tsv.gz}, {@code directory-roles.tsv} and
     * {@code password-reset.tsv} into {@code out}.
     */
    public static void generate(Path data, Path out) throws IOException {
        Files.createDirectories(out);
        PermissionsFile.IdSource ids = idSource(data);
        PermissionsFile.Derived derived;
        try (InputStream in = Files.newInputStream(data.resolve("permissions.json"))) {
            derived = PermissionsFile.derive(in, ids);
        }
        try (Writer w = Files.newBufferedWriter(out.resolve("graph-permissions.tsv"), StandardCharsets.UTF_8)) {
            CatalogueFiles.writePermissions(derived.permissions(), w);
        }
        // Java's gzip header carries no timestamp, so regenerating gives the same bytes.
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(out.resolve("graph-paths.tsv.gz")), 1 << 16);
             Writer w = new OutputStreamWriter(gz, StandardCharsets.UTF_8)) {
            CatalogueFiles.writePaths(derived.rules(), w);
        }
        try (Writer w = Files.newBufferedWriter(out.resolve("directory-roles.tsv"), StandardCharsets.UTF_8)) {
            List<String> lines = new ArrayList<>();
            for (JsonNode r : JSON.readTree(data.resolve("entra-directory-roles.json").toFile())) {
                lines.add(r.path("id").asText().toLowerCase(Locale.ROOT) + "\t" + r.path("displayName").asText() + "\t"
                        + (r.path("privileged").asBoolean() ? "1" : "0"));
            }
            lines.sort(null);
            for (String l : lines) {
                w.write(l + "\n");
            }
        }
        writePasswordReset(data, out);
    }

    /**
     * {@code password-reset.tsv}: per target role id (or {@code none} for a user without an admin role), the ids
     * of the roles that may reset that user's password, from {@code password-reset-matrix.json}. Rows for
     * groups of roles (custom roles, administrative units, role-assignable groups) are left out: Consentry
     * applies its default rule (Privileged Authentication Administrator and Global Administrator) to them.
     */
    static void writePasswordReset(Path data, Path out) throws IOException {
        JsonNode matrix = JSON.readTree(data.resolve("password-reset-matrix.json").toFile());
        Map<String, String> idsByName = new HashMap<>();
        for (JsonNode r : matrix.path("resetterRoles")) {
            idsByName.put(r.path("displayName").asText(), r.path("id").asText().toLowerCase(Locale.ROOT));
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode t : matrix.path("targets")) {
            String target = t.path("targetRole").asText();
            String key;
            if (target.equals("(no admin role)")) {
                key = "none";
            } else if (t.hasNonNull("targetRoleId")) {
                key = t.path("targetRoleId").asText().toLowerCase(Locale.ROOT);
            } else {
                continue;
            }
            List<String> resetters = new ArrayList<>();
            for (JsonNode name : t.path("resettableBy")) {
                String id = idsByName.get(name.asText());
                if (id == null) {
                    throw new IOException("password-reset-matrix.json names an unknown resetter role: " + name.asText());
                }
                resetters.add(id);
            }
            resetters.sort(null);
            lines.add(key + "\t" + String.join(",", resetters));
        }
        lines.sort(null);
        try (Writer w = Files.newBufferedWriter(out.resolve("password-reset.tsv"), StandardCharsets.UTF_8)) {
            for (String l : lines) {
                w.write(l + "\n");
            }
        }
    }

    /**
     * Ids from {@code permissions-descriptions.json} (the Graph service principal's scopes and app roles),
     * then from {@code provisioningInfo.json} (enabled, public-cloud entries of Microsoft Graph only).
     */
    static PermissionsFile.IdSource idSource(Path data) throws IOException {
        Map<String, UUID> delegated = new HashMap<>();
        Map<String, UUID> application = new HashMap<>();
        JsonNode descriptions = JSON.readTree(data.resolve("permissions-descriptions.json").toFile());
        for (JsonNode d : descriptions.path("delegatedScopesList")) {
            delegated.putIfAbsent(d.path("value").asText().toLowerCase(Locale.ROOT), UUID.fromString(d.path("id").asText()));
        }
        for (JsonNode d : descriptions.path("applicationScopesList")) {
            application.putIfAbsent(d.path("value").asText().toLowerCase(Locale.ROOT), UUID.fromString(d.path("id").asText()));
        }
        Map<String, UUID> provisioned = new HashMap<>();
        JsonNode deployments = JSON.readTree(data.resolve("provisioningInfo.json").toFile()).path("permissionDeployments");
        for (Map.Entry<String, JsonNode> e : deployments.properties()) {
            for (JsonNode dep : e.getValue()) {
                String env = dep.path("environment").asText("");
                String resource = dep.path("resourceAppId").asText("");
                if (!dep.path("isEnabled").asBoolean(false) || !(env.isEmpty() || env.toLowerCase(Locale.ROOT).contains("public"))
                        || !(resource.isEmpty() || resource.equalsIgnoreCase(GRAPH_APP_ID))) {
                    continue;
                }
                try {
                    provisioned.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT) + "|" + dep.path("scheme").asText(),
                            UUID.fromString(dep.path("id").asText()));
                } catch (IllegalArgumentException bad) {
                    // not a GUID: skip, a synthetic id will be minted
                }
            }
        }
        return (name, scheme) -> {
            String key = name.toLowerCase(Locale.ROOT);
            Optional<UUID> fromDescriptions = Optional.ofNullable(scheme == Scheme.APPLICATION
                    ? application.get(key) : delegated.get(key));
            return fromDescriptions.or(() -> Optional.ofNullable(provisioned.get(key + "|" + scheme.dataName())));
        };
    }
}
