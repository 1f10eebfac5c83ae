package dev.consentry.identity.consent;

import dev.consentry.core.directory.PermissionScope;
import dev.consentry.identity.resource.ResolvedResource;
import java.util.Locale;

/**
 * Consentry's own description of a delegated permission, derived only from its facts: the resource, whether its
 * name reads or writes ({@code .Read}, {@code .ReadWrite}, {@code .Send}, ...), whether it reaches everyone's data
 * ({@code .All}) or the user's own, and whether only an administrator may grant it. No text of Microsoft's.
 */
public final class OwnWords implements PermissionDescriptions {

    @Override
    public String describe(ResolvedResource resource, PermissionScope permission) {
        String name = permission.value();
        switch (name) {
            case "openid" -> {
                return "Sign you in to the app.";
            }
            case "profile" -> {
                return "See your name, user name and organization.";
            }
            case "email" -> {
                return "See your email address.";
            }
            case "offline_access" -> {
                return "Keep the access you give it, also while you are not using the app.";
            }
            default -> {
                // a permission of the resource, described from its name below
            }
        }
        String[] parts = name.split("\\.");
        boolean all = false;
        boolean shared = false;
        String action = null;
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i]) {
                case "All" -> all = true;
                case "Shared" -> shared = true;
                default -> action = action == null ? parts[i] : action;
            }
        }
        String subject = words(parts[0]);
        String verb = verb(action);
        String whose = all ? "everyone's " : shared ? "your own and shared " : "your ";
        String sentence;
        if (parts.length == 1) {
            // A name without dots (access_as_user, user_impersonation): say only what it is for.
            sentence = "Use " + resource.displayName() + " as you (" + words(name) + ")";
        } else if ("Send".equals(action)) {
            sentence = "Send " + subject + (all ? " as anyone" : " as you") + " in " + resource.displayName();
        } else {
            sentence = verb + " " + whose + ("user".equals(subject) ? "user profile" : subject) + " in "
                    + resource.displayName();
        }
        if (permission.requiresAdminConsent()) {
            sentence += "; only an administrator can grant this";
        }
        return sentence + ".";
    }

    private static String verb(String action) {
        if (action == null) {
            return "Use";
        }
        return switch (action) {
            case "Read" -> "Read";
            case "ReadBasic" -> "Read the basic profile of";
            case "ReadWrite" -> "Read and change";
            case "Write" -> "Change";
            case "Create" -> "Create";
            case "Manage" -> "Manage";
            default -> words(action) + ":";
        };
    }

    /** {@code UserAuthenticationMethod} → "user authentication method"; underscores become spaces. */
    static String words(String camel) {
        String spaced = camel.replace('_', ' ').replaceAll("(?<=[a-z0-9])(?=[A-Z])", " ");
        return spaced.toLowerCase(Locale.ROOT).trim();
    }
}
