package dev.hstu.model.tasks.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.ops.ScalarOps;

/**
 * Full-softmax cross-entropy over cosine similarities: each target is a classification over every item row in use, its
 * own row the positive and all others negatives (no sampling, so no logQ, and items of the user's history are not
 * masked, as in SASRec's cross-entropy).
 *
 * <pre>
 *   logits_t = [q_t . e_2, ..., q_t . e_{N+1}] / temperature_t        (one [T, d] x [d, N] matmul)
 *   loss     = mean_t( weight_t * -log_softmax(logits_t)[positive_t - 2] )
 * </pre>
 *
 * <p>The temperature scales the queries before the matmul, so that the step holds two {@code [T, N]} arrays (logits
 * and their log-softmax) and their gradients; that is its memory, {@code 4 x T x N} floats.
 */
public final class FullSoftmaxLoss {

    private final float temperature;

    /** @param temperature softmax temperature of targets without a {@link TargetScaling} ({@code > 0}) */
    public FullSoftmaxLoss(float temperature) {
        this.temperature = temperature;
    }

    /**
     * @param queries {@code [T, d]} unit-norm queries
     * @param items {@code [N, d]} unit-norm item rows, the classes
     * @param positiveColumns {@code [T]} int64, each target's positive as a row of {@code items}
     * @param scaling per-target temperatures and weights; null for {@code temperature} and weight 1
     * @return the scalar mean loss
     */
    public NDArray compute(NDArray queries, NDArray items, NDArray positiveColumns, TargetScaling scaling) {
        long t = queries.getShape().get(0);
        NDManager manager = queries.getManager();
        NDArray tempered = scaling == null
                ? ScalarOps.scale(queries, 1.0 / temperature)
                : queries.mul(constant(manager, scaling.inverseTemperature(), new Shape(t, 1), queries.getDataType()));
        NDArray logProbabilities = tempered.matMul(items.transpose()).logSoftmax(1);
        NDArray perTarget = logProbabilities
                .gather(positiveColumns.expandDims(1), 1)
                .reshape(t)
                .neg();
        return scaling == null
                ? perTarget.mean()
                : perTarget
                        .mul(constant(manager, scaling.weight(), new Shape(t), queries.getDataType()))
                        .mean();
    }

    private static NDArray constant(NDManager manager, float[] values, Shape shape, DataType type) {
        NDArray array = manager.create(values, shape);
        return array.getDataType() == type ? array : array.toType(type, false);
    }
}
