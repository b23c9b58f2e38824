package dev.hstu.model.tasks.retrieval;

import static dev.hstu.model.tasks.retrieval.LossTestSupport.dot;
import static dev.hstu.model.tasks.retrieval.LossTestSupport.matrix;
import static dev.hstu.model.tasks.retrieval.LossTestSupport.trainable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FullSoftmaxLossTest {

    private static final int T = 3;
    private static final int N = 5;
    private static final int D = 4;
    // target 1 and 2 share a positive: a class, not a sample, so nothing is masked
    private static final long[] COLUMNS = {0, 3, 3};

    @Test
    void isTheCrossEntropyOverEveryItemWithTheTargetsRowThePositive() {
        SplittableRandom random = new SplittableRandom(5);
        float[][] q = unitRows(random, T, D);
        float[][] items = unitRows(random, N, D);
        float temperature = 0.2f;
        double expected = 0;
        for (int t = 0; t < T; t++) {
            expected += crossEntropy(q[t], items, (int) COLUMNS[t], 1.0 / temperature) / T;
        }
        try (NDManager m = LossTestSupport.manager()) {
            NDArray loss =
                    new FullSoftmaxLoss(temperature).compute(matrix(m, q), matrix(m, items), m.create(COLUMNS), null);
            assertThat((double) loss.getFloat()).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void perTargetTemperaturesAndWeightsScaleEachTargetsTerm() {
        SplittableRandom random = new SplittableRandom(6);
        float[][] q = unitRows(random, T, D);
        float[][] items = unitRows(random, N, D);
        TargetScaling scaling = new TargetScaling(new float[] {10f, 4f, 20f}, new float[] {1f, 0f, 2f});
        double expected = 0;
        for (int t = 0; t < T; t++) {
            expected += scaling.weight()[t]
                    * crossEntropy(q[t], items, (int) COLUMNS[t], scaling.inverseTemperature()[t])
                    / T;
        }
        try (NDManager m = LossTestSupport.manager()) {
            NDArray loss =
                    new FullSoftmaxLoss(0.5f).compute(matrix(m, q), matrix(m, items), m.create(COLUMNS), scaling);
            assertThat((double) loss.getFloat()).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void theGradientOfAnItemRowIsItsProbabilityMinusItsLabelTimesTheQueries() {
        SplittableRandom random = new SplittableRandom(7);
        float[][] q = unitRows(random, T, D);
        float[][] items = unitRows(random, N, D);
        float temperature = 0.25f;
        double[][] expected = new double[N][D];
        for (int t = 0; t < T; t++) {
            double[] p = softmax(q[t], items, 1.0 / temperature);
            for (int j = 0; j < N; j++) {
                double label = j == COLUMNS[t] ? 1 : 0;
                for (int k = 0; k < D; k++) {
                    expected[j][k] += (p[j] - label) * q[t][k] / temperature / T;
                }
            }
        }
        try (NDManager m = LossTestSupport.manager()) {
            NDArray table = trainable(m, items);
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                collector.backward(
                        new FullSoftmaxLoss(temperature).compute(matrix(m, q), table, m.create(COLUMNS), null));
            }
            float[] gradient = table.getGradient().toFloatArray();
            for (int j = 0; j < N; j++) {
                for (int k = 0; k < D; k++) {
                    assertThat((double) gradient[j * D + k])
                            .as("item %d, dim %d", j, k)
                            .isCloseTo(expected[j][k], within(1e-5));
                }
            }
        }
    }

    @Test
    void equalsSampledSoftmaxWhoseCandidatesAreEveryItem() {
        SplittableRandom random = new SplittableRandom(8);
        float[][] q = unitRows(random, T, D);
        float[][] items = unitRows(random, N, D);
        float[][] positives = new float[T][];
        long[] positiveIds = new long[T];
        long[] candidateIds = new long[N];
        for (int t = 0; t < T; t++) {
            positives[t] = items[(int) COLUMNS[t]];
            positiveIds[t] = COLUMNS[t] + 2;
        }
        for (int j = 0; j < N; j++) {
            candidateIds[j] = j + 2;
        }
        try (NDManager m = LossTestSupport.manager()) {
            float full = new FullSoftmaxLoss(0.05f)
                    .compute(matrix(m, q), matrix(m, items), m.create(COLUMNS), null)
                    .getFloat();
            // the positive's own copy among the candidates is masked as an accidental hit
            float sampled = new SampledSoftmaxLoss(0.05f)
                    .compute(
                            matrix(m, q),
                            matrix(m, positives),
                            m.create(positiveIds),
                            matrix(m, items),
                            m.create(candidateIds))
                    .getFloat();
            assertThat(full).isCloseTo(sampled, within(1e-4f));
        }
    }

    private static double crossEntropy(float[] query, float[][] items, int positive, double inverseTemperature) {
        return -Math.log(softmax(query, items, inverseTemperature)[positive]);
    }

    private static double[] softmax(float[] query, float[][] items, double inverseTemperature) {
        double[] out = new double[items.length];
        double sum = 0;
        for (int j = 0; j < items.length; j++) {
            out[j] = Math.exp(dot(query, items[j]) * inverseTemperature);
            sum += out[j];
        }
        for (int j = 0; j < items.length; j++) {
            out[j] /= sum;
        }
        return out;
    }

    private static float[][] unitRows(SplittableRandom random, int n, int d) {
        float[][] rows = new float[n][d];
        for (float[] row : rows) {
            double norm = 0;
            for (int i = 0; i < d; i++) {
                row[i] = (float) random.nextGaussian();
                norm += row[i] * row[i];
            }
            for (int i = 0; i < d; i++) {
                row[i] /= (float) Math.sqrt(norm);
            }
        }
        return rows;
    }
}
