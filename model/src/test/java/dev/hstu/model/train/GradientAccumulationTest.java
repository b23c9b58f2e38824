package dev.hstu.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientAccumulationTest {

    @Test
    void twoMicroBatchesOfTheSameDataMakeTheSameUpdateAsOneStep() {
        // No dropout and in-batch negatives only: the loss of a batch does not depend on the step's seed.
        HstuConfig base = TestBatches.tiny()
                .with("task.numNegatives", 0)
                .with("task.inBatchNegatives", 1_000)
                .with("optimizer.learningRate", 1e-2f)
                .with("optimizer.warmupSteps", 0)
                .validate();
        PackedBatch batch = TestBatches.random(new SplittableRandom(5), new int[] {6, 9, 4}, 40);
        List<float[]> once;
        try (HstuModel model = HstuModel.create(base);
                HstuTrainer trainer = new HstuTrainer(model)) {
            StepResult r = trainer.step(batch);
            assertThat(r.step()).isEqualTo(1);
            once = parameters(model);
        }
        HstuConfig accumulating =
                base.with("optimizer.gradientAccumulationSteps", 2).validate();
        try (HstuModel model = HstuModel.create(accumulating);
                HstuTrainer trainer = new HstuTrainer(model)) {
            List<float[]> initial = parameters(model);
            StepResult first = trainer.step(batch);
            assertThat(first.step()).as("no update after the first micro-batch").isZero();
            assertThat(first.skipped()).isFalse();
            assertThat(parameters(model).get(0)).containsExactly(initial.get(0));
            StepResult second = trainer.step(batch);
            assertThat(second.step()).isEqualTo(1);
            assertThat(second.gradNorm()).isFinite();
            List<float[]> twice = parameters(model);
            for (int i = 0; i < once.size(); i++) {
                assertThat(twice.get(i)).as("parameter %d", i).containsExactly(once.get(i), within(2e-5f));
            }
        }
    }

    @Test
    void accumulationStepsMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HstuConfig.defaults()
                        .with("optimizer.gradientAccumulationSteps", 0)
                        .validate())
                .hasMessage("model.optimizer.gradientAccumulationSteps must be >= 1 (1 = update every step), got 0");
    }

    private static List<float[]> parameters(HstuModel model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.encoder().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }
}
