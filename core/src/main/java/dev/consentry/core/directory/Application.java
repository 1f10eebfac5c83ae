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
 *
 * @param owners the object ids of the users and service principals that own the application (Graph's {@code owners}
 *     relationship, https://learn.microsoft.com/graph/api/application-post-owners), in the order they were added,
 *     without repeats; empty when it has none
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
        List<ObjectId> owners,
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
        owners = owners == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(owners));
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** A new application without owners (a copy of an existing one keeps them: use the canonical constructor). */
    public Application(ObjectId id, AppId appId, String displayName, String signInAudience, List<String> identifierUris,
                       ApiApplication api, List<AppRole> appRoles, List<PasswordCredential> passwordCredentials,
                       List<KeyCredential> keyCredentials, List<RequiredResourceAccess> requiredResourceAccess,
                       RedirectUris web, RedirectUris spa, RedirectUris publicClient, Boolean isFallbackPublicClient,
                       Map<String, Object> additionalProperties) {
        this(id, appId, displayName, signInAudience, identifierUris, api, appRoles, passwordCredentials, keyCredentials,
                requiredResourceAccess, web, spa, publicClient, isFallbackPublicClient, List.of(), additionalProperties);
    }

    /** A copy with other credentials, everything else kept. */
    public Application withCredentials(List<PasswordCredential> secrets, List<KeyCredential> certificates) {
        return new Application(id, appId, displayName, signInAudience, identifierUris, api, appRoles, secrets,
                certificates, requiredResourceAccess, web, spa, publicClient, isFallbackPublicClient, owners,
                additionalProperties);
    }

    /** A copy with other owners, everything else kept. */
    public Application withOwners(List<ObjectId> newOwners) {
        return new Application(id, appId, displayName, signInAudience, identifierUris, api, appRoles, passwordCredentials,
                keyCredentials, requiredResourceAccess, web, spa, publicClient, isFallbackPublicClient, newOwners,
                additionalProperties);
    }

}
