package dev.hstu.model.tasks.retrieval;

import ai.djl.ndarray.NDArray;
import dev.hstu.model.ops.ScalarOps;

/**
 * Sampled softmax (InfoNCE) over cosine similarities: for each target, the positive competes with
 * the shared candidates; a candidate that is the target's own positive (an accidental hit) gets
 * its logit pushed to effectively minus infinity.
 *
 * <pre>
 *   logits_t = [q_t . p_t, q_t . c_1, ..., q_t . c_C] / temperature   (minus log Q_c, optionally)
 *   loss     = mean_t( -log_softmax(logits_t)[0] )
 * </pre>
 */
public final class SampledSoftmaxLoss {

    /**
     * Subtracted from masked logits: far below any logit (at most {@code 1/temperature} plus a
     * logQ term), so exp underflows to 0, and within float16's range (mixed precision), so no
     * inf - inf = NaN appears.
     */
    static final float MASKED = 1e4f;

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
    public NDArray compute(
            NDArray queries, NDArray positives, NDArray positiveIds, NDArray candidates, NDArray candidateIds) {
        return compute(queries, positives, positiveIds, candidates, candidateIds, null);
    }

    /**
     * @param queries {@code [T, d]} unit-norm queries
     * @param positives {@code [T, d]} unit-norm positive item embeddings
     * @param positiveIds {@code [T]} int64 positive items
     * @param candidates {@code [C, d]} unit-norm candidate embeddings
     * @param candidateIds {@code [C]} int64 candidate items
     * @param candidateLogQ {@code [C]} log expected count of each candidate, subtracted from its
     *     tempered logit (logQ correction); null for none
     * @return the scalar mean loss
     */
    public NDArray compute(
            NDArray queries,
            NDArray positives,
            NDArray positiveIds,
            NDArray candidates,
            NDArray candidateIds,
            NDArray candidateLogQ) {
        NDArray positiveLogit = ScalarOps.scale(queries.mul(positives).sum(new int[] {1}, true), 1.0 / temperature);
        NDArray logits = positiveLogit;
        if (candidates.getShape().get(0) > 0) {
            NDArray hits =
                    positiveIds.expandDims(1).eq(candidateIds.expandDims(0)).toType(queries.getDataType(), false);
            NDArray candidateLogits = ScalarOps.scale(queries.matMul(candidates.transpose()), 1.0 / temperature);
            if (candidateLogQ != null) {
                NDArray logQ = candidateLogQ.getDataType() == queries.getDataType()
                        ? candidateLogQ
                        : candidateLogQ.toType(queries.getDataType(), false);
                candidateLogits = candidateLogits.sub(logQ.expandDims(0));
            }
            // masked after the temperature so the mask stays far below any logit for every temperature;
            // hits is a constant, so mul(Number) is safe here (no gradient reads the factor)
            logits = positiveLogit.concat(candidateLogits.sub(hits.mul(MASKED)), 1);
        }
        return logits.logSoftmax(1).get(":, 0").mean().neg();
    }
}
