package dev.consentry.core.directory;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the directory records: null-safe immutable copies. */
final class Extra {
    private Extra() {}

    /** An immutable copy in key order, without null values; empty when {@code map} is null. */
    static Map<String, Object> copy(Map<String, Object> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        // In name order: the JSON reader hands unknown properties over in no fixed order, and an export must write
        // the same bytes every time (the tenant file's round trip). A null is dropped: Graph writes null for a
        // property that is not set, the writer omits nulls, so keeping it would make a re-read differ.
        java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
        map.forEach((k, v) -> {
            if (v != null) {
                sorted.put(k, v);
            }
        });
        return sorted.isEmpty() ? Map.of() : Collections.unmodifiableMap(sorted);
    }

    /** An immutable copy; empty when {@code list} is null. Null elements are refused by List.copyOf. */
    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
