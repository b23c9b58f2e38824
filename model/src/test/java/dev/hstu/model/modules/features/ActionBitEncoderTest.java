package dev.hstu.model.modules.features;

import static dev.hstu.model.modules.features.FeatureTestSupport.floats;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameter;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameterNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.ActionEncoding;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.train.HstuTrainer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code actionEncoder = BITS}: a bitmask's embedding is the weighted sum of the rows of its set bits. */
class ActionBitEncoderTest {

    private static final int D = 4;
    private static final List<Float> WEIGHTS = List.of(1f, 0.5f, 2f);
    private static final long[] ACTIONS = {0, 1, 2, 3, 4, 5, 6, 7};

    @Test
    void eachBitmaskIsTheWeightedSumOfTheRowsOfItsSetBits() {
        try (NDManager manager = FeatureTestSupport.manager()) {
            ActionBitEncoder encoder = new ActionBitEncoder(8, 3, WEIGHTS, D);
            encoder.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
            float[] rows = encoder.bitEmbedding().getArray().toFloatArray();
            NDArray out = encoder.apply(new ParameterStore(manager, false), manager.create(ACTIONS, new Shape(2, 4)));

            assertThat(out.getShape()).isEqualTo(new Shape(2, 4, D));
            float[] values = out.toFloatArray();
            for (int a = 0; a < 8; a++) {
                for (int c = 0; c < D; c++) {
                    float expected = 0f;
                    for (int j = 0; j < 3; j++) {
                        expected += ((a >> j) & 1) * WEIGHTS.get(j) * rows[j * D + c];
                    }
                    assertThat(values[a * D + c])
                            .as("action %d, column %d", a, c)
                            .isCloseTo(expected, within(1e-7f));
                }
            }
            assertThat(out.get(0, 0).abs().sum().getFloat())
                    .as("no action bit, no embedding")
                    .isZero();
        }
    }

    @Test
    void gradientsReachOnlyTheRowsOfSetBitsScaledByTheirWeights() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = FeatureTestSupport.manager()) {
            ActionBitEncoder encoder = new ActionBitEncoder(8, 3, WEIGHTS, D);
            encoder.initialize(manager, DataType.FLOAT64, new Shape(1, 3));
            long[] actions = {1, 3, 2}; // bits 0 and 1 only
            double[] upstream = new SplittableRandom(3).doubles(3 * D).toArray();
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray out =
                        encoder.apply(new ParameterStore(manager, false), manager.create(actions, new Shape(1, 3)));
                collector.backward(
                        out.mul(manager.create(upstream, new Shape(1, 3, D))).sum());
            }
            double[] gradient = encoder.bitEmbedding().getArray().getGradient().toDoubleArray();
            for (int j = 0; j < 3; j++) {
                for (int c = 0; c < D; c++) {
                    double expected = 0;
                    for (int e = 0; e < actions.length; e++) {
                        expected += ((actions[e] >> j) & 1) * WEIGHTS.get(j) * upstream[e * D + c];
                    }
                    assertThat(gradient[j * D + c])
                            .as("bit %d, column %d", j, c)
                            .isCloseTo(expected, within(1e-12));
                }
            }
        }
    }

    @Test
    void theModelReplacesTheValueTableWithBitRowsThatTrainingUpdates() {
        HstuConfig bits = TestBatches.tiny()
                .with("features.actions.encoding", ActionEncoding.BITS)
                .with("features.actions.bitWeights", List.of(1f, 3f))
                .validate();
        PackedBatch batch = TestBatches.random(new SplittableRandom(5), new int[] {6, 2, 9}, 50);
        try (HstuModel model = HstuModel.create(bits);
                HstuModel plain = HstuModel.create(TestBatches.tiny());
                HstuTrainer trainer = new HstuTrainer(model)) {
            assertThat(parameterNames(plain)).contains("preprocessor_action").noneMatch(n -> n.contains("actionBits"));
            assertThat(parameterNames(model))
                    .contains("preprocessor_actionBits_bitEmbedding")
                    .doesNotContain("preprocessor_action");
            assertThat(parameter(model, "actionBits_bitEmbedding").getArray().getShape())
                    .isEqualTo(new Shape(2, 16));
            assertThat(model.encodeSequences(batch)).hasSize(batch.totalEvents() * 16);

            // the last event's action decides only its own output: 3 = bits 0 and 1
            int last = batch.totalEvents() - 1;
            int[] actions = batch.actions().clone();
            actions[last] = actions[last] == 3 ? 0 : 3;
            PackedBatch changed =
                    PackedBatch.of(batch.offsets(), batch.items(), actions, batch.timestamps(), batch.firstTarget());
            float[] before = model.encodeSequences(batch);
            float[] after = model.encodeSequences(changed);
            assertThat(java.util.Arrays.copyOf(after, last * 16))
                    .containsExactly(java.util.Arrays.copyOf(before, last * 16));
            assertThat(java.util.Arrays.copyOfRange(after, last * 16, (last + 1) * 16))
                    .isNotEqualTo(java.util.Arrays.copyOfRange(before, last * 16, (last + 1) * 16));

            float[] rows = floats(parameter(model, "actionBits_bitEmbedding").getArray());
            assertThat(trainer.step(batch).skipped()).isFalse();
            assertThat(floats(parameter(model, "actionBits_bitEmbedding").getArray()))
                    .isNotEqualTo(rows);
        }
    }
}
