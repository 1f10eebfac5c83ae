package dev.consentry.identity.protocol;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * MSAL's {@code client_info} (wire spec, section 2.5): base64url, without padding, of
 * {@code {"uid":"<user object id>","utid":"<home tenant id>"}}; MSAL builds the account's home id from it.
 */
public final class ClientInfo {
    private ClientInfo() {}

    public static String encode(ObjectId userId, TenantId homeTenant) {
        String info = "{\"uid\":\"" + userId + "\",\"utid\":\"" + homeTenant + "\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(info.getBytes(StandardCharsets.UTF_8));
    }
}
