package dev.hstu.model.eval;

import java.util.Arrays;

/**
 * The project's one definition of hit rate, recall, NDCG and MRR over ranked cases: accumulates, per evaluated case,
 * the 1-based ranks of its relevant items (or a miss, when a target is not in a truncated list) and averages over
 * cases.
 *
 * <p>For a case with relevant items at ranks {@code r_1 < .. < r_n}: {@code HR@k = 1} when {@code r_1 <= k};
 * {@code recall@k = |{i : r_i <= k}| / n}; {@code NDCG@k = sum_{r_i <= k} 1/log2(r_i+1) / sum_{i <= min(n,k)}
 * 1/log2(i+1)}; {@code MRR = 1/r_1}. With a single relevant item (leave-one-out) recall@k is HR@k and {@code
 * NDCG@k = 1/log2(rank+1)} when {@code rank <= k}, else 0.
 */
public final class RankingMetrics {

    /** The cut-offs {@link #report()} reads: recall@1 and @5 too, HR and NDCG at 10 and 50. */
    private static final int[] DEFAULT_CUTOFFS = {1, 5, 10, 50};

    private final int[] cutoffs;
    private long count;
    private final double[] hits;
    private final double[] recalls;
    private final double[] ndcg;
    private double reciprocalRanks;

    /** Metrics at cut-offs 1, 5, 10 and 50, as {@link #report()} gives them. */
    public RankingMetrics() {
        this(DEFAULT_CUTOFFS);
    }

    /** Metrics at the given cut-offs, read with {@link #hitRate(int)}, {@link #recall(int)} and {@link #ndcg(int)}. */
    public RankingMetrics(int... cutoffs) {
        this.cutoffs = cutoffs.clone();
        this.hits = new double[cutoffs.length];
        this.recalls = new double[cutoffs.length];
        this.ndcg = new double[cutoffs.length];
    }

    /**
     * Adds a case with one relevant item.
     *
     * @param rank 1-based rank of the target among all candidates
     * @throws IllegalArgumentException if {@code rank < 1}
     */
    public void add(long rank) {
        addCase(new long[] {rank}, 1);
    }

    /**
     * Adds a case with several relevant items.
     *
     * @param ranks 1-based ranks of the relevant items that were ranked (distinct), in any order
     * @param relevant the case's relevant items, ranked or not ({@code >= ranks.length}); those left out are misses
     * @throws IllegalArgumentException if a rank is below 1, repeated, or there are more ranks than relevant items
     */
    public void addCase(long[] ranks, int relevant) {
        if (relevant < 1 || ranks.length > relevant) {
            throw new IllegalArgumentException("a case needs >= 1 relevant item and at most that many ranks, got "
                    + ranks.length + " of " + relevant);
        }
        long[] sorted = ranks.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 1) {
                throw new IllegalArgumentException("rank must be >= 1 (1 = best), got " + sorted[i]);
            }
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("two relevant items cannot share rank " + sorted[i]);
            }
        }
        count++;
        for (int c = 0; c < cutoffs.length; c++) {
            int k = cutoffs[c];
            int within = 0;
            double dcg = 0;
            for (long r : sorted) {
                if (r <= k) {
                    within++;
                    dcg += 1.0 / log2(r + 1);
                }
            }
            double ideal = 0;
            for (int i = 1; i <= Math.min(relevant, k); i++) {
                ideal += 1.0 / log2(i + 1);
            }
            hits[c] += within > 0 ? 1 : 0;
            recalls[c] += (double) within / relevant;
            ndcg[c] += dcg / ideal;
        }
        if (sorted.length > 0) {
            reciprocalRanks += 1.0 / sorted[0];
        }
    }

    /** A target that no list ranked (not in the user's list, or the user has none): counts as a miss everywhere. */
    public void addMiss() {
        count++;
    }

    /**
     * Adds the target's rank in a recommendation list, or a miss when the list is null or lacks it.
     *
     * @param list item ids, best first
     * @param target the held-out item id
     */
    public void addList(long[] list, long target) {
        if (list != null) {
            for (int i = 0; i < list.length; i++) {
                if (list[i] == target) {
                    add(i + 1);
                    return;
                }
            }
        }
        addMiss();
    }

    /** @return cases added so far, hits and misses */
    public long count() {
        return count;
    }

    /** @return the share of cases with a relevant item within {@code k}, one of the cut-offs this was built with */
    public double hitRate(int k) {
        return hits[indexOf(k)] / Math.max(1, count);
    }

    /** @return the mean share of each case's relevant items within {@code k}, one of the cut-offs */
    public double recall(int k) {
        return recalls[indexOf(k)] / Math.max(1, count);
    }

    /** @return the mean NDCG at {@code k}, one of the cut-offs this was built with */
    public double ndcg(int k) {
        return ndcg[indexOf(k)] / Math.max(1, count);
    }

    private int indexOf(int k) {
        for (int i = 0; i < cutoffs.length; i++) {
            if (cutoffs[i] == k) {
                return i;
            }
        }
        throw new IllegalArgumentException("no cut-off " + k + " in these metrics");
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /**
     * @return the averages over every case added so far: HR and NDCG at 10 and 50, MRR, recall at 1, 5, 10 and 50
     * @throws IllegalArgumentException if these metrics were built without those cut-offs
     */
    public MetricsReport report() {
        double n = Math.max(1, count);
        return new MetricsReport(
                count,
                hitRate(10),
                ndcg(10),
                hitRate(50),
                ndcg(50),
                reciprocalRanks / n,
                recall(1),
                recall(5),
                recall(10),
                recall(50));
    }
}
