package dev.hstu.model.modules.features;

import static dev.hstu.model.modules.features.FeatureTestSupport.floats;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameter;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameterNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.data.UserFeatureHashing;
import dev.hstu.model.train.HstuTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code userFeatureSlots}: the mean embedding of a sequence's hashed user-feature keys, added to every position. */
class UserFeaturesTest {

    private static final int SLOTS = 3;
    private static final int BUCKETS = 64;
    private static final HstuConfig CONFIG = TestBatches.tiny()
            .with("features.userFeatures.slots", SLOTS)
            .with("features.userFeatures.buckets", BUCKETS)
            .validate();
    private static final int D = 16;
    private static final int[] LENGTHS = {6, 2, 9};

    @TempDir
    Path dir;

    private static PackedBatch batch(long... keys) {
        return TestBatches.random(new SplittableRandom(5), LENGTHS, 50).withUserFeatures(keys, SLOTS);
    }

    private static final long[] KEYS = {
        UserFeatureHashing.key(103, 1),
        UserFeatureHashing.key(104, 7),
        PackedBatch.NO_USER_FEATURE,
        PackedBatch.NO_USER_FEATURE,
        PackedBatch.NO_USER_FEATURE,
        PackedBatch.NO_USER_FEATURE,
        UserFeatureHashing.key(103, 2),
        UserFeatureHashing.key(103, 2),
        UserFeatureHashing.key(106, 9)
    };

    @Test
    void paddedSequencesCarryEachSlotsTableRowAndItsMeanWeight() {
        try (HstuModel model = HstuModel.create(CONFIG)) {
            PaddedSequences padded = PaddedSequences.of(batch(KEYS), CONFIG, model.manager());
            assertThat(padded.userFeatureRows().getShape()).isEqualTo(new Shape(3, SLOTS));
            long[] rows = padded.userFeatureRows().toLongArray();
            for (int k = 0; k < KEYS.length; k++) {
                assertThat(rows[k]).isEqualTo(UserFeatureHashing.row(KEYS[k], BUCKETS));
            }
            assertThat(padded.userFeatureWeights().toFloatArray())
                    .containsExactly(new float[] {0.5f, 0.5f, 0f, 0f, 0f, 0f, 1f / 3, 1f / 3, 1f / 3}, within(1e-7f));
            assertThat(padded.lengths().toLongArray()).containsExactly(6, 2, 9);
            assertThat(padded.toNDList()).hasSize(7);
            assertThat(PaddedSequences.of(batch(KEYS), TestBatches.tiny(), model.manager())
                            .userFeatureRows())
                    .isNull();
        }
    }

    @Test
    void theBlockAveragesTheRowsOfTheFilledSlotsAndOnlyThoseRowsGetGradients() {
        try (NDManager manager = FeatureTestSupport.manager()) {
            UserFeatureEmbedding block = new UserFeatureEmbedding(5, 4);
            block.initialize(manager, DataType.FLOAT64, new Shape(1, 3), new Shape(1, 3));
            double[] table = block.table().getArray().toDoubleArray();
            NDArray rows = manager.create(new long[] {1, 2, 0}, new Shape(1, 3));
            NDArray weights = manager.create(new float[] {0.5f, 0.5f, 0f}, new Shape(1, 3));
            double[] upstream = {1, -2, 3, 0.5};
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = block.apply(new ParameterStore(manager, false), rows, weights);
                assertThat(out.getShape()).isEqualTo(new Shape(1, 1, 4));
                double[] values = out.toDoubleArray();
                for (int c = 0; c < 4; c++) {
                    assertThat(values[c]).isCloseTo(0.5 * (table[4 + c] + table[8 + c]), within(1e-12));
                }
                collector.backward(
                        out.mul(manager.create(upstream, new Shape(1, 1, 4))).sum());
            }
            double[] gradient = block.table().getArray().getGradient().toDoubleArray();
            for (int c = 0; c < 4; c++) {
                assertThat(gradient[c]).as("the empty slot's row").isZero();
                assertThat(gradient[4 + c]).isCloseTo(0.5 * upstream[c], within(1e-12));
                assertThat(gradient[8 + c]).isCloseTo(0.5 * upstream[c], within(1e-12));
                assertThat(gradient[12 + c]).isZero();
            }
        }
    }

    @Test
    void aSequencesUserFeaturesChangeEveryOneOfItsPositionsAndNoOtherSequence() {
        long[] changed = KEYS.clone();
        changed[1] = UserFeatureHashing.key(104, 8);
        try (HstuModel model = HstuModel.create(CONFIG)) {
            assertThat(parameterNames(model)).contains("preprocessor_userFeatures_table");
            assertThat(parameter(model, "userFeatures_table").getArray().getShape())
                    .isEqualTo(new Shape(BUCKETS, D));
            float[] before = model.encodeSequences(batch(KEYS));
            float[] after = model.encodeSequences(batch(changed));
            assertThat(before).hasSize(17 * D);
            for (int p = 0; p < LENGTHS[0]; p++) {
                assertThat(Arrays.copyOfRange(after, p * D, (p + 1) * D))
                        .as("position %d", p)
                        .isNotEqualTo(Arrays.copyOfRange(before, p * D, (p + 1) * D));
            }
            assertThat(Arrays.copyOfRange(after, LENGTHS[0] * D, after.length))
                    .containsExactly(Arrays.copyOfRange(before, LENGTHS[0] * D, before.length));
        }
    }

    @Test
    void trainingUpdatesTheRowsOfTheKeysSeenAndLeavesTheEmptySlotsRow() {
        try (HstuModel model = HstuModel.create(CONFIG);
                HstuTrainer trainer = new HstuTrainer(model)) {
            float[] before = floats(parameter(model, "userFeatures_table").getArray());
            assertThat(trainer.step(batch(KEYS)).skipped()).isFalse();
            float[] after = floats(parameter(model, "userFeatures_table").getArray());
            assertThat(Arrays.copyOf(after, D)).as("row 0").containsExactly(Arrays.copyOf(before, D));
            int seen = UserFeatureHashing.row(KEYS[0], BUCKETS);
            assertThat(Arrays.copyOfRange(after, seen * D, (seen + 1) * D))
                    .isNotEqualTo(Arrays.copyOfRange(before, seen * D, (seen + 1) * D));
        }
    }

    @Test
    void saveAndLoadKeepTheTableAndAModelWithoutUserFeaturesIgnoresThem() throws IOException {
        try (HstuModel model = HstuModel.create(CONFIG)) {
            model.save(dir);
            try (HstuModel loaded = HstuModel.load(dir)) {
                assertThat(loaded.config()).isEqualTo(CONFIG);
                assertThat(loaded.encodeSequences(batch(KEYS))).containsExactly(model.encodeSequences(batch(KEYS)));
            }
        }
        PackedBatch plain = TestBatches.random(new SplittableRandom(5), LENGTHS, 50);
        try (HstuModel model = HstuModel.create(TestBatches.tiny())) {
            assertThat(parameterNames(model)).noneMatch(n -> n.contains("userFeatures"));
            assertThat(model.encodeSequences(batch(KEYS))).containsExactly(model.encodeSequences(plain));
        }
    }

    @Test
    void aModelWithUserFeaturesRefusesABatchWithoutOrWithOtherSlots() {
        PackedBatch plain = TestBatches.random(new SplittableRandom(5), LENGTHS, 50);
        try (HstuModel model = HstuModel.create(CONFIG)) {
            assertThatThrownBy(() -> model.encodeQueries(plain))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "batch has 0 user-feature slots per sequence but model.features.userFeatures.slots=3");
            assertThatThrownBy(() -> model.encodeQueries(plain.withUserFeatures(new long[6], 2)))
                    .hasMessageContaining("batch has 2 user-feature slots");
            var inputs =
                    PaddedSequences.of(batch(KEYS), CONFIG, model.manager()).toNDList();
            inputs.remove(6);
            inputs.remove(5);
            assertThatThrownBy(() -> model.encoder().forward(model.parameterStore(), inputs, false))
                    .hasMessageContaining("model.features.userFeatures.slots > 0 needs the user-feature inputs");
        }
    }
}
