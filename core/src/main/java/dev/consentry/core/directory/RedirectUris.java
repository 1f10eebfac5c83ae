package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A platform's redirect URIs ({@code web}, {@code spa} or {@code publicClient} of an application: Graph's
 * {@code webApplication}, {@code spaApplication} and {@code publicClientApplication}). Their other properties
 * ({@code homePageUrl}, {@code implicitGrantSettings}, {@code redirectUriSettings}) are kept as given.
 */
public record RedirectUris(List<String> redirectUris, String logoutUrl,
                           @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public static final RedirectUris NONE = new RedirectUris(null, null);

    public RedirectUris {
        redirectUris = Extra.list(redirectUris);
        additionalProperties = Extra.copy(additionalProperties);
    }

    public RedirectUris(List<String> redirectUris, String logoutUrl) {
        this(redirectUris, logoutUrl, null);
    }

    /**
     * The value of {@code implicitGrantSettings.enableIdTokenIssuance} (Graph's {@code implicitGrantSettings}, kept
     * with the other properties): whether the app may receive an id token from the authorize endpoint (implicit and
     * hybrid flows). Empty when it is not set or not a Boolean, which Entra reads as off, as on a new registration.
     */
    public Optional<Boolean> idTokenIssuance() {
        return additionalProperties.get("implicitGrantSettings") instanceof Map<?, ?> settings
                && settings.get("enableIdTokenIssuance") instanceof Boolean enabled
                ? Optional.of(enabled) : Optional.empty();
    }

}
