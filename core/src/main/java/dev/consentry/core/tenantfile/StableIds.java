package dev.consentry.core.tenantfile;

import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.UUID;

/**
 * Ids for the objects reading adds or completes, derived from what they stand for (RFC 9562 name-based
 * UUIDs, version 5, with the tenant id as the namespace), so that reading the same file twice, or
 * re-importing an export, yields the same ids.
 */
final class StableIds {
    private StableIds() {}

    /** The service principal of {@code appId} in {@code tenant}. */
    static ObjectId servicePrincipal(TenantId tenant, AppId appId) {
        return new ObjectId(v5(tenant.value(), "servicePrincipal:" + appId));
    }

    /** An appRoleAssignment listed without an id. */
    static String appRoleAssignment(TenantId tenant, ObjectId principal, ObjectId resource, UUID appRoleId) {
        return v5(tenant.value(), "appRoleAssignment:" + principal + ":" + resource + ":" + appRoleId).toString();
    }

    /** An oauth2PermissionGrant listed without an id. */
    static String oauth2PermissionGrant(TenantId tenant, ObjectId client, ObjectId resource, String consentType,
                                        ObjectId principal) {
        return v5(tenant.value(), "oauth2PermissionGrant:" + client + ":" + resource + ":" + consentType + ":" + principal)
                .toString();
    }

    /** A roleAssignment listed without an id. */
    static String roleAssignment(TenantId tenant, ObjectId principal, String roleDefinitionId, String directoryScopeId) {
        return v5(tenant.value(), "roleAssignment:" + principal + ":" + roleDefinitionId.toLowerCase(Locale.ROOT) + ":"
                + directoryScopeId).toString();
    }

    /** RFC 9562, section 5.5: SHA-1 of namespace and name, with the version and variant bits set. */
    static UUID v5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java SE platform", e);
        }
        sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array());
        byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0f) | 0x50);
        h[8] = (byte) ((h[8] & 0x3f) | 0x80);
        ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }
}
