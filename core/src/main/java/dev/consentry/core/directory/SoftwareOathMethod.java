package dev.consentry.core.directory;

import dev.consentry.core.id.ObjectId;
import java.time.Instant;
import java.util.Objects;

/**
 * A user's authenticator app, registered for time-based one-time passwords: Graph's
 * {@code softwareOathAuthenticationMethod} (under {@code /users/{id}/authentication/softwareOathMethods}), with the
 * user it belongs to, which Graph expresses by the path and the tenant file by {@code userId}.
 *
 * <p>Guaranteed: {@code id}, {@code userId} and {@code secretKey} are non-null; {@code secretKey} is the shared secret
 * in Base32 (RFC 4648), as the {@code otpauth://} URI an app scans carries it. Graph never returns it on a read
 * ({@code secretKey} is null there); the store and the tenant file keep it, since the server must compute the codes.
 *
 * @param createdDateTime when it was registered; null when the tenant file does not say
 */
public record SoftwareOathMethod(String id, ObjectId userId, String secretKey, Instant createdDateTime) {
    /** Graph's {@code @odata.type} of such a method. */
    public static final String ODATA_TYPE = "#microsoft.graph.softwareOathAuthenticationMethod";

    public SoftwareOathMethod {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(secretKey, "secretKey");
    }
}
