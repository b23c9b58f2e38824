package dev.hstu.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model.runtime.mixedPrecision}: float16 forward and backward on copies of float32 master weights, loss scaling. */
class MixedPrecisionTest {

    private static final HstuConfig FULL = TestBatches.tiny();
    private static final HstuConfig MIXED =
            FULL.with("runtime.mixedPrecision", true).validate();

    @Test
    void outputsStayCloseToFullPrecisionWithTheSameWeights() {
        PackedBatch batch = TestBatches.random(new SplittableRandom(4), new int[] {6, 9, 3}, 50);
        try (HstuModel full = HstuModel.create(FULL);
                HstuModel mixed = HstuModel.create(MIXED)) {
            float[] a = full.encodeSequences(batch);
            float[] b = mixed.encodeSequences(batch);
            float largest = 0f;
            for (int i = 0; i < a.length; i++) {
                largest = Math.max(largest, Math.abs(a[i] - b[i]));
            }
            // unit-norm rows; float16 keeps 11 significant bits, so differences of about 1e-3 are expected
            assertThat(largest).isGreaterThan(0f).isLessThan(0.02f);
        }
    }

    @Test
    void trainingUpdatesFloat32WeightsWithAFiniteLossAndCheckpointsTheLossScale(@TempDir Path dir) throws Exception {
        PackedBatch batch = TestBatches.random(new SplittableRandom(5), new int[] {8, 8, 8, 8}, 50);
        try (HstuModel model = HstuModel.create(MIXED);
                HstuTrainer trainer = new HstuTrainer(model)) {
            Parameter uvqk = model.encoder().stu().layers().get(0).uvqkWeight();
            float[] before = uvqk.getArray().toFloatArray();
            StepResult firstStep = trainer.step(batch);
            float first = firstStep.loss();
            float last = first;
            int overflows = firstStep.overflow() ? 1 : 0;
            for (int i = 0; i < 40; i++) {
                StepResult r = trainer.step(batch);
                // the first scale is the largest float16 holds; overflows halve it until gradients fit
                assertThat(r.skipped()).as("only float16 overflows are skipped").isEqualTo(r.overflow());
                overflows += r.overflow() ? 1 : 0;
                last = r.loss();
            }
            assertThat(first).isFinite();
            assertThat(trainer.stepCount())
                    .as("every step but the overflows applied")
                    .isEqualTo(41 - overflows);
            assertThat(overflows)
                    .as("overflows settle the scale, then steps apply")
                    .isLessThan(20);
            assertThat(last).as("loss on a batch trained again and again").isLessThan(first);
            assertThat(trainer.skippedSteps())
                    .as("overflows are not divergence")
                    .isZero();
            for (Pair<String, Parameter> p : model.encoder().getParameters()) {
                assertThat(p.getValue().getArray().getDataType()).as(p.getKey()).isEqualTo(DataType.FLOAT32);
            }
            assertThat(uvqk.getArray().toFloatArray()).isNotEqualTo(before);
            assertThat(trainer.lossScale()).isGreaterThanOrEqualTo(1f).isLessThanOrEqualTo(LossScaler.INITIAL_SCALE);
            trainer.save(dir);
            try (HstuTrainer resumed = HstuTrainer.resume(dir)) {
                assertThat(resumed.lossScale()).isEqualTo(trainer.lossScale());
                assertThat(resumed.step(batch).loss())
                        .isEqualTo(trainer.step(batch).loss());
            }
        }
    }

    @Test
    void aMixedPrecisionModelRunsInFloat32OnTheCpu(@TempDir Path dir) throws Exception {
        try (HstuModel model = HstuModel.create(MIXED)) {
            model.save(dir);
        }
        try (HstuModel onCpu = HstuModel.load(dir, "cpu");
                HstuModel asSaved = HstuModel.load(dir)) {
            assertThat(onCpu.config().runtime().mixedPrecision()).isFalse();
            assertThat(asSaved.config().runtime().mixedPrecision()).isTrue();
        }
    }

    @Test
    void gradientAccumulationIsRefused() {
        assertThatThrownBy(() -> FULL.with("runtime.mixedPrecision", true)
                        .with("optimizer.gradientAccumulationSteps", 2)
                        .validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.runtime.mixedPrecision needs optimizer.gradientAccumulationSteps = 1");
    }

    @Test
    void withoutMixedPrecisionTheLossIsNotScaled() {
        try (HstuModel model = HstuModel.create(FULL);
                HstuTrainer trainer = new HstuTrainer(model)) {
            assertThat(trainer.lossScale()).isEqualTo(1f);
        }
    }
}
