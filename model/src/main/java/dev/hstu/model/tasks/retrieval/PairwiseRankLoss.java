package dev.hstu.model.tasks.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * BPR-style pairwise loss: per target, the mean over its negatives of {@code softplus(neg - pos)}
 * on the tempered scores. Masked negatives (accidental hits, empty rank-package slots) sit far
 * below any score, so their softplus is 0; they are also left out of the mean's count.
 */
public final class PairwiseRankLoss {

    private PairwiseRankLoss() {}

    /**
     * @param positive {@code [T, 1]} tempered positive scores
     * @param negatives {@code [T, N]} tempered negative scores, masked ones already lowered by the mask offset
     * @param masked {@code [T, N]} 1 where a negative is masked, else 0 (a constant)
     * @return {@code [T]} per-target loss
     */
    public static NDArray perTarget(NDArray positive, NDArray negatives, NDArray masked) {
        long n = negatives.getShape().get(1);
        // a target whose negatives are all masked has a zero sum; the floor of 1 keeps it 0, not NaN
        NDArray valid = masked.sum(new int[] {1}).neg().add(n).maximum(1);
        return Activation.softPlus(negatives.sub(positive)).sum(new int[] {1}).div(valid);
    }
}
