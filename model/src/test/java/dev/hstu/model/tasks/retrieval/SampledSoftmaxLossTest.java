package dev.hstu.model.tasks.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.data.PackedBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampledSoftmaxLossTest {

    @Test
    void matchesAReferenceSoftmaxWithAccidentalHitsMasked() {
        int t = 3;
        int c = 4;
        int d = 5;
        SplittableRandom random = new SplittableRandom(2);
        float[][] q = unitRows(random, t, d);
        float[][] p = unitRows(random, t, d);
        float[][] cand = unitRows(random, c, d);
        long[] positiveIds = {7, 8, 9};
        long[] candidateIds = {8, 3, 7, 7}; // target 0 collides with candidates 2 and 3, target 1 with 0
        float temperature = 0.1f;

        double expected = 0;
        for (int i = 0; i < t; i++) {
            double pos = dot(q[i], p[i]) / temperature;
            double denominator = Math.exp(pos);
            for (int j = 0; j < c; j++) {
                if (candidateIds[j] != positiveIds[i]) {
                    denominator += Math.exp(dot(q[i], cand[j]) / temperature);
                }
            }
            expected += -(pos - Math.log(denominator));
        }
        expected /= t;

        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray loss = new SampledSoftmaxLoss(temperature)
                    .compute(
                            m.create(flat(q), new Shape(t, d)),
                            m.create(flat(p), new Shape(t, d)),
                            m.create(positiveIds),
                            m.create(flat(cand), new Shape(c, d)),
                            m.create(candidateIds));
            assertThat((double) loss.getFloat()).isCloseTo(expected, within(1e-4));
        }
    }

    @Test
    void targetsFollowFirstTargetAndSkipOutOfVocabularyNextItems() {
        PackedBatch batch = PackedBatch.builder()
                .addEvent(2, 0, 0)
                .addEvent(3, 0, 1)
                .addEvent(1, 0, 2)
                .addEvent(5, 0, 3)
                .endSequence(0)
                .addEvent(6, 0, 0)
                .addEvent(7, 0, 1)
                .addEvent(8, 0, 2)
                .endSequence(1)
                .build();
        TrainingTargets targets = TrainingTargets.of(batch, 4);
        // sequence 0: p=0 -> 3, p=1 -> 1 (OOV, skipped), p=2 -> 5; sequence 1: p=1 -> 8
        assertThat(targets.queryRows()).containsExactly(0, 2, 4 + 1);
        assertThat(targets.positives()).containsExactly(3, 5, 8);
        assertThat(targets.outOfVocabulary()).isEqualTo(1);
    }

    @Test
    void candidatesMixASubsetOfBatchPositivesWithUniformRows() {
        long[] positives = new long[50];
        for (int i = 0; i < positives.length; i++) {
            positives[i] = 1000 + i;
        }
        long[] candidates = new CandidateSampler(10, 20).sample(positives, 30, new SplittableRandom(1));
        assertThat(candidates).hasSize(30);
        for (int i = 0; i < 10; i++) {
            assertThat(candidates[i]).isBetween(1000L, 1049L);
        }
        assertThat(java.util.Arrays.stream(candidates, 0, 10).distinct().count())
                .as("without replacement")
                .isEqualTo(10);
        for (int i = 10; i < 30; i++) {
            assertThat(candidates[i]).isBetween(2L, 29L);
        }
        assertThat(new CandidateSampler(10, 20).sample(new long[] {5, 6}, 2, new SplittableRandom(1)))
                .as("no rows in use: in-batch only")
                .containsExactly(5, 6);
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

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
        }
        return out;
    }
}
