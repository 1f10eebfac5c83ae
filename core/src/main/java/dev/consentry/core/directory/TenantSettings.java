package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * Consentry's per-tenant settings ({@code settings} in the tenant file).
 *
 * @param errorProfile which Graph statuses to reproduce (product brief, section 2); never null
 * @param additionalProperties unknown properties, kept for the round trip
 */
public record TenantSettings(
        ErrorProfile errorProfile,
        @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {

    public static final TenantSettings DEFAULT = new TenantSettings(null, null);

    public TenantSettings {
        errorProfile = errorProfile == null ? ErrorProfile.TROUBLESHOOTING_GUIDE : errorProfile;
        additionalProperties = Extra.copy(additionalProperties);
    }
}
