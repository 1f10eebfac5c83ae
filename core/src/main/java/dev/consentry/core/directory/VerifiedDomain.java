package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Objects;

/**
 * A verified domain of a tenant, as Graph's {@code verifiedDomain} resource.
 * The tenant file may also give a plain domain name, read as a non-default domain.
 */
public record VerifiedDomain(String name, Boolean isDefault, Boolean isInitial, String type) {
    public VerifiedDomain {
        Objects.requireNonNull(name, "name");
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
