package dev.hstu.model.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.serve.ItemScorer;
import dev.hstu.model.train.Autograd;

/**
 * Full-ranking leave-one-out evaluation: each target is ranked against every item row in use (no
 * sampled candidates).
 *
 * <p>Rank = 1 + items scoring strictly higher + items scoring equal with a lower row (a
 * deterministic tie-break, so constant scores cannot look good). With {@code excludeSeen}, the
 * items of the user's whole history (not only the window the model reads) are removed from the
 * candidates, except the target itself. A
 * target outside the vocabulary (row 1) can never be retrieved and counts as rank {@code
 * itemRows}, a miss at every cut-off. All ranks are computed on the scorer's device; only one
 * integer per case crosses to the JVM.
 */
public final class FullRankingEvaluator {

    private final int maxSeqLen;
    private final boolean excludeSeen;
    private final int batchSize;

    /**
     * @param maxSeqLen histories are cut to their most recent {@code maxSeqLen} events
     * @param excludeSeen remove history items from the candidates
     * @param batchSize cases scored at once
     */
    public FullRankingEvaluator(int maxSeqLen, boolean excludeSeen, int batchSize) {
        if (maxSeqLen < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "maxSeqLen and batchSize must be >= 1, got " + maxSeqLen + " and " + batchSize);
        }
        this.maxSeqLen = maxSeqLen;
        this.excludeSeen = excludeSeen;
        this.batchSize = batchSize;
    }

    /**
     * @param cases the cases
     * @param scorer the method under test
     * @param itemRows rows {@code 2..itemRows-1} are the candidates
     * @param manager where index arrays are created (the scorer's device)
     * @return the metrics over all cases
     */
    public MetricsReport evaluate(EvalCases cases, RankingScorer scorer, int itemRows, NDManager manager) {
        long[] ranks = ranks(cases, scorer, itemRows, manager);
        RankingMetrics metrics = new RankingMetrics();
        for (long r : ranks) {
            metrics.add(r);
        }
        return metrics.report();
    }

    /**
     * @param cases the cases
     * @param scorer the method under test
     * @param itemRows rows {@code 2..itemRows-1} are the candidates
     * @param manager where index arrays are created (the scorer's device)
     * @return the 1-based rank of each case's target
     */
    public long[] ranks(EvalCases cases, RankingScorer scorer, int itemRows, NDManager manager) {
        int n = itemRows - ItemVocabulary.FIRST_ITEM;
        if (n < 1) {
            throw new IllegalArgumentException("no item to rank: itemRows=" + itemRows);
        }
        long[] ranks = new long[cases.size()];
        PackedBatch.Builder builder = cases.sequences().newBuilder();
        PackedBatch.Builder seenBuilder = cases.sequences().newBuilder();
        Autograd.disableOnThisThread();
        for (int from = 0; from < cases.size(); from += batchSize) {
            int to = Math.min(cases.size(), from + batchSize);
            PackedBatch histories = cases.histories(from, to, maxSeqLen, builder);
            // the whole history is excluded, not only the window the model reads
            PackedBatch seen = excludeSeen ? cases.histories(from, to, Integer.MAX_VALUE, seenBuilder) : null;
            long[] targetColumns = new long[to - from];
            for (int c = from; c < to; c++) {
                int target = cases.target(c);
                targetColumns[c - from] = target >= ItemVocabulary.FIRST_ITEM && target < itemRows
                        ? target - ItemVocabulary.FIRST_ITEM
                        : -1;
            }
            long[] batchRanks;
            try (NDScope ignored = new NDScope()) {
                NDArray scores = scorer.scores(histories, itemRows);
                batchRanks = rankOnDevice(scores, targetColumns, seen, n, manager);
            }
            for (int i = 0; i < batchRanks.length; i++) {
                ranks[from + i] = targetColumns[i] < 0 ? itemRows : batchRanks[i];
            }
        }
        return ranks;
    }

    private long[] rankOnDevice(NDArray scores, long[] targetColumns, PackedBatch seen, int n, NDManager manager) {
        long[] safeColumns = targetColumns.clone();
        for (int i = 0; i < safeColumns.length; i++) {
            safeColumns[i] = Math.max(0, safeColumns[i]);
        }
        NDArray column = manager.create(safeColumns, new Shape(safeColumns.length, 1));
        NDArray target = scores.gather(column, 1);
        NDArray candidates = seen != null ? ItemScorer.excludeSeen(scores, seen, n) : scores;
        NDArray columns = manager.arange(0, n, 1, DataType.INT64).expandDims(0);
        NDArray higher = candidates.gt(target);
        NDArray tiedBefore = candidates.eq(target).logicalAnd(columns.lt(column));
        return higher.logicalOr(tiedBefore)
                .toType(DataType.INT64, false)
                .sum(new int[] {1})
                .add(1)
                .toLongArray();
    }
}
