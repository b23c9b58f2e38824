package dev.hstu.model.tasks.retrieval;

import static dev.hstu.model.tasks.retrieval.LossTestSupport.dot;
import static dev.hstu.model.tasks.retrieval.LossTestSupport.matrix;
import static dev.hstu.model.tasks.retrieval.LossTestSupport.negativeLogSoftmaxOfFirst;
import static dev.hstu.model.tasks.retrieval.LossTestSupport.softplus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.hstu.model.config.RankLoss;
import org.junit.jupiter.api.Test;

class RankLossTest {

    private static final float TEMPERATURE = 0.5f;
    private static final float[][] Q = {{0.6f, 0.8f}, {1f, 0f}};
    private static final float[][] P = {{1f, 0f}, {0f, 1f}};
    private static final float[][] C = {{0.8f, 0.6f}, {0f, 1f}};
    private static final long[] POSITIVE_IDS = {3, 4};
    private static final long[] CANDIDATE_IDS = {5, 4}; // candidate 1 is target 1's own positive
    /** Per target, a clicked history item and a random item; target 0's random slot is empty. */
    private static final RankPackage PACKAGE =
            new RankPackage(new long[] {6, RankPackage.EMPTY, 7, 8}, 2, new RankPackageCategory[] {
                RankPackageCategory.COLD_CLICK, RankPackageCategory.RANDOM
            });

    private static final float[][][] R = {{{0.28f, 0.96f}, {1f, 0f}}, {{-0.6f, 0.8f}, {0.8f, -0.6f}}};

    @Test
    void pairwiseAddsTheMeanSoftplusOfEachNegativeOverThePositiveAsComputedByHand() {
        float weight = 0.7f;
        double expected = 0;
        for (int t = 0; t < 2; t++) {
            double pos = dot(Q[t], P[t]) / TEMPERATURE;
            double[] negatives = negatives(t);
            boolean[] masked = masked(t);
            double sum = 0;
            int valid = 0;
            for (int j = 0; j < negatives.length; j++) {
                if (!masked[j]) {
                    sum += softplus(negatives[j] - pos);
                    valid++;
                }
            }
            expected += (nll(t) + weight * sum / valid) / 2;
        }
        try (NDManager m = LossTestSupport.manager()) {
            assertThat((double)
                            loss(m, RankLoss.PAIRWISE, weight, packageItems(m)).getFloat())
                    .isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void listwiseIsListNetOverTheTargetAndItsPackageWithClicksAboveRandomItems() {
        float weight = 0.7f;
        double expected = 0;
        for (int t = 0; t < 2; t++) {
            double[] scores = new double[3];
            double[] relevance = new double[3];
            scores[0] = dot(Q[t], P[t]) / TEMPERATURE;
            relevance[0] = Math.exp(RankPackageCategory.TARGET_GRADE);
            for (int k = 0; k < 2; k++) {
                boolean empty = PACKAGE.id(t, k) == RankPackage.EMPTY;
                scores[1 + k] = empty ? Double.NEGATIVE_INFINITY : dot(Q[t], R[t][k]) / TEMPERATURE;
                relevance[1 + k] = empty ? 0 : Math.exp(PACKAGE.slotCategories()[k].grade());
            }
            double relevanceSum = relevance[0] + relevance[1] + relevance[2];
            double logNormaliser = Math.log(Math.exp(scores[0]) + Math.exp(scores[1]) + Math.exp(scores[2]));
            double crossEntropy = 0;
            for (int j = 0; j < 3; j++) {
                if (relevance[j] > 0) {
                    crossEntropy -= relevance[j] / relevanceSum * (scores[j] - logNormaliser);
                }
            }
            expected += (nll(t) + weight * crossEntropy) / 2;
        }
        try (NDManager m = LossTestSupport.manager()) {
            assertThat((double)
                            loss(m, RankLoss.LISTWISE, weight, packageItems(m)).getFloat())
                    .isCloseTo(expected, within(1e-5));
            float[] relevance = ListNetRankLoss.relevanceDistribution(PACKAGE);
            float e3 = (float) Math.exp(3);
            float e2 = (float) Math.exp(2);
            assertThat(relevance)
                    .containsExactly(
                            new float[] {
                                e3 / (e3 + e2),
                                e2 / (e3 + e2),
                                0f,
                                e3 / (e3 + e2 + 1),
                                e2 / (e3 + e2 + 1),
                                1 / (e3 + e2 + 1)
                            },
                            within(1e-6f));
        }
    }

    @Test
    void withWeightZeroTheLossIsThePlainInfoNce() {
        try (NDManager m = LossTestSupport.manager()) {
            float plain = loss(m, RankLoss.NONE, 1f, packageItems(m)).getFloat();
            assertThat(loss(m, RankLoss.PAIRWISE, 0f, packageItems(m)).getFloat())
                    .isEqualTo(plain);
            assertThat(loss(m, RankLoss.LISTWISE, 0f, packageItems(m)).getFloat())
                    .isEqualTo(plain);
            assertThat((double) plain).isCloseTo((nll(0) + nll(1)) / 2, within(1e-5));
            assertThat(loss(m, RankLoss.PAIRWISE, 1f, packageItems(m)).getFloat())
                    .isGreaterThan(plain);
        }
    }

    @Test
    void theRankLossesSendGradientToQueriesAndPackageItemsButNotToEmptySlots() {
        try (NDManager m = LossTestSupport.manager()) {
            float[][] plain = gradients(m, RankLoss.NONE, 1f);
            for (RankLoss rankLoss : new RankLoss[] {RankLoss.PAIRWISE, RankLoss.LISTWISE}) {
                float[][] ranked = gradients(m, rankLoss, 1f);
                assertThat(LossTestSupport.dot(difference(ranked[0], plain[0]), difference(ranked[0], plain[0])))
                        .as("%s changes the queries' gradient", rankLoss)
                        .isGreaterThan(1e-6);
                assertThat(LossTestSupport.dot(difference(ranked[1], plain[1]), difference(ranked[1], plain[1])))
                        .as("%s changes the package items' gradient", rankLoss)
                        .isGreaterThan(1e-6);
                // [T, K, d]: target 0's slot 1 is empty
                assertThat(new float[] {ranked[1][2], ranked[1][3]})
                        .as("%s: empty slot", rankLoss)
                        .containsOnly(0f);
                assertThat(Math.abs(ranked[1][0]) + Math.abs(ranked[1][1]))
                        .as("%s: target 0's click", rankLoss)
                        .isGreaterThan(0f);
            }
            assertThat(gradients(m, RankLoss.PAIRWISE, 0f)[0]).containsExactly(plain[0], within(1e-7f));
        }
    }

    @Test
    void listwiseWithoutARankPackageIsRejected() {
        try (NDManager m = LossTestSupport.manager()) {
            TrainingLoss listwise = new TrainingLoss(TEMPERATURE, RankLoss.LISTWISE, 1f);
            TrainingLoss.Inputs noPackage = new TrainingLoss.Inputs(
                    matrix(m, Q),
                    matrix(m, P),
                    m.create(POSITIVE_IDS),
                    matrix(m, C),
                    m.create(CANDIDATE_IDS),
                    null,
                    null,
                    null,
                    null);
            assertThatThrownBy(() -> listwise.compute(noPackage))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rankLoss=LISTWISE");
        }
    }

    /** @return {query gradient, package item gradient} after one backward pass */
    private static float[][] gradients(NDManager m, RankLoss rankLoss, float weight) {
        NDArray queries = matrix(m, Q);
        queries.setRequiresGradient(true);
        NDArray items = packageItems(m);
        items.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            collector.backward(new TrainingLoss(TEMPERATURE, rankLoss, weight)
                    .compute(new TrainingLoss.Inputs(
                            queries,
                            matrix(m, P),
                            m.create(POSITIVE_IDS),
                            matrix(m, C),
                            m.create(CANDIDATE_IDS),
                            null,
                            items,
                            PACKAGE,
                            null))
                    .loss());
        }
        return new float[][] {
            queries.getGradient().toFloatArray(), items.getGradient().toFloatArray()
        };
    }

    private static NDArray loss(NDManager m, RankLoss rankLoss, float weight, NDArray packageItems) {
        return new TrainingLoss(TEMPERATURE, rankLoss, weight)
                .compute(new TrainingLoss.Inputs(
                        matrix(m, Q),
                        matrix(m, P),
                        m.create(POSITIVE_IDS),
                        matrix(m, C),
                        m.create(CANDIDATE_IDS),
                        null,
                        packageItems,
                        PACKAGE,
                        null))
                .loss();
    }

    private static NDArray packageItems(NDManager m) {
        float[] flat = new float[8];
        for (int t = 0; t < 2; t++) {
            for (int k = 0; k < 2; k++) {
                System.arraycopy(R[t][k], 0, flat, (t * 2 + k) * 2, 2);
            }
        }
        return m.create(flat, new Shape(2, 2, 2));
    }

    /** Tempered scores of target {@code t}'s negatives: shared candidates, then its package. */
    private static double[] negatives(int t) {
        return new double[] {
            dot(Q[t], C[0]) / TEMPERATURE,
            dot(Q[t], C[1]) / TEMPERATURE,
            dot(Q[t], R[t][0]) / TEMPERATURE,
            dot(Q[t], R[t][1]) / TEMPERATURE
        };
    }

    private static boolean[] masked(int t) {
        return new boolean[] {
            CANDIDATE_IDS[0] == POSITIVE_IDS[t],
            CANDIDATE_IDS[1] == POSITIVE_IDS[t],
            PACKAGE.id(t, 0) == RankPackage.EMPTY,
            PACKAGE.id(t, 1) == RankPackage.EMPTY
        };
    }

    /** Hand-computed InfoNCE over the positive, the shared candidates and the package. */
    private static double nll(int t) {
        double[] negatives = negatives(t);
        boolean[] maskedNegatives = masked(t);
        double[] logits = new double[1 + negatives.length];
        boolean[] masked = new boolean[logits.length];
        logits[0] = dot(Q[t], P[t]) / TEMPERATURE;
        for (int j = 0; j < negatives.length; j++) {
            logits[1 + j] = negatives[j];
            masked[1 + j] = maskedNegatives[j];
        }
        return negativeLogSoftmaxOfFirst(logits, masked);
    }

    private static float[] difference(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }
}
