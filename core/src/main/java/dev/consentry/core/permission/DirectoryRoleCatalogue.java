package dev.consentry.core.permission;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Entra's built-in directory roles (role template id, name, whether Microsoft labels it privileged),
 * derived by the catalogue generator. Lookups by id and by name are case-insensitive.
 */
public final class DirectoryRoleCatalogue {
    private static final DirectoryRoleCatalogue BUILTIN = load();
    private final List<DirectoryRole> roles;

    private DirectoryRoleCatalogue(List<DirectoryRole> roles) {
        this.roles = List.copyOf(roles);
    }

    /** A built-in role template. */
    public record DirectoryRole(String templateId, String displayName, boolean privileged) {}

    public static DirectoryRoleCatalogue builtin() {
        return BUILTIN;
    }

    public List<DirectoryRole> roles() {
        return roles;
    }

    public Optional<DirectoryRole> byId(String templateId) {
        return roles.stream().filter(r -> r.templateId().equalsIgnoreCase(templateId)).findFirst();
    }

    public Optional<DirectoryRole> byName(String displayName) {
        String wanted = displayName.toLowerCase(Locale.ROOT);
        return roles.stream().filter(r -> r.displayName().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    private static DirectoryRoleCatalogue load() {
        List<DirectoryRole> roles = new ArrayList<>();
        InputStream in = DirectoryRoleCatalogue.class.getResourceAsStream(GraphPermissionCatalogue.RESOURCE_DIR + "directory-roles.tsv");
        if (in == null) {
            throw new IllegalStateException("missing resource directory-roles.tsv");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\t");
                if (f.length == 3) {
                    roles.add(new DirectoryRole(f[0], f[1], f[2].equals("1")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DirectoryRoleCatalogue(roles);
    }
}
