package dev.hstu.model.tasks.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.config.RankLoss;
import dev.hstu.model.config.RetrievalConfig;
import dev.hstu.model.ops.ScalarOps;

/**
 * The sampled-softmax (InfoNCE) loss with the switchable training tricks: per-target temperatures
 * and weights by the target's action ({@link TargetScaling}), each target's own rank-package
 * negatives next to the shared ones ({@link RankPackage}), and a pairwise or listwise rank loss
 * added with a weight.
 *
 * <pre>
 *   logits_t = [q_t . p_t, q_t . c_1 .. q_t . c_C, q_t . r_t1 .. q_t . r_tK] / temperature_t
 *              (minus log Q_c on the shared candidates, optionally; accidental hits and empty slots masked)
 *   loss_t   = -log_softmax(logits_t)[0] + rankLossWeight * rank_t
 *   loss     = mean_t( weight_t * loss_t )
 * </pre>
 *
 * <p>The mean is over all targets, not over their weights, so a step whose targets all weigh 0
 * has loss 0 rather than NaN, and gradient accumulation (which sums means times targets) stays
 * exact. With every trick off the trainer uses {@link SampledSoftmaxLoss}, whose ops (and so
 * losses, to the bit) are those of models trained before the tricks existed.
 */
public final class TrainingLoss {

    private final float temperature;
    private final RankLoss rankLoss;
    private final float rankLossWeight;

    /**
     * @param temperature softmax temperature of targets without a {@link TargetScaling}
     * @param rankLoss rank loss added to InfoNCE
     * @param rankLossWeight its weight
     */
    public TrainingLoss(float temperature, RankLoss rankLoss, float rankLossWeight) {
        this.temperature = temperature;
        this.rankLoss = rankLoss;
        this.rankLossWeight = rankLossWeight;
    }

    /** @param task temperature, rank loss and its weight */
    public TrainingLoss(RetrievalConfig task) {
        this(task.temperature(), task.rankLoss(), task.rankLossWeight());
    }

    /**
     * What a step's loss is computed from; every array on one device, in one float type.
     *
     * @param queries {@code [T, d]} unit-norm queries
     * @param positives {@code [T, d]} unit-norm positive item embeddings
     * @param positiveIds {@code [T]} int64 positive items
     * @param candidates {@code [C, d]} unit-norm shared candidate embeddings
     * @param candidateIds {@code [C]} int64 shared candidate items
     * @param candidateLogQ {@code [C]} log expected count of each shared candidate; null for no logQ correction
     * @param packageItems {@code [T, K, d]} unit-norm embeddings of the rank package; null without one
     * @param rankPackage the package's items (empty slots are masked); null without one
     * @param scaling per-target temperatures and weights; null for {@code temperature} and weight 1
     */
    public record Inputs(
            NDArray queries,
            NDArray positives,
            NDArray positiveIds,
            NDArray candidates,
            NDArray candidateIds,
            NDArray candidateLogQ,
            NDArray packageItems,
            RankPackage rankPackage,
            TargetScaling scaling) {}

    /**
     * @param loss the scalar loss
     * @param candidateCosine {@code [T, C]} cosine of each query with each shared candidate; null without candidates
     * @param hits {@code [T, C]} 1 where a shared candidate is the target's own positive; null without candidates
     */
    public record Result(NDArray loss, NDArray candidateCosine, NDArray hits) {

        /**
         * Reads (one transfer) how hard each shared candidate was: its highest cosine with a query
         * it is a negative for. A candidate that is every target's positive scores below {@code
         * -1e3}.
         *
         * @return {@code [C]} floats, empty without candidates
         */
        public float[] candidateHardness() {
            if (candidateCosine == null) {
                return new float[0];
            }
            return candidateCosine
                    .sub(hits.mul(SampledSoftmaxLoss.MASKED))
                    .max(new int[] {0})
                    .toType(DataType.FLOAT32, false)
                    .toFloatArray();
        }
    }

    /**
     * @param in the step's inputs
     * @return the loss and what the hard-negative cache reads
     * @throws IllegalArgumentException if the rank loss is listwise and there is no rank package
     */
    public Result compute(Inputs in) {
        if (rankLoss == RankLoss.LISTWISE && in.rankPackage() == null) {
            throw new IllegalArgumentException(
                    "model.task.rankLoss=LISTWISE ranks the rank package: give one (rankPackageCounts)");
        }
        NDArray q = in.queries();
        NDManager manager = q.getManager();
        DataType type = q.getDataType();
        long t = q.getShape().get(0);
        NDArray inverseTemperature = in.scaling() == null
                ? null
                : constant(manager, in.scaling().inverseTemperature(), new Shape(t, 1), type);
        NDArray positive = temper(q.mul(in.positives()).sum(new int[] {1}, true), inverseTemperature);

        // tempered and masked: what the rank losses read; the softmax also subtracts logQ
        NDList negatives = new NDList();
        NDList masks = new NDList();
        NDList softmaxNegatives = new NDList();
        NDArray cosine = null;
        NDArray hits = null;
        if (in.candidates().getShape().get(0) > 0) {
            hits = in.positiveIds()
                    .expandDims(1)
                    .eq(in.candidateIds().expandDims(0))
                    .toType(type, false);
            cosine = q.matMul(in.candidates().transpose());
            NDArray shared = temper(cosine, inverseTemperature).sub(hits.mul(SampledSoftmaxLoss.MASKED));
            negatives.add(shared);
            masks.add(hits);
            softmaxNegatives.add(
                    in.candidateLogQ() == null
                            ? shared
                            : shared.sub(logQ(in.candidateLogQ(), type).expandDims(0)));
        }
        NDArray packageScores = null;
        if (in.rankPackage() != null) {
            RankPackage rankPackage = in.rankPackage();
            NDArray empty = constant(manager, rankPackage.emptyMask(), new Shape(t, rankPackage.perTarget()), type);
            NDArray packageCosine = q.expandDims(1).mul(in.packageItems()).sum(new int[] {2});
            packageScores = temper(packageCosine, inverseTemperature).sub(empty.mul(SampledSoftmaxLoss.MASKED));
            negatives.add(packageScores);
            masks.add(empty);
            softmaxNegatives.add(packageScores);
        }

        NDList logits = new NDList(positive);
        logits.addAll(softmaxNegatives);
        NDArray perTarget = NDArrays.concat(logits, 1).logSoftmax(1).get(":, 0").neg();
        NDArray rank = switch (rankLoss) {
            case NONE -> null;
            case PAIRWISE ->
                negatives.isEmpty()
                        ? null
                        : PairwiseRankLoss.perTarget(
                                positive, NDArrays.concat(negatives, 1), NDArrays.concat(masks, 1));
            case LISTWISE ->
                ListNetRankLoss.perTarget(
                        positive,
                        packageScores,
                        constant(
                                manager,
                                ListNetRankLoss.relevanceDistribution(in.rankPackage()),
                                new Shape(t, 1 + in.rankPackage().perTarget()),
                                type));
        };
        if (rank != null) {
            perTarget = perTarget.add(ScalarOps.scale(rank, rankLossWeight));
        }
        NDArray loss = in.scaling() == null
                ? perTarget.mean()
                : perTarget
                        .mul(constant(manager, in.scaling().weight(), new Shape(t), type))
                        .mean();
        return new Result(loss, cosine, hits);
    }

    private NDArray temper(NDArray scores, NDArray inverseTemperature) {
        return inverseTemperature == null ? ScalarOps.scale(scores, 1.0 / temperature) : scores.mul(inverseTemperature);
    }

    private static NDArray logQ(NDArray logQ, DataType type) {
        return logQ.getDataType() == type ? logQ : logQ.toType(type, false);
    }

    private static NDArray constant(NDManager manager, float[] values, Shape shape, DataType type) {
        NDArray array = manager.create(values, shape);
        return array.getDataType() == type ? array : array.toType(type, false);
    }
}
