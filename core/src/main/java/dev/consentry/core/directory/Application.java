package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An app registration, with Graph's {@code application} property names.
 *
 * <p>Guaranteed: {@code id} and {@code appId} are non-null; lists and platform sections are never
 * null; {@code signInAudience} defaults to {@code AzureADMyOrg}.
 */
public record Application(
        ObjectId id,
        AppId appId,
        String displayName,
        String signInAudience,
        List<String> identifierUris,
        ApiApplication api,
        List<AppRole> appRoles,
        List<PasswordCredential> passwordCredentials,
        List<KeyCredential> keyCredentials,
        List<RequiredResourceAccess> requiredResourceAccess,
        RedirectUris web,
        RedirectUris spa,
        RedirectUris publicClient,
        Boolean isFallbackPublicClient,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public Application {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appId, "appId");
        signInAudience = signInAudience == null ? "AzureADMyOrg" : signInAudience;
        identifierUris = Extra.list(identifierUris);
        api = api == null ? ApiApplication.NONE : api;
        appRoles = Extra.list(appRoles);
        passwordCredentials = Extra.list(passwordCredentials);
        keyCredentials = Extra.list(keyCredentials);
        requiredResourceAccess = Extra.list(requiredResourceAccess);
        web = web == null ? RedirectUris.NONE : web;
        spa = spa == null ? RedirectUris.NONE : spa;
        publicClient = publicClient == null ? RedirectUris.NONE : publicClient;
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** A copy with other credentials, everything else kept. */
    public Application withCredentials(List<PasswordCredential> secrets, List<KeyCredential> certificates) {
        return new Application(id, appId, displayName, signInAudience, identifierUris, api, appRoles, secrets,
                certificates, requiredResourceAccess, web, spa, publicClient, isFallbackPublicClient,
                additionalProperties);
    }

}
