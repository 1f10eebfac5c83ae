package dev.consentry.identity.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.identity.resource.ResolvedResource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Microsoft Graph's own descriptions of its delegated permissions, from a {@code permissions-descriptions.json} the user
 * gives {@code serve} ({@code --permission-descriptions}): each {@code delegatedScopesList} entry's
 * {@code consentDescription} (what Entra shows a user on its consent page), by {@code value}. Consentry ships none of
 * these texts; a permission the file does not describe, and every other resource's, keeps {@code fallback}'s words.
 */
public final class DescriptionsFile implements PermissionDescriptions {
    private final Map<String, String> graph;
    private final PermissionDescriptions fallback;

    private DescriptionsFile(Map<String, String> graph, PermissionDescriptions fallback) {
        this.graph = graph;
        this.fallback = fallback;
    }

    /** Reads the file; an unreadable file or one without {@code delegatedScopesList} is an {@link IOException}. */
    public static DescriptionsFile read(Path file, PermissionDescriptions fallback) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode list = root == null ? null : root.get("delegatedScopesList");
        if (list == null || !list.isArray()) {
            throw new IOException("it has no \"delegatedScopesList\" array, as Microsoft's permissions-descriptions.json has");
        }
        Map<String, String> graph = new HashMap<>();
        for (JsonNode entry : list) {
            String value = entry.path("value").asText("");
            String text = entry.path("consentDescription").asText("");
            if (text.isBlank()) {
                text = entry.path("adminConsentDescription").asText("");
            }
            if (!value.isBlank() && !text.isBlank()) {
                graph.put(value.toLowerCase(Locale.ROOT), text);
            }
        }
        return new DescriptionsFile(Map.copyOf(graph), fallback);
    }

    /** How many Graph permissions the file describes. */
    public int size() {
        return graph.size();
    }

    @Override
    public String describe(ResolvedResource resource, PermissionScope permission) {
        if (resource.appId().equals(WellKnown.GRAPH_APP_ID)) {
            String text = graph.get(permission.value().toLowerCase(Locale.ROOT));
            if (text != null) {
                return text;
            }
        }
        return fallback.describe(resource, permission);
    }
}
