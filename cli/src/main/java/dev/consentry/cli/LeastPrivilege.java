package dev.consentry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.consentry.core.permission.GraphPath;
import dev.consentry.core.permission.GraphPermission;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.PathMatch;
import dev.consentry.core.permission.Scheme;
import dev.consentry.identity.protocol.Bearer;
import dev.consentry.identity.token.TokenReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The least privileged permissions that cover a recording of Microsoft Graph calls, per scheme. Entries are added
 * one at a time ({@link #add}); only what the answer needs is kept (one row per method and template, the names the
 * tokens held), so the memory it takes does not grow with the number of calls.
 *
 * <p>A call's scheme is its bearer token's, read without verifying it: {@code scp} is delegated, {@code roles} (or
 * {@code idtyp=app}) without {@code scp} application; a call without a readable token counts in both. A call is
 * Graph's when its path starts with {@code /v1.0/} or {@code /beta/} (Microsoft Graph's host or Consentry's);
 * anything else (token endpoints, other APIs) is skipped.
 */
final class LeastPrivilege {
    /** Sign-in scopes a delegated token carries for OpenID Connect, not for Graph calls: never reported as excess. */
    static final Set<String> SIGN_IN_SCOPES = Set.of("openid", "profile", "email", "offline_access");
    /** Distinct tokens whose claims are kept, so a recording of one token decodes it once. */
    private static final int TOKEN_CACHE = 256;

    /** A scheme as a recording shows it; delegated tokens are read as a work or school account's. */
    enum Side {
        DELEGATED(Scheme.DELEGATED_WORK),
        APPLICATION(Scheme.APPLICATION);

        final Scheme scheme;

        Side(Scheme scheme) {
            this.scheme = scheme;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One kind of call: a method on a template of Graph's. */
    record Call(String method, String template) implements Comparable<Call> {
        @Override
        public int compareTo(Call o) {
            int c = template.compareTo(o.template);
            return c != 0 ? c : method.compareTo(o.method);
        }
    }

    /** A permission of the answer and the calls (with how many times each was made) it is there for. */
    record Chosen(String permission, Map<Call, Integer> calls) {}

    /**
     * The answer for one scheme.
     *
     * @param calls how many calls were made in this scheme (or without a token)
     * @param permissions the smallest set found, in name order
     * @param excess what the tokens of this scheme held and no call needed, in name order
     * @param notAllowed calls no permission of this scheme allows (Graph refuses them in this scheme)
     */
    record Answer(Side side, int calls, List<Chosen> permissions, List<String> excess, Map<Call, Integer> notAllowed) {}

    /**
     * Everything the recording showed.
     *
     * @param withoutToken Graph calls without a readable bearer token (counted in both schemes)
     * @param unknownRoutes method and path of calls to no template the catalogue knows, with their counts
     */
    record Result(int entries, int graphCalls, int skipped, int withoutToken, List<Answer> answers,
                  Map<String, Integer> unknownRoutes) {}

    private record Token(Side side, Set<String> held) {}

    private final GraphPermissionCatalogue catalogue;
    private final String source;
    private final Map<Side, Map<Call, PathMatch.Matched>> matches = new EnumMap<>(Side.class);
    private final Map<Side, Map<Call, Integer>> counts = new EnumMap<>(Side.class);
    private final Map<Side, Set<String>> held = new EnumMap<>(Side.class);
    private final Map<Side, Integer> callsBySide = new EnumMap<>(Side.class);
    private final Map<String, Integer> unknownRoutes = new TreeMap<>();
    private final Map<String, Token> tokens = new HashMap<>();
    private int entries;
    private int graphCalls;
    private int skipped;
    private int withoutToken;

    LeastPrivilege(GraphPermissionCatalogue catalogue, String source) {
        this.catalogue = catalogue;
        this.source = source;
        for (Side s : Side.values()) {
            matches.put(s, new TreeMap<>());
            counts.put(s, new TreeMap<>());
            held.put(s, new TreeSet<>());
            callsBySide.put(s, 0);
        }
    }

    /** Adds HAR entry number {@code index}; a usage error names the entry when it is not one. */
    void add(JsonNode entry, int index) {
        entries++;
        JsonNode request = entry.path("request");
        if (!request.isObject()) {
            throw bad(index, "has no request object");
        }
        String method = request.path("method").asText("").strip().toUpperCase(Locale.ROOT);
        if (method.isEmpty()) {
            throw bad(index, "has no request.method");
        }
        if (!request.path("url").isTextual()) {
            throw bad(index, "has no request.url");
        }
        String url = request.path("url").asText();
        String path;
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || uri.getRawPath() == null || uri.getHost() == null) {
                throw bad(index, "has a request.url that is not an absolute http(s) URL: " + quoted(url));
            }
            path = uri.getRawPath();
        } catch (URISyntaxException e) {
            throw bad(index, "has a request.url that is not a URL: " + quoted(url));
        }
        if (!isGraph(path)) {
            skipped++;
            return;
        }
        Token token = token(request.path("headers"));
        if (token != null) {
            held.get(token.side).addAll(token.held);
        }
        addCall(method, path, token == null ? null : token.side, 1);
    }

    /**
     * Adds {@code times} calls of {@code method} on the Graph path {@code rawPath} ({@code /v1.0/...}) made with a token of
     * {@code side}, or of either side when null (no readable token, or a refusal before the token was read that far).
     * Each call counts as an entry of the recording.
     */
    void addRecorded(String method, String rawPath, Side side, int times) {
        entries += times;
        if (!isGraph(rawPath)) {
            skipped += times;
            return;
        }
        addCall(method, rawPath, side, times);
    }

    private void addCall(String method, String rawPath, Side side, int times) {
        graphCalls += times;
        if (side == null) {
            withoutToken += times;
        }
        GraphPath graphPath = GraphPath.parse(rawPath);
        for (Side s : Side.values()) {
            if (side != null && side != s) {
                continue;
            }
            PathMatch match = catalogue.match(method, graphPath, s.scheme);
            if (match instanceof PathMatch.NoSuchPath none) {
                unknownRoutes.merge(method + " " + none.path(), times, Integer::sum);
                return;
            }
            PathMatch.Matched m = (PathMatch.Matched) match;
            Call call = new Call(method, template(m.templates(), graphPath.ref()));
            matches.get(s).putIfAbsent(call, m);
            counts.get(s).merge(call, times, Integer::sum);
            callsBySide.merge(s, times, Integer::sum);
        }
    }

    /** Counts {@code names} as held by the app in {@code side}: excess unless some call needs them. */
    void held(Side side, java.util.Collection<String> names) {
        held.get(side).addAll(names(List.copyOf(names)));
    }

    /** The template to show: the {@code $ref} one for a reference path (the data names both), else the first. */
    private static String template(List<String> templates, boolean ref) {
        return templates.stream().filter(t -> t.endsWith("/$ref") == ref).findFirst().orElse(templates.get(0));
    }

    private static boolean isGraph(String rawPath) {
        return rawPath.startsWith("/v1.0/") || rawPath.startsWith("/beta/");
    }

    private Main.UserError bad(int index, String what) {
        return Main.UserError.usage(source + ": entry " + index + " " + what);
    }

    private static String quoted(String s) {
        return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
    }

    /** The bearer token's scheme and permissions, or null when the call carries none Consentry can read. */
    private Token token(JsonNode headers) {
        for (JsonNode h : headers) {
            if (!h.path("name").asText().equalsIgnoreCase("authorization")) {
                continue;
            }
            Optional<String> bearer = Bearer.token(h.path("value").asText());
            if (bearer.isEmpty()) {
                continue;
            }
            String compact = bearer.get();
            Token cached = tokens.get(compact);
            if (cached != null || tokens.containsKey(compact)) {
                return cached;
            }
            Token read = readToken(compact);
            if (tokens.size() >= TOKEN_CACHE) {
                tokens.clear();
            }
            tokens.put(compact, read);
            return read;
        }
        return null;
    }

    private Token readToken(String compact) {
        JWTClaimsSet claims;
        try {
            claims = TokenReader.unsafeClaims(compact);
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            String scp = claims.getStringClaim("scp");
            List<String> roles = claims.getStringListClaim("roles");
            if (scp != null && !scp.isBlank()) {
                return new Token(Side.DELEGATED, names(List.of(scp.strip().split("\\s+"))));
            }
            if (roles != null || "app".equals(claims.getStringClaim("idtyp"))) {
                return new Token(Side.APPLICATION, names(roles == null ? List.of() : roles));
            }
        } catch (ParseException e) {
            return null; // scp or roles of another type: no token Graph would read either
        }
        return null;
    }

    /** The catalogue's spelling of each name (tokens may carry any case), unknown names as they are. */
    private Set<String> names(List<String> raw) {
        Set<String> out = new TreeSet<>();
        for (String r : raw) {
            out.add(catalogue.permission(r).map(GraphPermission::name).orElse(r));
        }
        return out;
    }

    Result result() {
        List<Answer> answers = new ArrayList<>();
        for (Side side : Side.values()) {
            Map<Call, Integer> notAllowed = new TreeMap<>();
            Map<Call, PathMatch.Matched> allowed = new TreeMap<>();
            matches.get(side).forEach((call, m) -> {
                if (m.sufficient().isEmpty()) {
                    notAllowed.put(call, counts.get(side).get(call));
                } else {
                    allowed.put(call, m);
                }
            });
            Map<String, List<Call>> chosen = cover(allowed);
            List<Chosen> permissions = new ArrayList<>();
            chosen.forEach((p, calls) -> {
                Map<Call, Integer> counted = new TreeMap<>();
                calls.forEach(c -> counted.put(c, counts.get(side).get(c)));
                permissions.add(new Chosen(p, counted));
            });
            List<String> excess = held.get(side).stream()
                    .filter(p -> !chosen.containsKey(p) && !SIGN_IN_SCOPES.contains(p.toLowerCase(Locale.ROOT))).toList();
            answers.add(new Answer(side, callsBySide.get(side), permissions, excess, notAllowed));
        }
        return new Result(entries, graphCalls, skipped, withoutToken, answers, unknownRoutes);
    }

    /**
     * Greedy set cover that prefers least privilege: each round picks, among the calls' preferred permissions (the
     * data's least privileged ones, else the first sufficient one), the one preferred by most uncovered calls, then
     * the one that covers most of them, then by name; a pick the others made redundant is dropped at the end. Each
     * call is listed under a pick it prefers, else under the least privileged pick that allows it.
     */
    static Map<String, List<Call>> cover(Map<Call, PathMatch.Matched> calls) {
        Map<Call, PathMatch.Matched> uncovered = new TreeMap<>(calls);
        List<String> picks = new ArrayList<>();
        while (!uncovered.isEmpty()) {
            Map<String, int[]> score = new TreeMap<>();
            for (PathMatch.Matched m : uncovered.values()) {
                for (String p : preferred(m)) {
                    score.computeIfAbsent(p, k -> new int[2])[0]++;
                }
            }
            String best = null;
            int[] bestScore = null;
            for (Map.Entry<String, int[]> e : score.entrySet()) {
                int[] s = e.getValue();
                s[1] = (int) uncovered.values().stream().filter(m -> m.sufficient().contains(e.getKey())).count();
                if (bestScore == null || s[0] > bestScore[0] || (s[0] == bestScore[0] && s[1] > bestScore[1])) {
                    best = e.getKey();
                    bestScore = s;
                }
            }
            String pick = best;
            picks.add(pick);
            uncovered.values().removeIf(m -> m.sufficient().contains(pick));
        }
        for (int i = picks.size() - 1; i >= 0; i--) {
            String candidate = picks.get(i);
            List<String> others = picks.stream().filter(p -> !p.equals(candidate)).toList();
            if (calls.values().stream().allMatch(m -> others.stream().anyMatch(m.sufficient()::contains))) {
                picks.remove(i);
            }
        }
        Map<String, List<Call>> byPick = new TreeMap<>();
        picks.forEach(p -> byPick.put(p, new ArrayList<>()));
        calls.forEach((call, m) -> {
            String home = preferred(m).stream().filter(byPick::containsKey).findFirst()
                    .orElseGet(() -> m.sufficient().stream().filter(byPick::containsKey).findFirst().orElseThrow());
            byPick.get(home).add(call);
        });
        return byPick;
    }

    private static List<String> preferred(PathMatch.Matched m) {
        return m.leastPrivileged().isEmpty() ? List.of(m.sufficient().get(0)) : m.leastPrivileged();
    }
}
