package dev.hstu.model.eval;

/**
 * Accumulates the 1-based rank of each evaluated target and turns them into hit rate, NDCG and
 * MRR. With a single relevant item, {@code NDCG@k = 1/log2(rank+1)} when {@code rank <= k}, else 0.
 */
public final class RankingMetrics {

    private static final int[] CUTOFFS = {10, 50};

    private long count;
    private final double[] hits = new double[CUTOFFS.length];
    private final double[] ndcg = new double[CUTOFFS.length];
    private double reciprocalRanks;

    /**
     * @param rank 1-based rank of the target among all candidates
     * @throws IllegalArgumentException if {@code rank < 1}
     */
    public void add(long rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1 (1 = best), got " + rank);
        }
        count++;
        for (int i = 0; i < CUTOFFS.length; i++) {
            if (rank <= CUTOFFS[i]) {
                hits[i] += 1;
                ndcg[i] += 1.0 / log2(rank + 1);
            }
        }
        reciprocalRanks += 1.0 / rank;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** @return the averages over every rank added so far */
    public MetricsReport report() {
        double n = Math.max(1, count);
        return new MetricsReport(count, hits[0] / n, ndcg[0] / n, hits[1] / n, ndcg[1] / n, reciprocalRanks / n);
    }
}
