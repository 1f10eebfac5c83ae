package dev.consentry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module chain core, store, identity, graph, server, cli is one-way, and main packages form no import cycle.
 * It reads every main source file's {@code package} line and its references to Consentry types (imports and
 * qualified names in the code alike); test sources are not read.
 */
class ImportDirectionTest {
    static final List<String> CHAIN = List.of("core", "store", "identity", "graph", "server", "cli");
    /**
     * What the modules outside the chain may use: the testkit what identity may; the JUnit extension the server and
     * what it is built on (not the command line); the benchmarks anything.
     */
    static final Map<String, Set<String>> OUTSIDE = Map.of("testkit", Set.of("core", "store"),
            "junit", Set.of("core", "store", "testkit", "identity", "graph", "server"),
            "benchmarks", Set.of("core", "store", "testkit", "identity", "graph", "server", "cli", "junit"));
    /** Edges of a known cycle that is tolerated: none (the server's service locator and its cycle are gone). */
    static final Set<String> KNOWN_CYCLE_EDGES = Set.of();
    static final Pattern PACKAGE = Pattern.compile("(?m)^package dev\\.consentry\\.([\\w.]+);");
    static final Pattern REFERENCE = Pattern.compile("\\bdev\\.consentry\\.((?:[a-z0-9]+\\.)*[a-z0-9]+)\\.[A-Z]");

    /** One main source file: its module (the repository folder it is in), its package and the text after it. */
    record Source(String module, String pkg, String body) {}

    @Test
    void modulesImportOnlyEarlierModulesAndPackagesFormNoNewCycle() throws IOException {
        Path root = repositoryRoot();
        List<Source> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> mainSources = files.filter(p -> root.relativize(p).toString().matches("[\\w-]+/src/main/java/.*\\.java"))
                    .toList();
            for (Path p : mainSources) {
                Matcher m = PACKAGE.matcher(Files.readString(p));
                assertThat(m.find()).as("package line of %s", p).isTrue();
                sources.add(new Source(root.relativize(p).getName(0).toString(), m.group(1), m.replaceFirst("")));
            }
        }
        Map<String, String> moduleOf = new HashMap<>();
        sources.forEach(s -> moduleOf.put(s.pkg(), s.module()));
        Map<String, Set<String>> edges = new TreeMap<>();
        Set<String> wrongWay = new TreeSet<>();
        for (Source s : sources) {
            Matcher r = REFERENCE.matcher(s.body());
            while (r.find()) {
                String to = r.group(1);
                String target = moduleOf.get(to); // null for a nested type named through its outer class
                if (target != null && !to.equals(s.pkg())) {
                    edges.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).add(to);
                    boolean allowed = target.equals(s.module()) || (OUTSIDE.containsKey(s.module())
                            ? OUTSIDE.get(s.module()).contains(target)
                            : CHAIN.contains(target) && CHAIN.indexOf(target) < CHAIN.indexOf(s.module()));
                    if (!allowed) {
                        wrongWay.add("dev.consentry." + s.pkg() + " uses dev.consentry." + to + " (" + s.module() + " -> " + target + ")");
                    }
                }
            }
        }
        assertThat(wrongWay).as("references against the module chain").isEmpty();
        edges.forEach((from, tos) -> tos.removeIf(to -> KNOWN_CYCLE_EDGES.contains(from + " -> " + to)));
        List<String> cycles = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        edges.keySet().forEach(start -> findCycle(start, edges, new ArrayList<>(), done, cycles));
        assertThat(cycles).as("package import cycles in main code").isEmpty();
    }

    /** The folder of the parent pom: the build runs in a module's folder, the parent pom lists that module. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("testkit/pom.xml")) || !Files.exists(dir.resolve("pom.xml"))) {
            dir = java.util.Objects.requireNonNull(dir.getParent(), "no parent pom above the working directory");
        }
        return dir;
    }

    /** Depth-first search; adds each cycle met, written as a path that returns to its start. */
    static void findCycle(String at, Map<String, Set<String>> edges, List<String> path, Set<String> done, List<String> cycles) {
        if (path.contains(at)) {
            cycles.add(String.join(" -> ", path.subList(path.indexOf(at), path.size())) + " -> " + at);
            return;
        }
        if (!done.add(at)) {
            return;
        }
        path.add(at);
        for (String next : edges.getOrDefault(at, Set.of())) {
            findCycle(next, edges, path, done, cycles);
        }
        path.remove(path.size() - 1);
    }
}
