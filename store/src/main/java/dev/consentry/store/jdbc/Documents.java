package dev.consentry.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.store.StoreException;

/** Stored values as JSON text, in the tenant file's Graph shape. */
final class Documents {
    private static final ObjectMapper JSON = DirectoryJson.mapper();

    private Documents() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T parse(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored " + type.getSimpleName() + " is unreadable", e);
        }
    }
}
