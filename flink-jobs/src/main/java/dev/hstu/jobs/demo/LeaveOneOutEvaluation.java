package dev.hstu.jobs.demo;

import dev.hstu.model.eval.MostPopular;
import dev.hstu.model.eval.RankingMetrics;
import dev.hstu.sink.Recommendation;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Hit rate and NDCG at K ({@link RankingMetrics}) of each user's final recommendation list against the user's
 * held-out last item, plus the most-popular baseline ({@link MostPopular}'s ordering of the items most interacted
 * with in the stream, minus the user's own history) on the same users, so the model's figure has a reference next
 * to it.
 */
public final class LeaveOneOutEvaluation {

    public record Metrics(int users, double hitRate, double ndcg) {}

    private LeaveOneOutEvaluation() {}

    /** HR@k and NDCG@k of {@code lists} (one per user) against {@code heldOut}; users without a list count as misses. */
    public static Metrics evaluate(Map<Long, long[]> lists, Map<Long, Long> heldOut, int k) {
        RankingMetrics metrics = new RankingMetrics(k);
        for (var entry : heldOut.entrySet()) {
            long[] list = lists.get(entry.getKey());
            metrics.addList(list == null || list.length <= k ? list : Arrays.copyOf(list, k), entry.getValue());
        }
        return new Metrics(heldOut.size(), metrics.hitRate(k), metrics.ndcg(k));
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
        long[] byPopularity = MostPopular.ranking(counts);
        Map<Long, long[]> out = new HashMap<>();
        for (var entry : seen.entrySet()) {
            out.put(entry.getKey(), MostPopular.topK(byPopularity, entry.getValue(), k));
        }
        return out;
    }
}
