package dev.consentry.core.tenantfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Optional;

/**
 * Reading the tenant file's JSON tree before it is mapped, where any value may have the wrong type: these
 * helpers answer "absent" for a wrong type and leave the refusal, with its path, to the mapping.
 */
final class JsonTrees {
    private JsonTrees() {}

    /** The string value of {@code node}; empty when it is absent or not a string. */
    static Optional<String> text(JsonNode node) {
        return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }

    /** The array {@code node.property}; an empty node when it is absent or not an array (an object's size is not its length). */
    static JsonNode array(JsonNode node, String property) {
        JsonNode value = node == null ? null : node.get(property);
        return value != null && value.isArray() ? value : MissingNode.getInstance();
    }
}
