package dev.hstu.model.tasks.retrieval;

import ai.djl.ndarray.NDArray;

/**
 * ListNet over each target and its rank package: the cross-entropy between the softmax of graded
 * relevance (target {@value RankPackageCategory#TARGET_GRADE}, then by {@link
 * RankPackageCategory#grade()}: clicked history items above exposed ones above random items) and
 * the softmax of the tempered scores. Unlike the InfoNCE loss, whose target distribution is
 * one-hot on the next item, it also orders the negatives among themselves: items the user clicked
 * should score above items only shown, which should score above items never seen.
 */
public final class ListNetRankLoss {

    private ListNetRankLoss() {}

    /**
     * @param rankPackage the step's packages
     * @return {@code targets * (1 + perTarget)} floats, target-major: the relevance distribution
     *     over the target (column 0) and its slots, 0 at empty slots
     */
    public static float[] relevanceDistribution(RankPackage rankPackage) {
        int k = rankPackage.perTarget();
        int width = 1 + k;
        float[] out = new float[rankPackage.targets() * width];
        float targetWeight = (float) Math.exp(RankPackageCategory.TARGET_GRADE);
        for (int t = 0; t < rankPackage.targets(); t++) {
            int row = t * width;
            out[row] = targetWeight;
            double sum = targetWeight;
            for (int slot = 0; slot < k; slot++) {
                if (rankPackage.id(t, slot) != RankPackage.EMPTY) {
                    out[row + 1 + slot] = (float) Math.exp(rankPackage.slotCategories()[slot].grade());
                    sum += out[row + 1 + slot];
                }
            }
            for (int i = row; i < row + width; i++) {
                out[i] = (float) (out[i] / sum);
            }
        }
        return out;
    }

    /**
     * @param positive {@code [T, 1]} tempered target scores
     * @param rankPackage {@code [T, K]} tempered package scores, empty slots lowered by the mask offset
     * @param relevance {@code [T, 1 + K]} from {@link #relevanceDistribution} (a constant)
     * @return {@code [T]} per-target loss
     */
    public static NDArray perTarget(NDArray positive, NDArray rankPackage, NDArray relevance) {
        return positive.concat(rankPackage, 1)
                .logSoftmax(1)
                .mul(relevance)
                .sum(new int[] {1})
                .neg();
    }
}
