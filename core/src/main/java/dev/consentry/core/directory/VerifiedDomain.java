package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;
import java.util.Objects;

/**
 * A verified domain of a tenant, as Graph's {@code verifiedDomain} resource ({@code capabilities} and any other
 * property are kept as given). The tenant file may also give a plain domain name, read as a non-default domain.
 */
public record VerifiedDomain(String name, Boolean isDefault, Boolean isInitial, String type,
                             @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public VerifiedDomain {
        Objects.requireNonNull(name, "name");
        additionalProperties = Extra.copy(additionalProperties);
    }

    public VerifiedDomain(String name, Boolean isDefault, Boolean isInitial, String type) {
        this(name, isDefault, isInitial, type, null);
    }

    /** A plain domain name from the tenant file. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static VerifiedDomain named(String name) {
        return new VerifiedDomain(name, null, null, "Managed");
    }

    @JsonIgnore
    public boolean isDefaultDomain() {
        return Boolean.TRUE.equals(isDefault);
    }

}
