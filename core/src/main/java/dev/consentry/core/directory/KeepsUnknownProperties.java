package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import java.util.Map;

/**
 * A directory value in Graph's shape that keeps the properties Consentry does not model: read into
 * {@link #additionalProperties()} (each record's {@code @JsonAnySetter} component) and written back by export, so a
 * tenant exported from Graph survives a load and an export unchanged.
 */
public interface KeepsUnknownProperties {

    /** Properties Consentry does not model, in name order (an export writes the same bytes each time); never null. */
    @JsonAnyGetter
    Map<String, Object> additionalProperties();
}
