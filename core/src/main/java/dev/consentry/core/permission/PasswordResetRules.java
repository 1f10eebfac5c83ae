package dev.consentry.core.permission;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which directory roles may reset the password (and manage the authentication methods) of which users,
 * derived by the catalogue generator from Microsoft's "who can reset passwords" table (password-reset.tsv).
 *
 * <p>Guaranteed: a user without an admin role may be reset by any of the table's resetter roles; a user with
 * roles only by a role that every one of the user's roles admits; a role the table does not list admits only
 * Privileged Authentication Administrator and Global Administrator. Role ids are compared case-insensitively
 * and only tenant-wide assignments count (the caller passes those).
 */
public final class PasswordResetRules {
    /** The two roles that may reset anyone. */
    public static final Set<String> TOP = Set.of("7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "62e90394-69f5-4237-9190-012177145e10");
    private static final PasswordResetRules BUILTIN = load();
    private final Map<String, Set<String>> resettersByTarget;

    private PasswordResetRules(Map<String, Set<String>> resettersByTarget) {
        this.resettersByTarget = Map.copyOf(resettersByTarget);
    }

    public static PasswordResetRules builtin() {
        return BUILTIN;
    }

    /** The role ids that may reset a user holding {@code targetRoles} (empty: a user without an admin role). */
    public Set<String> resettersOf(Collection<String> targetRoles) {
        if (targetRoles.isEmpty()) {
            return resettersByTarget.getOrDefault("none", TOP);
        }
        Set<String> allowed = null;
        for (String role : targetRoles) {
            Set<String> forRole = resettersByTarget.getOrDefault(role.toLowerCase(Locale.ROOT), TOP);
            if (allowed == null) {
                allowed = new LinkedHashSet<>(forRole);
            } else {
                allowed.retainAll(forRole);
            }
        }
        return Set.copyOf(allowed);
    }

    /** True when one of {@code actorRoles} may reset a user holding {@code targetRoles}. */
    public boolean mayReset(Collection<String> actorRoles, Collection<String> targetRoles) {
        Set<String> allowed = resettersOf(targetRoles);
        return actorRoles.stream().map(r -> r.toLowerCase(Locale.ROOT)).anyMatch(allowed::contains);
    }

    private static PasswordResetRules load() {
        Map<String, Set<String>> map = new HashMap<>();
        InputStream in = PasswordResetRules.class.getResourceAsStream(GraphPermissionCatalogue.RESOURCE_DIR + "password-reset.tsv");
        if (in == null) {
            throw new IllegalStateException("missing resource password-reset.tsv");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\t");
                if (f.length == 2) {
                    map.put(f[0], Set.of(f[1].split(",")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PasswordResetRules(map);
    }
}
