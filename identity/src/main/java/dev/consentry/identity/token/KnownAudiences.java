package dev.consentry.identity.token;

import dev.consentry.core.builtin.WellKnown;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The names of the Microsoft APIs a token's {@code aud} may name (their resource URIs and app ids), for explanations:
 * Microsoft Graph, Azure AD Graph (retired), SharePoint Online, Exchange Online and Azure Resource Manager.
 */
public final class KnownAudiences {
    private KnownAudiences() {}

    /** The API that {@code aud} names, or empty when it is none of those (an API of its own, an ID token's client). */
    public static Optional<String> name(String aud) {
        String lower = aud.toLowerCase(Locale.ROOT);
        String url = lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
        if (url.equals("https://graph.microsoft.com") || url.equals("https://canary.graph.microsoft.com")
                || lower.equals(WellKnown.GRAPH_APP_ID.toString())) {
            return Optional.of("Microsoft Graph");
        }
        if (url.equals("https://graph.windows.net") || lower.equals(WellKnown.AAD_GRAPH_APP_ID.toString())) {
            return Optional.of("Azure AD Graph (retired)");
        }
        if (host(url).filter(h -> h.endsWith(".sharepoint.com")).isPresent()
                || lower.equals("00000003-0000-0ff1-ce00-000000000000")) {
            return Optional.of("SharePoint Online");
        }
        if (url.startsWith("https://outlook.office") || lower.equals("00000002-0000-0ff1-ce00-000000000000")) {
            return Optional.of("Exchange Online");
        }
        if (url.equals("https://management.azure.com") || url.equals("https://management.core.windows.net")) {
            return Optional.of("Azure Resource Manager");
        }
        return Optional.empty();
    }

    private static Optional<String> host(String url) {
        if (!url.startsWith("https://")) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(URI.create(url).getHost());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
