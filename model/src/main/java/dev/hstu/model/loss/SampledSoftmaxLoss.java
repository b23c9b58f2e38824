package dev.hstu.model.loss;

import ai.djl.ndarray.NDArray;

/**
 * Sampled softmax (InfoNCE) over cosine similarities: for each target, the positive competes with
 * the shared candidates; a candidate that is the target's own positive (an accidental hit) gets
 * its logit pushed to effectively minus infinity.
 *
 * <pre>
 *   logits_t = [q_t . p_t, q_t . c_1, ..., q_t . c_C] / temperature
 *   loss     = mean_t( -log_softmax(logits_t)[0] )
 * </pre>
 */
public final class SampledSoftmaxLoss {

    /** Subtracted from masked logits; exp underflows to 0 without producing inf - inf = NaN. */
    private static final float MASKED = 1e9f;

    private final float temperature;

    /** @param temperature softmax temperature ({@code > 0}) */
    public SampledSoftmaxLoss(float temperature) {
        this.temperature = temperature;
    }

    /**
     * @param queries {@code [T, d]} unit-norm queries
     * @param positives {@code [T, d]} unit-norm positive item embeddings
     * @param positiveIds {@code [T]} int64 positive items
     * @param candidates {@code [C, d]} unit-norm candidate embeddings
     * @param candidateIds {@code [C]} int64 candidate items
     * @return the scalar mean loss
     */
    public NDArray compute(NDArray queries, NDArray positives, NDArray positiveIds, NDArray candidates, NDArray candidateIds) {
        NDArray positiveLogit = queries.mul(positives).sum(new int[] {1}, true);
        NDArray logits = positiveLogit;
        if (candidates.getShape().get(0) > 0) {
            NDArray hits = positiveIds.expandDims(1).eq(candidateIds.expandDims(0)).toType(queries.getDataType(), false);
            NDArray candidateLogits = queries.matMul(candidates.transpose()).sub(hits.mul(MASKED));
            logits = positiveLogit.concat(candidateLogits, 1);
        }
        return logits.div(temperature).logSoftmax(1).get(":, 0").mean().neg();
    }
}
