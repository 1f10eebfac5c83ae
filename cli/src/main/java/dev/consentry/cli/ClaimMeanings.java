package dev.consentry.cli;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the claims of Microsoft Entra ID's access and ID tokens mean, in one short line each, after Microsoft's access
 * token, ID token and optional claims references. A claim not listed has no meaning here; the list is for reading a
 * token, not for deciding anything.
 */
final class ClaimMeanings {
    /** Claims whose value is a NumericDate (seconds since 1970-01-01T00:00:00Z). */
    static final Set<String> TIMES = Set.of("iat", "nbf", "exp", "auth_time", "xms_tcdt");

    private static final Map<String, String> MEANINGS = Map.ofEntries(
            Map.entry("aud", "audience: the resource (API) the token is for, as its app ID URI or client id"),
            Map.entry("iss", "issuer: the token service that made the token, with the tenant it signed for"),
            Map.entry("iat", "issued at: when the token was made"),
            Map.entry("nbf", "not before: the token must be refused before this time"),
            Map.entry("exp", "expires: the token must be refused from this time on"),
            Map.entry("aio", "opaque data Entra keeps for its own use when the token is reused; not for apps"),
            Map.entry("acr", "authentication context class (v1.0): 0 means the sign-in met no ISO/IEC 29115 level"),
            Map.entry("amr", "how the subject proved who they are (pwd = password, mfa = multifactor, ...)"),
            Map.entry("appid", "client id of the app that asked for the token (v1.0)"),
            Map.entry("appidacr", "how that app authenticated (v1.0): 0 public client, 1 client secret, 2 certificate"),
            Map.entry("azp", "client id of the app that asked for the token (v2.0)"),
            Map.entry("azpacr", "how that app authenticated (v2.0): 0 public client, 1 client secret, 2 certificate"),
            Map.entry("idp", "the identity provider that signed the subject in, when it is not the issuing tenant"),
            Map.entry("idtyp", "what kind of subject the token is for: app for an app alone, user for a signed-in user"),
            Map.entry("ipaddr", "the IP address the user signed in from"),
            Map.entry("name", "the subject's display name, for showing only; it may change"),
            Map.entry("oid", "object id of the user or service principal in the tenant; the same for every app"),
            Map.entry("puid", "Microsoft's internal user id; not for apps"),
            Map.entry("rh", "opaque data Entra uses to check the token again; not for apps"),
            Map.entry("roles", "app roles granted: application permissions in app-only tokens, or roles given to the user"),
            Map.entry("scp", "delegated permissions consented for this app and user, separated by spaces"),
            Map.entry("sid", "id of the user's sign-in session"),
            Map.entry("sub", "subject: the user or app, as an id that differs for each app (pairwise)"),
            Map.entry("tid", "id of the tenant the subject signed in to"),
            Map.entry("unique_name", "a readable name of the user (v1.0); neither unique nor stable, do not key on it"),
            Map.entry("upn", "the user's user principal name, a sign-in name that may change"),
            Map.entry("uti", "token id Entra uses to find the token again; opaque"),
            Map.entry("ver", "token format version, 1.0 or 2.0"),
            Map.entry("wids", "ids of the tenant-wide directory role templates the user holds"),
            Map.entry("xms_cc", "client capabilities the app declared; cp1 means it can answer claims challenges"),
            Map.entry("xms_tcdt", "when the tenant was created"),
            Map.entry("acrs", "authentication context ids (c1, c2, ...) the sign-in satisfied"),
            Map.entry("deviceid", "id of the device the user signed in on, for device-based policies"),
            Map.entry("auth_time", "when the user last entered credentials"),
            Map.entry("preferred_username", "the name the user signs in with (email or UPN); for display, it may change"),
            Map.entry("email", "the user's email address, if any; Entra may not have verified it"),
            Map.entry("family_name", "the user's last name"),
            Map.entry("given_name", "the user's first name"),
            Map.entry("nonce", "the value the app sent in its sign-in request, returned to defeat replays"),
            Map.entry("ctry", "the user's country or region"),
            Map.entry("xms_pl", "the user's preferred language"),
            Map.entry("xms_tpl", "the tenant's preferred language"),
            Map.entry("login_hint", "an opaque hint an app can pass back to sign the same user in again"),
            Map.entry("onprem_sid", "the user's security identifier in on-premises Active Directory"),
            Map.entry("hasgroups", "true: the user is in too many groups to list here; ask Microsoft Graph for them"),
            Map.entry("groups", "object ids of groups the user is a member of, as the app's settings ask"),
            Map.entry("tenant_region_scope", "the region the tenant lives in"));

    private ClaimMeanings() {}

    /** The meaning of claim {@code name}, empty for a claim not listed. */
    static Optional<String> of(String name) {
        return Optional.ofNullable(MEANINGS.get(name));
    }
}
