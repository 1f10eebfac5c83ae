package dev.consentry.graph.resource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The Graph routes Consentry serves with data, and the one table that dispatches to them: each resource class declares
 * its routes here ({@code method} and a path template of the permission data, lower case as the engine matches it),
 * and {@link GraphData#serve} answers a call through this table alone. So the set of served routes
 * ({@link #routes()}) is the dispatch itself and cannot drift from it: the parity matrix is generated from it.
 *
 * <p>Guaranteed: a route is declared once (a second declaration of the same method and template fails at
 * construction); a call is answered by the first of its matched templates, in the engine's order, whose route is
 * declared and whose condition holds; a call no route takes answers empty (the transport's 501).
 */
public final class GraphRoutes {
    /** A served route: an HTTP method and a path template as the permission data spells it. */
    public record Route(String method, String template) {
        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private final Map<Route, Function<GraphCall, Optional<GraphAnswer>>> handlers = new LinkedHashMap<>();

    /** Serves {@code method} on {@code template} with {@code handler}, which always answers. */
    void on(String method, String template, Function<GraphCall, GraphAnswer> handler) {
        put(new Route(method, template), call -> Optional.of(handler.apply(call)));
    }

    /**
     * Serves {@code method} on {@code template} only for calls {@code when} accepts (a {@code $ref} path, say); other
     * calls on that template are not served.
     */
    void on(String method, String template, Predicate<GraphCall> when, Function<GraphCall, GraphAnswer> handler) {
        put(new Route(method, template), call -> when.test(call) ? Optional.of(handler.apply(call)) : Optional.empty());
    }

    private void put(Route route, Function<GraphCall, Optional<GraphAnswer>> handler) {
        if (handlers.putIfAbsent(route, handler) != null) {
            throw new IllegalStateException("Graph route declared twice: " + route);
        }
    }

    /** The answer of the first declared route among the call's matched templates, or empty. */
    Optional<GraphAnswer> serve(GraphCall call) {
        for (String template : call.templates()) {
            Function<GraphCall, Optional<GraphAnswer>> handler = handlers.get(new Route(call.method(), template));
            if (handler != null) {
                Optional<GraphAnswer> answer = handler.apply(call);
                if (answer.isPresent()) {
                    return answer;
                }
            }
        }
        return Optional.empty();
    }

    /** Every served route, in declaration order. */
    public Set<Route> routes() {
        return Collections.unmodifiableSet(handlers.keySet());
    }
}
