package dev.consentry.core.directory;

import java.util.List;

/** A platform's redirect URIs ({@code web}, {@code spa} or {@code publicClient} of an application). */
public record RedirectUris(List<String> redirectUris, String logoutUrl) {
    public static final RedirectUris NONE = new RedirectUris(null, null);

    public RedirectUris {
        redirectUris = Extra.list(redirectUris);
    }
}
