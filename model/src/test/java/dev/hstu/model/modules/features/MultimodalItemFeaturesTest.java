package dev.hstu.model.modules.features;

import static dev.hstu.model.modules.features.FeatureTestSupport.floats;
import static dev.hstu.model.modules.features.FeatureTestSupport.maxDifference;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameter;
import static dev.hstu.model.modules.features.FeatureTestSupport.parameterNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.config.GatingConfig;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.MultimodalItemTables;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.train.HstuTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code multimodalDims}: fixed per-item embeddings, projected per feature and added to the item's input. */
class MultimodalItemFeaturesTest {

    private static final Map<Integer, Integer> DIMS = Map.of(83, 2, 81, 3);
    private static final HstuConfig CONFIG =
            TestBatches.tiny().with("features.multimodalDims", DIMS).validate();
    private static final int D = 16;

    @TempDir
    Path dir;

    @Test
    void theTablesHoldEachFeaturesVectorsByItemRowAndZeroElsewhere() {
        MultimodalItemTables tables = MultimodalItemTables.forConfig(CONFIG);
        assertThat(tables.capacity()).isEqualTo(50);
        tables.put(81, 5, new float[] {1, 2, 3});
        tables.put(83, 5, new float[] {4, 5});
        tables.put(83, 49, new float[] {6, 7});
        tables.put(83, 49, new float[] {8, 9}); // replaces
        assertThat(tables.itemsWithVector(81)).isEqualTo(1);
        assertThat(tables.itemsWithVector(83)).isEqualTo(2);
        try (NDManager manager = FeatureTestSupport.manager()) {
            NDList uploaded = tables.toNDList(manager);
            assertThat(uploaded).hasSize(2);
            NDArray t81 = uploaded.get(0);
            NDArray t83 = uploaded.get(1);
            assertThat(t81.getShape()).as("features in ascending id order").isEqualTo(new Shape(50, 3));
            assertThat(t83.getShape()).isEqualTo(new Shape(50, 2));
            assertThat(t81.get(5).toFloatArray()).containsExactly(1, 2, 3);
            assertThat(t83.get(5).toFloatArray()).containsExactly(4, 5);
            assertThat(t83.get(49).toFloatArray()).containsExactly(8, 9);
            assertThat(t81.sum().getFloat()).isEqualTo(6f);
            assertThat(t83.sum().getFloat()).isEqualTo(26f);
        }

        assertThatThrownBy(() -> tables.put(82, 5, new float[] {1}))
                .hasMessageContaining("feature 82 is not in model.features.multimodalDims={81=3, 83=2}");
        assertThatThrownBy(() -> tables.itemsWithVector(82)).hasMessageContaining("feature 82 is not in");
        assertThatThrownBy(() -> tables.put(81, 1, new float[] {1, 2, 3}))
                .hasMessageContaining("item row 1 is outside [2, model.items.capacity=50)");
        assertThatThrownBy(() -> tables.put(81, 50, new float[] {1, 2, 3}))
                .hasMessageContaining("item row 50 is outside");
        assertThatThrownBy(() -> tables.put(81, 5, new float[] {1, 2}))
                .hasMessageContaining("has width 3 but item row 5's vector has 2 floats");
        assertThatThrownBy(() -> tables.put(81, 5, new float[] {1, Float.NaN, 2}))
                .hasMessageContaining("float 1 must be finite");
        assertThatThrownBy(() -> MultimodalItemTables.forConfig(TestBatches.tiny()))
                .hasMessageContaining("model.features.multimodalDims is empty");
        assertThatThrownBy(
                        () -> tables.checkFits(CONFIG.with("items.capacity", 60).validate()))
                .hasMessageContaining("do not fit");
    }

    @Test
    void eachFeatureIsProjectedByItsOwnLinearMapAndTheInputGetsTheirSum() {
        try (NDManager manager = FeatureTestSupport.manager()) {
            MultimodalItemFeatures features =
                    new MultimodalItemFeatures(CONFIG.features().multimodalDims(), 4);
            features.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
            features.getParameters()
                    .forEach(p -> p.getValue()
                            .getArray()
                            .set(manager.randomNormal(p.getValue().getArray().getShape())
                                    .toFloatArray()));
            NDArray t81 = manager.randomNormal(new Shape(50, 3));
            NDArray t83 = manager.randomNormal(new Shape(50, 2));
            t81.set(new NDIndex("0:2"), 0f); // padding and out-of-vocabulary have no vector
            t83.set(new NDIndex("0:2"), 0f);
            features.attach(new NDList(t81, t83));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray items = manager.create(new long[] {2, 3, 0, 4, 2, 1}, new Shape(2, 3));

            NDList perFeature = features.applyPerFeature(ps, items);
            NDArray sum = features.apply(ps, items);

            assertThat(perFeature).hasSize(2);
            assertThat(sum.getShape()).isEqualTo(new Shape(2, 3, 4));
            assertThat(maxDifference(
                            sum.toFloatArray(),
                            perFeature.get(0).add(perFeature.get(1)).toFloatArray()))
                    .isLessThan(1e-6f);
            float[] row81 = t81.get(4).toFloatArray();
            float[] row83 = t83.get(4).toFloatArray();
            float[] w81 = features.getParameters().get("weight81").getArray().toFloatArray();
            float[] b81 = features.getParameters().get("bias81").getArray().toFloatArray();
            float[] w83 = features.getParameters().get("weight83").getArray().toFloatArray();
            float[] b83 = features.getParameters().get("bias83").getArray().toFloatArray();
            for (int c = 0; c < 4; c++) {
                float y81 = b81[c] + w81[c * 3] * row81[0] + w81[c * 3 + 1] * row81[1] + w81[c * 3 + 2] * row81[2];
                float y83 = b83[c] + w83[c * 2] * row83[0] + w83[c * 2 + 1] * row83[1];
                assertThat(perFeature.get(0).getFloat(1, 0, c)).isCloseTo(y81, within(1e-5f));
                assertThat(perFeature.get(1).getFloat(1, 0, c)).isCloseTo(y83, within(1e-5f));
                // an item without vectors gets the biases only
                assertThat(sum.getFloat(0, 2, c)).isCloseTo(b81[c] + b83[c], within(1e-6f));
            }
            assertThatThrownBy(() -> features.attach(new NDList(t81)))
                    .hasMessageContaining("need one multimodal table per feature");
            assertThatThrownBy(() -> features.attach(new NDList(t81, t81)))
                    .hasMessageContaining("must be [itemCapacity, 2]");
        }
    }

    @Test
    void gradientsReachTheProjectionsButTheFixedTableIsNoParameter() {
        try (NDManager manager = FeatureTestSupport.manager()) {
            MultimodalItemFeatures features =
                    new MultimodalItemFeatures(CONFIG.features().multimodalDims(), 4);
            features.initialize(manager, DataType.FLOAT64, new Shape(1, 3));
            features.attach(new NDList(manager.randomNormal(new Shape(50, 3)), manager.randomNormal(new Shape(50, 2))));
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = features.apply(
                        new ParameterStore(manager, false), manager.create(new long[] {2, 7, 9}, new Shape(1, 3)));
                assertThat(out.getDataType())
                        .as("rows cast to the weights' type")
                        .isEqualTo(DataType.FLOAT64);
                collector.backward(out.mul(manager.randomNormal(new Shape(1, 3, 4), DataType.FLOAT64))
                        .sum());
            }
            assertThat(features.getParameters().keys()).containsExactly("weight81", "bias81", "weight83", "bias83");
            features.getParameters()
                    .forEach(p -> assertThat(p.getValue()
                                    .getArray()
                                    .getGradient()
                                    .abs()
                                    .sum()
                                    .getDouble())
                            .as(p.getKey())
                            .isGreaterThan(0.0));
        }
    }

    @Test
    void aModelEncodesWithItsTablesWhereAnItemsVectorsReachItsPositionsOnwardAndTrainingUpdatesOnlyTheProjections()
            throws IOException {
        PackedBatch batch = TestBatches.random(new SplittableRandom(5), new int[] {6, 2, 9}, 50);
        int item = batch.items()[3]; // the 4th event of the first sequence
        try (HstuModel model = HstuModel.create(CONFIG);
                HstuTrainer trainer = new HstuTrainer(model)) {
            assertThat(parameterNames(model))
                    .contains(
                            "preprocessor_multimodal_weight81",
                            "preprocessor_multimodal_bias81",
                            "preprocessor_multimodal_weight83",
                            "preprocessor_multimodal_bias83");
            assertThat(parameter(model, "multimodal_weight81").getArray().getShape())
                    .isEqualTo(new Shape(D, 3));
            assertThatThrownBy(() -> model.encodeSequences(batch))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("call HstuModel.setMultimodalTables before encoding");

            MultimodalItemTables tables = tables(batch, 1);
            model.setMultimodalTables(tables);
            float[] before = model.encodeSequences(batch);
            tables.put(81, item, new float[] {5, -5, 5});
            model.setMultimodalTables(tables);
            float[] after = model.encodeSequences(batch);
            int firstChanged = firstDifference(before, after) / D;
            assertThat(firstChanged).as("the first event that is the item").isEqualTo(indexOf(batch.items(), item));

            model.save(dir);
            float[] w81 = floats(parameter(model, "multimodal_weight81").getArray());
            float[] w83 = floats(parameter(model, "multimodal_weight83").getArray());
            assertThat(trainer.step(batch).skipped()).isFalse();
            assertThat(floats(parameter(model, "multimodal_weight81").getArray()))
                    .isNotEqualTo(w81);
            assertThat(floats(parameter(model, "multimodal_weight83").getArray()))
                    .isNotEqualTo(w83);

            try (HstuModel loaded = HstuModel.load(dir)) {
                assertThatThrownBy(() -> loaded.encodeSequences(batch))
                        .as("tables are data, not saved")
                        .hasMessageContaining("setMultimodalTables");
                loaded.setMultimodalTables(tables);
                assertThat(loaded.encodeSequences(batch)).containsExactly(after);
            }
        }
        try (HstuModel plain = HstuModel.create(TestBatches.tiny())) {
            assertThat(parameterNames(plain)).noneMatch(n -> n.contains("multimodal"));
            assertThatThrownBy(() -> plain.setMultimodalTables(tables(batch, 1)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void withGatingEachMultimodalFeatureIsAFieldOfItsOwn() {
        HstuConfig gated =
                CONFIG.with("features.gating", GatingConfig.defaults()).validate();
        PackedBatch batch = TestBatches.random(new SplittableRandom(5), new int[] {6, 2, 9}, 50);
        try (HstuModel model = HstuModel.create(gated);
                HstuTrainer trainer = new HstuTrainer(model)) {
            assertThat(InputPreprocessor.fieldCount(gated)).isEqualTo(5);
            assertThat(parameter(model, "gating_squeezeWeight").getArray().getShape())
                    .isEqualTo(new Shape(2, 5));
            model.setMultimodalTables(tables(batch, 1));
            assertThat(model.encodeSequences(batch)).hasSize(batch.totalEvents() * D);
            float[] w83 = floats(parameter(model, "multimodal_weight83").getArray());
            assertThat(trainer.step(batch).skipped()).isFalse();
            assertThat(floats(parameter(model, "multimodal_weight83").getArray()))
                    .isNotEqualTo(w83);
        }
    }

    /** Random vectors for every item of the batch but its last. */
    private static MultimodalItemTables tables(PackedBatch batch, long seed) {
        MultimodalItemTables tables = MultimodalItemTables.forConfig(CONFIG);
        SplittableRandom random = new SplittableRandom(seed);
        int[] items = batch.items();
        for (int i = 0; i < items.length - 1; i++) {
            tables.put(81, items[i], new float[] {
                (float) random.nextGaussian(), (float) random.nextGaussian(), (float) random.nextGaussian()
            });
            tables.put(83, items[i], new float[] {(float) random.nextGaussian(), (float) random.nextGaussian()});
        }
        return tables;
    }

    private static int firstDifference(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(int[] values, int value) {
        return Arrays.stream(values).boxed().toList().indexOf(value);
    }
}
