package dev.consentry.core.explain;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The "did you mean" of a refusal: the known name nearest to a mistyped one.
 *
 * <p>Guaranteed: case is ignored; the answer is the candidate with the fewest single-character edits
 * (insertions, deletions, substitutions), the first in {@code candidates}' order on a tie, and only when those
 * edits are few enough for a typo (at most a third of the name, and never more than four). Null candidates are
 * skipped. Empty when nothing is that near.
 */
public final class DidYouMean {
    private DidYouMean() {}

    /** The candidate nearest to {@code wanted}, if one is near enough to be what was meant. */
    public static Optional<String> nearest(String wanted, Collection<String> candidates) {
        String w = wanted.toLowerCase(Locale.ROOT);
        int allowed = Math.min(4, Math.max(1, w.length() / 3));
        String best = null;
        int bestDistance = allowed + 1;
        for (String c : candidates) {
            if (c == null) {
                continue;
            }
            int d = distance(w, c.toLowerCase(Locale.ROOT), bestDistance);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code "; did you mean X?"} to end a message with, or "" when no candidate is near. */
    public static String suffix(String wanted, Collection<String> candidates) {
        return nearest(wanted, candidates).map(n -> "; did you mean " + n + "?").orElse("");
    }

    /** Levenshtein distance; gives up (returns {@code limit}) once every path costs {@code limit} or more. */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], limit);
    }
}
