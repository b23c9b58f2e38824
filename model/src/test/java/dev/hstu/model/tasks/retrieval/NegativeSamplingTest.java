package dev.hstu.model.tasks.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.config.NegativeSampling;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NegativeSamplingTest {

    @Test
    void popularityWindowForgetsTheOldestTargets() {
        TargetPopularity popularity = new TargetPopularity(4, 3);
        popularity.record(new long[] {5, 5, 6, 7});
        assertThat(popularity.probability(5)).isEqualTo(0.5);
        popularity.record(new long[] {7, 7}); // evicts 5 and 5
        assertThat(popularity.probability(5)).isZero();
        assertThat(popularity.probability(7)).isEqualTo(0.75);
        assertThat(popularity.snapshot()).containsExactly(6, 7, 7, 7);
        assertThat(popularity.size()).isEqualTo(4);
    }

    @Test
    void popularityNegativesFollowTargetFrequencies() {
        TargetPopularity popularity = new TargetPopularity(100, 10);
        CandidateSampler sampler = new CandidateSampler(0, 20_000, NegativeSampling.POPULARITY, popularity);
        Candidates candidates = sampler.draw(new long[] {5, 5, 5, 6}, 10, new SplittableRandom(3));
        int fives = 0;
        for (long id : candidates.ids()) {
            assertThat(id).isIn(5L, 6L);
            fives += id == 5 ? 1 : 0;
        }
        assertThat(fives / 20_000.0).isCloseTo(0.75, within(0.02));
        // expected count of item 5 among 20,000 draws at q = 3/4
        assertThat((double) candidates.logExpectedCount()[0])
                .isCloseTo(Math.log(candidates.ids()[0] == 5 ? 15_000 : 5_000), within(1e-4));
    }

    @Test
    void expectedCountsAddUpOverInBatchAndUniformDraws() {
        CandidateSampler sampler = new CandidateSampler(4, 3);
        long[] positives = {4, 4, 9, 11};
        Candidates candidates = sampler.draw(positives, 12, new SplittableRandom(1));
        // all 4 positives are in-batch candidates; each uniform draw hits a given row with 1/10
        for (int i = 0; i < candidates.size(); i++) {
            long id = candidates.ids()[i];
            int inBatch = 0;
            for (long p : positives) {
                inBatch += p == id ? 1 : 0;
            }
            double expected = 4.0 * inBatch / 4 + 3.0 / 10;
            assertThat((double) candidates.logExpectedCount()[i])
                    .as("candidate %d (item %d)", i, id)
                    .isCloseTo(Math.log(expected), within(1e-5));
        }
    }

    @Test
    void popularitySamplingWithoutAWindowIsRejected() {
        assertThatThrownBy(() -> new CandidateSampler(0, 8, NegativeSampling.POPULARITY, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.task.negativeSampling=POPULARITY");
        assertThatThrownBy(() -> new TargetPopularity(0, 8)).hasMessage("popularityWindow must be >= 1, got 0");
    }

    @Test
    void logQCorrectionSubtractsTheLogExpectedCountFromEachCandidateLogit() {
        float[] q = {0.6f, 0.8f, 1f, 0f}; // 2 queries, d = 2
        float[] p = {1f, 0f, 0f, 1f}; // positives
        float[] c = {0.8f, 0.6f, 0f, 1f, 1f, 0f}; // 3 candidates
        long[] positiveIds = {3, 4};
        long[] candidateIds = {5, 4, 6}; // candidate 1 is query 1's own positive
        float[] logQ = {(float) Math.log(8), (float) Math.log(0.5), 0f};
        float temperature = 0.5f;
        double expected = 0;
        for (int t = 0; t < 2; t++) {
            double pos = (q[2 * t] * p[2 * t] + q[2 * t + 1] * p[2 * t + 1]) / temperature;
            double denominator = Math.exp(pos);
            for (int j = 0; j < 3; j++) {
                if (candidateIds[j] != positiveIds[t]) {
                    denominator +=
                            Math.exp((q[2 * t] * c[2 * j] + q[2 * t + 1] * c[2 * j + 1]) / temperature - logQ[j]);
                }
            }
            expected += -(pos - Math.log(denominator)) / 2;
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray loss = new SampledSoftmaxLoss(temperature)
                    .compute(
                            m.create(q, new Shape(2, 2)),
                            m.create(p, new Shape(2, 2)),
                            m.create(positiveIds),
                            m.create(c, new Shape(3, 2)),
                            m.create(candidateIds),
                            m.create(logQ));
            assertThat((double) loss.getFloat()).isCloseTo(expected, within(1e-5));
        }
    }
}
