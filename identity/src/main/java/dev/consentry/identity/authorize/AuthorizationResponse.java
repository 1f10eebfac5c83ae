package dev.consentry.identity.authorize;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters to deliver to a {@link ReplyTarget}: {@code code}, {@code id_token}, {@code state},
 * {@code session_state} on success (wire spec, section 1.4), or {@code error}, {@code error_description},
 * {@code error_uri}, {@code state} on a redirectable error. Parameters are kept in wire order.
 */
public record AuthorizationResponse(ReplyTarget target, Map<String, String> parameters) {
    public AuthorizationResponse {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
