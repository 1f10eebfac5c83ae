package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.consentry.core.id.ObjectId;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A delegated-permission grant (consent): client service principal {@code clientId} may act for
 * {@code principalId} (consentType "Principal") or every user ("AllPrincipals") on {@code resourceId}
 * with the space-separated {@code scope}. {@code createdDateTime} is Consentry's record of when the
 * consent was given (Graph does not expose it), used to tell a token that predates it.
 */
public record OAuth2PermissionGrant(
        String id,
        ObjectId clientId,
        String consentType,
        ObjectId principalId,
        ObjectId resourceId,
        String scope,
        Instant createdDateTime,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    /** {@code consentType} of a grant for every user of the tenant (admin consent). */
    public static final String ALL_PRINCIPALS = "AllPrincipals";
    /** {@code consentType} of a grant for one user, {@code principalId}. */
    public static final String PRINCIPAL = "Principal";

    public OAuth2PermissionGrant {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(resourceId, "resourceId");
        id = id == null ? UUID.randomUUID().toString() : id;
        consentType = consentType == null ? ALL_PRINCIPALS : consentType;
        scope = scope == null ? "" : scope;
        additionalProperties = Extra.copy(additionalProperties);
    }

    /**
     * True when this grant lets the client act for {@code user}: it is for every user ({@code AllPrincipals}) or for
     * that one ({@code Principal}); the one rule of who a consent covers, for the token endpoint and Graph alike.
     */
    public boolean covers(ObjectId user) {
        return ALL_PRINCIPALS.equals(consentType) || (user != null && user.equals(principalId));
    }

    /** The granted scope values, in order, without empties. */
    public List<String> scopes() {
        return Arrays.stream(scope.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

}
