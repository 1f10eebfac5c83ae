package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.consentry.core.id.ObjectId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user, with Graph's {@code user} property names.
 *
 * <p>Guaranteed: {@code id} and {@code userPrincipalName} are non-null; lists are never null;
 * {@code accountEnabled} defaults to true. The password lives only as a hash in {@link PasswordProfile}.
 */
public record User(
        ObjectId id,
        String userPrincipalName,
        String displayName,
        String mail,
        String userType,
        Boolean accountEnabled,
        PasswordProfile passwordProfile,
        Instant lastPasswordChangeDateTime,
        List<AssignedLicense> assignedLicenses,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userPrincipalName, "userPrincipalName");
        accountEnabled = accountEnabled == null ? Boolean.TRUE : accountEnabled;
        assignedLicenses = Extra.list(assignedLicenses);
        additionalProperties = Extra.copy(additionalProperties);
    }

    public boolean enabled() {
        return accountEnabled;
    }

    /**
     * This user with {@code passwordHash} for the same password (a stronger hash of it, say): the password's other
     * settings and the time it was last changed stay.
     */
    public User withPasswordHash(String passwordHash) {
        PasswordProfile p = passwordProfile == null ? new PasswordProfile(null, passwordHash, false, null)
                : new PasswordProfile(null, passwordHash, passwordProfile.forceChangePasswordNextSignIn(),
                        passwordProfile.additionalProperties());
        return new User(id, userPrincipalName, displayName, mail, userType, accountEnabled, p, lastPasswordChangeDateTime,
                assignedLicenses, additionalProperties);
    }

}
