package dev.hstu.model.eval;

import java.util.Locale;

/**
 * Leave-one-out ranking quality averaged over users (each user has one target).
 *
 * @param users targets evaluated
 * @param hr10 fraction of targets ranked in the top 10
 * @param ndcg10 mean {@code 1/log2(rank+1)} over targets in the top 10 (0 otherwise)
 * @param hr50 fraction ranked in the top 50
 * @param ndcg50 NDCG with cut-off 50
 * @param mrr mean reciprocal rank (no cut-off)
 */
public record MetricsReport(long users, double hr10, double ndcg10, double hr50, double ndcg50, double mrr) {

    /** @return one line, e.g. {@code HR@10=0.0820 NDCG@10=0.0412 ...} */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "HR@10=%.4f NDCG@10=%.4f HR@50=%.4f NDCG@50=%.4f MRR=%.4f (users=%d)",
                hr10,
                ndcg10,
                hr50,
                ndcg50,
                mrr,
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
