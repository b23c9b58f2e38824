package dev.hstu.jobs.demo;

import dev.hstu.sink.Recommendation;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Hit rate and NDCG at K of each user's final recommendation list against the user's held-out last item, plus
 * the most-popular baseline (the K items most interacted with in the stream, minus the user's own history) on the
 * same users, so the model's figure has a reference next to it.
 */
public final class LeaveOneOutEvaluation {

    public record Metrics(int users, double hitRate, double ndcg) {}

    private LeaveOneOutEvaluation() {}

    /** HR@k and NDCG@k of {@code lists} (one per user) against {@code heldOut}; users without a list count as misses. */
    public static Metrics evaluate(Map<Long, long[]> lists, Map<Long, Long> heldOut, int k) {
        double hits = 0;
        double ndcg = 0;
        for (var entry : heldOut.entrySet()) {
            long[] list = lists.get(entry.getKey());
            if (list == null) {
                continue;
            }
            for (int rank = 0; rank < Math.min(k, list.length); rank++) {
                if (list[rank] == entry.getValue()) {
                    hits++;
                    ndcg += 1.0 / (Math.log(rank + 2) / Math.log(2));
                    break;
                }
            }
        }
        int n = heldOut.size();
        return new Metrics(n, n == 0 ? 0 : hits / n, n == 0 ? 0 : ndcg / n);
    }

    /** Latest list per user from recommendation records. */
    public static Map<Long, long[]> lists(Collection<Recommendation> recommendations) {
        Map<Long, long[]> out = new HashMap<>();
        for (Recommendation r : recommendations) {
            out.put(r.userId(), r.items());
        }
        return out;
    }

    /** Most-popular lists from the streamed (not held-out) part of the log, excluding each user's own items. */
    public static Map<Long, long[]> mostPopular(RatingsLog log, int k) {
        Map<Long, Integer> counts = new HashMap<>();
        Map<Long, Set<Long>> seen = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            if (!log.heldOut[i]) {
                counts.merge(log.items[i], 1, Integer::sum);
                seen.computeIfAbsent(log.users[i], u -> new HashSet<>()).add(log.items[i]);
            }
        }
        long[] byPopularity = counts.entrySet().stream()
                .sorted((a, b) -> b.getValue().equals(a.getValue())
                        ? Long.compare(a.getKey(), b.getKey())
                        : Integer.compare(b.getValue(), a.getValue()))
                .mapToLong(Map.Entry::getKey)
                .toArray();
        Map<Long, long[]> out = new HashMap<>();
        for (var entry : seen.entrySet()) {
            long[] list = new long[k];
            int n = 0;
            for (long item : byPopularity) {
                if (n == k) {
                    break;
                }
                if (!entry.getValue().contains(item)) {
                    list[n++] = item;
                }
            }
            out.put(entry.getKey(), list);
        }
        return out;
    }
}
