package dev.hstu.model.tasks.retrieval;

import static dev.hstu.model.tasks.retrieval.LossTestSupport.dot;
import static dev.hstu.model.tasks.retrieval.LossTestSupport.matrix;
import static dev.hstu.model.tasks.retrieval.LossTestSupport.negativeLogSoftmaxOfFirst;
import static dev.hstu.model.tasks.retrieval.LossTestSupport.trainable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.RankLoss;
import dev.hstu.model.data.PackedBatch;
import org.junit.jupiter.api.Test;

class ActionAwareLossTest {

    // two targets (0 a click, 1 an exposure), two shared candidates of which candidate 1 is target 1's own positive
    private static final float[][] Q = {{0.6f, 0.8f}, {1f, 0f}};
    private static final float[][] P = {{1f, 0f}, {0f, 1f}};
    private static final float[][] C = {{0.8f, 0.6f}, {0f, 1f}};
    private static final long[] POSITIVE_IDS = {3, 4};
    private static final long[] CANDIDATE_IDS = {5, 4};

    @Test
    void eachTargetIsTemperedByItsOwnActionsTemperatureAsComputedByHand() {
        float clickTemperature = 0.1f;
        float exposureTemperature = 0.5f;
        double expected = (nll(0, clickTemperature) + nll(1, exposureTemperature)) / 2;
        double uniform = (nll(0, 0.2f) + nll(1, 0.2f)) / 2;
        TargetScaling scaling =
                new TargetScaling(new float[] {1f / clickTemperature, 1f / exposureTemperature}, new float[] {1f, 1f});
        try (NDManager m = LossTestSupport.manager()) {
            float loss = loss(m, scaling, 0.2f, matrix(m, Q)).loss().getFloat();
            assertThat((double) loss).isCloseTo(expected, within(1e-5));
            assertThat((double) loss(m, null, 0.2f, matrix(m, Q)).loss().getFloat())
                    .isCloseTo(uniform, within(1e-5));
            assertThat(Math.abs(expected - uniform))
                    .as("the two temperatures change the loss")
                    .isGreaterThan(0.1);
        }
    }

    @Test
    void withWeightsOneAndZeroOnlyClickTargetsContribute() {
        TargetScaling clicksOnly = new TargetScaling(new float[] {5f, 5f}, new float[] {1f, 0f});
        try (NDManager m = LossTestSupport.manager()) {
            NDArray queries = trainable(m, Q);
            float loss;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray l = loss(m, clicksOnly, 0.2f, queries).loss();
                loss = l.getFloat();
                collector.backward(l);
            }
            // still a mean over both targets: the exposure target adds 0, it does not shrink the denominator
            assertThat((double) loss).isCloseTo(nll(0, 0.2f) / 2, within(1e-5));
            float[] gradient = queries.getGradient().toFloatArray();
            assertThat(Math.abs(gradient[0]) + Math.abs(gradient[1]))
                    .as("click target's query")
                    .isGreaterThan(0f);
            assertThat(new float[] {gradient[2], gradient[3]})
                    .as("exposure target's query")
                    .containsOnly(0f);

            float[][] otherExposure = {Q[0], {0f, 1f}};
            assertThat(loss(m, clicksOnly, 0.2f, matrix(m, otherExposure))
                            .loss()
                            .getFloat())
                    .as("whatever the exposure target's query")
                    .isEqualTo(loss);
        }
    }

    @Test
    void scalingFollowsTheClickBitOfEachTargetsEvent() {
        HstuConfig config = HstuConfig.defaults()
                .with("task.temperature", 0.05f)
                .with("task.clickTemperature", 0.1f)
                .with("task.exposureTargetWeight", 0.5f)
                .validate();
        // actions 1 and 3 have the click bit; 2 (another action only) and 0 do not
        PackedBatch batch = PackedBatch.builder()
                .addEvent(2, 0, 1)
                .addEvent(3, 1, 2)
                .addEvent(4, 2, 3)
                .addEvent(5, 3, 4)
                .endSequence(0)
                .addEvent(6, 1, 1)
                .addEvent(7, 0, 2)
                .endSequence(0)
                .build();
        TrainingTargets targets = TrainingTargets.of(batch, 4);
        assertThat(targets.targetEvents()).containsExactly(1, 2, 3, 5);
        TargetScaling scaling = TargetScaling.of(batch, targets, config.task());
        assertThat(scaling.inverseTemperature()).containsExactly(10f, 20f, 10f, 20f);
        assertThat(scaling.weight()).containsExactly(1f, 0.5f, 1f, 0.5f);
    }

    @Test
    void withEveryTrickOffTheLossIsTheSampledSoftmax() {
        float[] logQ = {(float) Math.log(3), (float) Math.log(0.5)};
        try (NDManager m = LossTestSupport.manager()) {
            NDArray plain = new SampledSoftmaxLoss(0.2f)
                    .compute(
                            matrix(m, Q),
                            matrix(m, P),
                            m.create(POSITIVE_IDS),
                            matrix(m, C),
                            m.create(CANDIDATE_IDS),
                            m.create(logQ));
            NDArray tricks = new TrainingLoss(0.2f, RankLoss.NONE, 1f)
                    .compute(new TrainingLoss.Inputs(
                            matrix(m, Q),
                            matrix(m, P),
                            m.create(POSITIVE_IDS),
                            matrix(m, C),
                            m.create(CANDIDATE_IDS),
                            m.create(logQ),
                            null,
                            null,
                            null))
                    .loss();
            assertThat(tricks.getFloat()).isCloseTo(plain.getFloat(), within(1e-6f));
        }
    }

    private static TrainingLoss.Result loss(NDManager m, TargetScaling scaling, float temperature, NDArray queries) {
        return new TrainingLoss(temperature, RankLoss.NONE, 1f)
                .compute(new TrainingLoss.Inputs(
                        queries,
                        matrix(m, P),
                        m.create(POSITIVE_IDS),
                        matrix(m, C),
                        m.create(CANDIDATE_IDS),
                        null,
                        null,
                        null,
                        scaling));
    }

    /** The hand-computed InfoNCE loss of target {@code t} at temperature {@code temperature}. */
    private static double nll(int t, float temperature) {
        double[] logits = {dot(Q[t], P[t]) / temperature, dot(Q[t], C[0]) / temperature, dot(Q[t], C[1]) / temperature};
        boolean[] masked = {false, CANDIDATE_IDS[0] == POSITIVE_IDS[t], CANDIDATE_IDS[1] == POSITIVE_IDS[t]};
        return negativeLogSoftmaxOfFirst(logits, masked);
    }
}
