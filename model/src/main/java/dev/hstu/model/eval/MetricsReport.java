package dev.hstu.model.eval;

import java.util.Locale;

/**
 * Ranking quality averaged over cases (leave-one-out: one per user, with one target each, where recall@k is HR@k);
 * defined by {@link RankingMetrics}.
 *
 * @param users targets evaluated
 * @param hr10 fraction of targets ranked in the top 10
 * @param ndcg10 mean {@code 1/log2(rank+1)} over targets in the top 10 (0 otherwise)
 * @param hr50 fraction ranked in the top 50
 * @param ndcg50 NDCG with cut-off 50
 * @param mrr mean reciprocal rank (no cut-off)
 * @param recall1 mean share of a case's relevant items ranked first
 * @param recall5 mean share in the top 5
 * @param recall10 mean share in the top 10
 * @param recall50 mean share in the top 50
 */
public record MetricsReport(
        long users,
        double hr10,
        double ndcg10,
        double hr50,
        double ndcg50,
        double mrr,
        double recall1,
        double recall5,
        double recall10,
        double recall50) {

    /** @return one line, e.g. {@code HR@10=0.0820 NDCG@10=0.0412 ... R@1=0.0100 ...} */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "HR@10=%.4f NDCG@10=%.4f HR@50=%.4f NDCG@50=%.4f MRR=%.4f R@1=%.4f R@5=%.4f R@10=%.4f R@50=%.4f"
                        + " (users=%d)",
                hr10,
                ndcg10,
                hr50,
                ndcg50,
                mrr,
                recall1,
                recall5,
                recall10,
                recall50,
                users);
    }

    /**
     * @param other another report
     * @return true if this is better by NDCG@10, ties broken by HR@10
     */
    public boolean betterThan(MetricsReport other) {
        if (other == null) {
            return true;
        }
        if (ndcg10 != other.ndcg10) {
            return ndcg10 > other.ndcg10;
        }
        return hr10 > other.hr10;
    }
}
