package dev.consentry.store.memory;

import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.store.DirectoryKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One tenant's immutable snapshot with the indexes the finders use; built once per write. */
final class IndexedTenant {
    private final TenantDirectory directory;
    private final Tenant tenant;
    private final Map<DirectoryKind<?>, Map<String, Object>> byId = new HashMap<>();
    private final Map<DirectoryKind<?>, Map<String, List<Object>>> byLookup = new HashMap<>();
    private final Map<String, ServicePrincipal> spByName = new HashMap<>();
    private final Map<DirectoryKind<?>, List<?>> sorted = new ConcurrentHashMap<>();

    IndexedTenant(TenantDirectory directory) {
        this.directory = directory;
        this.tenant = directory.tenant();
        for (DirectoryKind<?> kind : DirectoryKind.ALL) {
            index(kind);
        }
        for (ServicePrincipal sp : directory.servicePrincipals()) {
            for (String name : sp.servicePrincipalNames()) {
                spByName.putIfAbsent(normaliseName(name), sp);
            }
        }
    }

    private <T> void index(DirectoryKind<T> kind) {
        Map<String, Object> ids = new HashMap<>();
        Map<String, List<Object>> lookups = new HashMap<>();
        for (T item : kind.list().apply(directory)) {
            if (ids.put(kind.id().apply(item).toLowerCase(Locale.ROOT), item) != null) {
                throw new IllegalArgumentException("two " + kind.name() + " objects of tenant " + directory.id()
                        + " have the same id " + kind.id().apply(item));
            }
            String key = kind.lookupKey().apply(item);
            if (key != null) {
                lookups.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(item);
            }
        }
        byId.put(kind, ids);
        byLookup.put(kind, lookups);
    }

    static String normaliseName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    TenantDirectory directory() {
        return directory;
    }

    Tenant tenant() {
        return tenant;
    }

    <T> Optional<T> find(DirectoryKind<T> kind, String id) {
        return Optional.ofNullable(byId.get(kind).get(id.toLowerCase(Locale.ROOT))).map(kind.type()::cast);
    }

    <T> List<T> byLookup(DirectoryKind<T> kind, String key) {
        List<Object> items = byLookup.get(kind).getOrDefault(key.toLowerCase(Locale.ROOT), List.of());
        return items.stream().map(kind.type()::cast).sorted(Comparator.comparing(x -> kind.id().apply(x))).toList();
    }

    /** The objects of {@code kind} ordered by id; sorted once per snapshot, on first use, since snapshots never change. */
    @SuppressWarnings("unchecked")
    <T> List<T> sorted(DirectoryKind<T> kind) {
        return (List<T>) sorted.computeIfAbsent(kind, k -> kind.list().apply(directory).stream()
                .sorted(Comparator.comparing(x -> kind.id().apply(x))).toList());
    }

    Optional<ServicePrincipal> servicePrincipalByName(String name) {
        return Optional.ofNullable(spByName.get(normaliseName(name)));
    }
}
