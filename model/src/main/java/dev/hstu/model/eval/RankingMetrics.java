package dev.hstu.model.eval;

/**
 * The project's one definition of leave-one-out hit rate, NDCG and MRR: accumulates the 1-based rank of each
 * evaluated target (or a miss, when the target is not in a truncated list) and averages them. With a single
 * relevant item, {@code NDCG@k = 1/log2(rank+1)} when {@code rank <= k}, else 0.
 */
public final class RankingMetrics {

    private static final int[] DEFAULT_CUTOFFS = {10, 50};

    private final int[] cutoffs;
    private long count;
    private final double[] hits;
    private final double[] ndcg;
    private double reciprocalRanks;

    /** Metrics at cut-offs 10 and 50, as {@link #report()} gives them. */
    public RankingMetrics() {
        this(DEFAULT_CUTOFFS);
    }

    /** Metrics at the given cut-offs, read with {@link #hitRate(int)} and {@link #ndcg(int)}. */
    public RankingMetrics(int... cutoffs) {
        this.cutoffs = cutoffs.clone();
        this.hits = new double[cutoffs.length];
        this.ndcg = new double[cutoffs.length];
    }

    /**
     * @param rank 1-based rank of the target among all candidates
     * @throws IllegalArgumentException if {@code rank < 1}
     */
    public void add(long rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1 (1 = best), got " + rank);
        }
        count++;
        for (int i = 0; i < cutoffs.length; i++) {
            if (rank <= cutoffs[i]) {
                hits[i] += 1;
                ndcg[i] += 1.0 / log2(rank + 1);
            }
        }
        reciprocalRanks += 1.0 / rank;
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

    /** @return targets added so far, hits and misses */
    public long count() {
        return count;
    }

    /** @return the share of targets ranked within {@code k}, one of the cut-offs this was built with */
    public double hitRate(int k) {
        return hits[indexOf(k)] / Math.max(1, count);
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

    /** @return the averages over every target added so far, at cut-offs 10 and 50 */
    public MetricsReport report() {
        double n = Math.max(1, count);
        return new MetricsReport(count, hitRate(10), ndcg(10), hitRate(50), ndcg(50), reciprocalRanks / n);
    }
}
