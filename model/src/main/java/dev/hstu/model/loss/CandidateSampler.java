package dev.hstu.model.loss;

import dev.hstu.model.features.ItemVocabulary;
import java.util.SplittableRandom;

/**
 * Picks the negatives shared by all targets of one step: up to {@code inBatch} positives of other
 * targets (popularity-distributed, chosen uniformly among the batch's targets) followed by {@code
 * uniform} items drawn uniformly from the rows in use.
 *
 * <p>Sampling all in-batch positives would make the logits {@code T x T}; a capped subset keeps a
 * step linear in the number of targets. Candidates equal to a target's own positive are masked by
 * the loss, not removed here.
 */
public final class CandidateSampler {

    private final int inBatch;
    private final int uniform;

    /**
     * @param inBatch maximum in-batch negatives
     * @param uniform uniform negatives
     */
    public CandidateSampler(int inBatch, int uniform) {
        this.inBatch = inBatch;
        this.uniform = uniform;
    }

    /**
     * @param positives the batch's target items
     * @param itemRowsInUse uniform negatives come from rows {@code [2, itemRowsInUse)}
     * @param random the step's generator (seeded per step for reproducible resumes)
     * @return candidate items
     */
    public long[] sample(long[] positives, int itemRowsInUse, SplittableRandom random) {
        int fromBatch = Math.min(inBatch, positives.length);
        int span = itemRowsInUse - ItemVocabulary.FIRST_ITEM;
        int fromTable = span > 0 ? uniform : 0;
        long[] out = new long[fromBatch + fromTable];
        if (fromBatch == positives.length) {
            System.arraycopy(positives, 0, out, 0, fromBatch);
        } else {
            // Partial Fisher-Yates over target indices: a uniform subset without replacement.
            int[] order = new int[positives.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = 0; i < fromBatch; i++) {
                int j = i + random.nextInt(order.length - i);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
                out[i] = positives[order[i]];
            }
        }
        for (int i = 0; i < fromTable; i++) {
            out[fromBatch + i] = ItemVocabulary.FIRST_ITEM + random.nextInt(span);
        }
        return out;
    }
}
