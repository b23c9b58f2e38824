package dev.hstu.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDScope;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdDropoutTest {

    @Test
    void theRateStartsAtIdDropoutStartAndDecaysLinearlyToZero() {
        IdDropoutSchedule schedule = new IdDropoutSchedule(0.3f, 100);
        assertThat(schedule.rateAt(0)).isEqualTo(0.3f);
        assertThat(schedule.rateAt(50)).isCloseTo(0.15f, within(1e-7f));
        assertThat(schedule.rateAt(99)).isCloseTo(0.003f, within(1e-7f));
        assertThat(schedule.rateAt(100)).isZero();
        assertThat(schedule.rateAt(10_000)).isZero();
        assertThat(new IdDropoutSchedule(HstuConfig.defaults().features().idDropout()).rateAt(0))
                .as("off by default")
                .isZero();
    }

    @Test
    void inTrainingItZeroesTheConfiguredShareOfItemRowsOnlyAndAtEvaluationNothing() {
        float rate = 0.3f;
        HstuConfig config = TestBatches.tiny();
        PackedBatch batch = TestBatches.random(new SplittableRandom(3), lengths(60, 20), 50);
        Autograd.disableOnThisThread();
        try (HstuModel model = HstuModel.create(config);
                NDScope ignored = new NDScope()) {
            PaddedSequences padded = PaddedSequences.of(batch, config, model.manager());
            model.manager().getEngine().setRandomSeed(1);
            float[] rows = model.encoder()
                    .itemInputs(model.parameterStore(), padded.items(), false, 0f)
                    .toFloatArray();
            float[] dropped = model.encoder()
                    .itemInputs(model.parameterStore(), padded.items(), true, rate)
                    .toFloatArray();
            int d = config.encoder().embeddingDim();
            int zeroed = 0;
            for (int r = 0; r < rows.length / d; r++) {
                boolean zero = true;
                for (int i = r * d; i < (r + 1) * d; i++) {
                    zero &= dropped[i] == 0f;
                }
                zeroed += zero ? 1 : 0;
                for (int i = r * d; i < (r + 1) * d && !zero; i++) {
                    assertThat(dropped[i]).as("kept row %d", r).isCloseTo(rows[i] / (1 - rate), within(1e-6f));
                }
            }
            // 1200 rows: a binomial share of 0.3 has a standard deviation of 0.013
            assertThat(zeroed / 1200.0).isCloseTo(rate, within(0.05));
            assertThat(model.encoder()
                            .itemInputs(model.parameterStore(), padded.items(), false, rate)
                            .toFloatArray())
                    .as("evaluation")
                    .containsExactly(rows);
            assertThat(model.forward(padded, false, rate).toFloatArray())
                    .as("the whole encoder at evaluation")
                    .containsExactly(model.forward(padded, false).toFloatArray());
        }
    }

    @Test
    void theTrainerDropsItemRowsFromStepZeroAndStopsAfterTheAnnealSteps() {
        HstuConfig plain = TestBatches.tiny();
        HstuConfig dropping = plain.with("features.idDropout.start", 0.5f)
                .with("features.idDropout.annealSteps", 2)
                .validate();
        PackedBatch batch = TestBatches.random(new SplittableRandom(8), lengths(8, 10), 50);
        try (HstuModel a = HstuModel.create(plain);
                HstuTrainer withoutDropout = new HstuTrainer(a);
                HstuModel b = HstuModel.create(dropping);
                HstuTrainer withDropout = new HstuTrainer(b)) {
            assertThat(withDropout.itemIdDropoutRate()).isEqualTo(0.5f);
            // the same initial weights, negatives and batch: only the dropped item rows differ
            assertThat(withDropout.step(batch).loss())
                    .isNotEqualTo(withoutDropout.step(batch).loss());
            assertThat(withDropout.itemIdDropoutRate()).isEqualTo(0.25f);
            withDropout.step(batch);
            assertThat(withDropout.itemIdDropoutRate()).isZero();
            assertThat(withoutDropout.itemIdDropoutRate()).isZero();
        }
    }

    private static int[] lengths(int sequences, int length) {
        int[] out = new int[sequences];
        java.util.Arrays.fill(out, length);
        return out;
    }
}
