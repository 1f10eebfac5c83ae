package dev.consentry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.identity.token.KnownAudiences;
import dev.consentry.identity.token.TokenIssuer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a decoded token says about itself, read from its claims alone: who issued it, for which resource, on whose
 * behalf and with which permissions. Facts only: whether Microsoft Graph would accept it is another command's question.
 *
 * @param issuer the {@code iss} claim, empty when absent
 * @param issuerKind which kind of token service {@code iss} names
 * @param issuedBy {@code issuerKind} in words, with the tenant where the issuer names one
 * @param tenant the {@code tid} claim, empty when absent
 * @param version the {@code ver} claim, empty when absent
 * @param appOnly true when the token is for an app alone ({@code idtyp} is {@code app}, or {@code roles} without
 *     {@code scp}), false for a signed-in user (delegated)
 * @param resource the {@code aud} claim (the first one when it is a list), empty when absent
 * @param resourceName the resource in words: a known Microsoft API's name, else {@code resource} itself
 * @param client the app that asked for the token ({@code azp}, else {@code appid}), empty when absent
 * @param user the signed-in user's readable name ({@code upn}, {@code preferred_username}, {@code unique_name} or
 *     {@code email}), empty when absent
 * @param scopes the delegated permissions ({@code scp} split on spaces), empty when none
 * @param roles the {@code roles} claim, empty when none
 */
record TokenSummary(String issuer, IssuerKind issuerKind, String issuedBy, String tenant, String version, boolean appOnly,
        String resource, String resourceName, String client, String user, List<String> scopes, List<String> roles) {



    /** The kinds of issuer the summary tells apart. */
    enum IssuerKind {
        ENTRA_V1("entra-v1"), ENTRA_V2("entra-v2"), PERSONAL_ACCOUNT("microsoft-personal-account"), CONSENTRY("consentry"),
        GOOGLE("google"), KEYCLOAK("keycloak"), OTHER("other");

        /** The stable name in {@code --output json}. */
        final String jsonName;

        IssuerKind(String jsonName) {
            this.jsonName = jsonName;
        }
    }

    static TokenSummary of(ObjectNode claims) {
        String iss = text(claims, "iss");
        String tid = text(claims, "tid");
        IssuerKind kind = kind(iss, tid);
        List<String> scopes = Arrays.stream(text(claims, "scp").split(" ")).filter(s -> !s.isEmpty()).toList();
        List<String> roles = strings(claims.path("roles"));
        boolean appOnly = "app".equals(text(claims, "idtyp")) || (!roles.isEmpty() && !claims.has("scp"));
        List<String> audiences = strings(claims.path("aud"));
        String resource = audiences.isEmpty() ? "" : audiences.get(0);
        return new TokenSummary(iss, kind, issuedBy(kind, iss, tid), tid, text(claims, "ver"), appOnly, resource,
                resourceName(resource), first(claims, "azp", "appid"), first(claims, "upn", "preferred_username", "unique_name", "email"),
                scopes, roles);
    }

    private static IssuerKind kind(String iss, String tid) {
        TokenIssuer issuer = TokenIssuer.of(iss.isEmpty() ? null : iss, tid.isEmpty() ? null : tid);
        return switch (issuer.kind()) {
            case ENTRA_V1, ENTRA_V2 -> issuer.personalAccount() ? IssuerKind.PERSONAL_ACCOUNT
                    : issuer.kind() == TokenIssuer.Kind.ENTRA_V2 ? IssuerKind.ENTRA_V2 : IssuerKind.ENTRA_V1;
            // Consentry's v2.0 issuer is {origin}/{tid}/v2.0 on its own host; its v1.0 issuer is Entra's own and reads as Entra.
            case ENTRA_SHAPED -> IssuerKind.CONSENTRY;
            case GOOGLE -> IssuerKind.GOOGLE;
            case KEYCLOAK -> IssuerKind.KEYCLOAK;
            case OTHER -> IssuerKind.OTHER;
        };
    }

    private static String issuedBy(IssuerKind kind, String iss, String tid) {
        String tenant = tid.isEmpty() ? "" : ", tenant " + tid;
        return switch (kind) {
            case ENTRA_V1 -> "Microsoft Entra ID, v1.0 endpoint" + tenant;
            case ENTRA_V2 -> "Microsoft Entra ID, v2.0 endpoint" + tenant;
            case PERSONAL_ACCOUNT -> "Microsoft, for a personal Microsoft account (consumers tenant " + tid + ")";
            case CONSENTRY -> "Consentry (an Entra-shaped issuer on " + uri(iss).map(URI::getAuthority).orElse("")
                    + ", not a Microsoft host)" + tenant;
            case GOOGLE -> "Google";
            case KEYCLOAK -> "Keycloak, realm " + iss.substring(iss.indexOf("/realms/") + "/realms/".length());
            case OTHER -> "another issuer" + (iss.isEmpty() ? " (the token has no iss claim)" : ": " + iss);
        };
    }

    /** A known Microsoft API's name for an {@code aud} value, else the value itself. */
    static String resourceName(String aud) {
        return KnownAudiences.name(aud).orElse(aud);
    }

    /** The access in words: on whose behalf the token acts. */
    String access() {
        if (appOnly) {
            return "app-only: an app acting as itself" + (client.isEmpty() ? "" : " (client " + client + ")");
        }
        return "delegated: " + (user.isEmpty() ? "a signed-in user" : user) + (client.isEmpty() ? "" : " through client " + client);
    }

    private static Optional<URI> uri(String s) {
        try {
            return s.isEmpty() ? Optional.empty() : Optional.of(new URI(s));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode claims, String name) {
        JsonNode v = claims.path(name);
        return v.isValueNode() ? v.asText() : "";
    }

    private static String first(JsonNode claims, String... names) {
        return Stream.of(names).map(n -> text(claims, n)).filter(s -> !s.isEmpty()).findFirst().orElse("");
    }

    /** A claim that is one string or a list of them, as strings; empty when absent. */
    private static List<String> strings(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(e -> out.add(e.asText()));
        } else if (v.isValueNode()) {
            out.add(v.asText());
        }
        return List.copyOf(out);
    }
}
